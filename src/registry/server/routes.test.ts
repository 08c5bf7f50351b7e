import assert from "node:assert/strict";
import { test } from "node:test";
import { RegistryError } from "./errors.js";
import { matchRoute } from "./routes.js";

const D = `sha256:${"a".repeat(64)}`;

test("matchRoute finds each endpoint, with nested repository names", () => {
  assert.deepEqual(matchRoute("GET", "/v2/"), { kind: "base" });
  assert.deepEqual(matchRoute("GET", "/v2"), { kind: "base" });
  assert.deepEqual(matchRoute("GET", "/v2/_catalog"), { kind: "catalog" });
  assert.deepEqual(matchRoute("GET", "/v2/a/b/c/tags/list"), { kind: "tags", name: "a/b/c" });
  assert.deepEqual(matchRoute("PUT", "/v2/lib/x/manifests/1.0"), {
    kind: "manifest",
    name: "lib/x",
    reference: "1.0",
  });
  assert.deepEqual(matchRoute("HEAD", `/v2/x/blobs/${D}`), { kind: "blob", name: "x", digest: D });
  assert.deepEqual(matchRoute("POST", "/v2/x/y/blobs/uploads/"), { kind: "upload-start", name: "x/y" });
  assert.deepEqual(matchRoute("PATCH", "/v2/x/blobs/uploads/u-1"), {
    kind: "upload",
    name: "x",
    uuid: "u-1",
  });
  assert.deepEqual(matchRoute("GET", `/v2/x/referrers/${D}`), { kind: "referrers", name: "x", digest: D });
});

test("matchRoute takes the last /manifests/ when a name component is called manifests", () => {
  assert.deepEqual(matchRoute("GET", "/v2/a/manifests/b/manifests/latest"), {
    kind: "manifest",
    name: "a/manifests/b",
    reference: "latest",
  });
});

test("matchRoute decodes percent-escaped digests", () => {
  assert.deepEqual(matchRoute("GET", `/v2/x/blobs/${D.replace(":", "%3A")}`), {
    kind: "blob",
    name: "x",
    digest: D,
  });
});

test("matchRoute refuses bad names with NAME_INVALID and wrong methods with 405", () => {
  const fails = (method: string, p: string, status: number, code: string) =>
    assert.throws(
      () => matchRoute(method, p),
      (e: unknown) => e instanceof RegistryError && e.status === status && e.code === code,
    );
  fails("GET", "/v2/Upper/tags/list", 400, "NAME_INVALID");
  fails("GET", "/v2/a//b/tags/list", 400, "NAME_INVALID");
  fails("GET", "/v2/a/../b/manifests/x", 400, "NAME_INVALID");
  fails("GET", `/v2/${"a".repeat(256)}/tags/list`, 400, "NAME_INVALID");
  fails("POST", "/v2/x/manifests/latest", 405, "UNSUPPORTED");
  fails("PUT", `/v2/x/blobs/${D}`, 405, "UNSUPPORTED");
});

test("matchRoute returns undefined outside the API", () => {
  assert.equal(matchRoute("GET", "/"), undefined);
  assert.equal(matchRoute("GET", "/v2/x/unknown/thing"), undefined);
  assert.equal(matchRoute("GET", "/v1/_ping"), undefined);
});
