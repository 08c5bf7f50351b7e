import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BerthError } from "../../lib/errors.js";
import { compileRoutes, resolveApiVersion, splitVersionedPath } from "./route-table.js";
import type { Route } from "./router.js";

const h = async () => {};
const routes: Route[] = [
  { method: "DELETE", path: "/images/{name}", handler: h },
  { method: "GET", path: "/images/{name}/json", handler: h },
  { method: "POST", path: "/images/{name}/tag", handler: h },
  { method: "GET", path: "/images/json", handler: h },
  { method: "GET", path: "/images/{name}/history", handler: h },
  { method: "GET", path: "/_ping", handler: h },
  { method: "HEAD", path: "/_ping", handler: h },
];
const table = compileRoutes(routes);

function found(method: string, path: string) {
  const r = table.match(method, path);
  assert.equal(r.kind, "found", `${method} ${path}`);
  return r.kind === "found" ? r.match : undefined;
}

describe("compileRoutes", () => {
  it("compileRoutes lets {name} span slashes, colons and tags", () => {
    const m = found("GET", "/images/localhost:5000/a/b:1/json");
    assert.equal(m?.route.path, "/images/{name}/json");
    assert.deepEqual(m?.params, { name: "localhost:5000/a/b:1" });
    assert.deepEqual(found("POST", "/images/a/b/tag")?.params, { name: "a/b" });
    assert.deepEqual(found("DELETE", "/images/localhost:5000/a/b:1")?.params, {
      name: "localhost:5000/a/b:1",
    });
    assert.deepEqual(found("GET", "/images/x@sha256:abc/history")?.params, { name: "x@sha256:abc" });
  });

  it("compileRoutes prefers the static route over a template", () => {
    assert.equal(found("GET", "/images/json")?.route.path, "/images/json");
  });

  it("compileRoutes selects by method", () => {
    assert.equal(found("HEAD", "/_ping")?.route.method, "HEAD");
    const r = table.match("POST", "/images/json");
    assert.equal(r.kind, "method-not-allowed");
  });

  it("compileRoutes reports unknown paths as not-found", () => {
    assert.equal(table.match("GET", "/nothing").kind, "not-found");
    assert.equal(table.match("GET", "/images/").kind, "not-found");
  });

  it("compileRoutes rejects duplicates", () => {
    assert.throws(
      () => compileRoutes([routes[0]!, { ...routes[0]!, path: "/images/{other}" }]),
      /duplicate route/,
    );
  });
});

describe("splitVersionedPath", () => {
  it("splitVersionedPath strips /vX.Y and decodes the rest", () => {
    assert.deepEqual(splitVersionedPath("/v1.50/images/json"), { version: "1.50", path: "/images/json" });
    assert.deepEqual(splitVersionedPath("/images/a%2Fb/json"), {
      version: undefined,
      path: "/images/a/b/json",
    });
    assert.deepEqual(splitVersionedPath("/v1.24/_ping"), { version: "1.24", path: "/_ping" });
  });

  it("splitVersionedPath rejects broken escapes", () => {
    assert.throws(
      () => splitVersionedPath("/images/%zz/json"),
      (e: unknown) => e instanceof BerthError && e.kind === "invalid-argument",
    );
  });
});

describe("resolveApiVersion", () => {
  const range = { current: "1.50", min: "1.24" };

  it("resolveApiVersion uses the current version for unversioned paths", () => {
    assert.equal(resolveApiVersion(undefined, range), "1.50");
    assert.equal(resolveApiVersion("1.24", range), "1.24");
    assert.equal(resolveApiVersion("1.41", range), "1.41");
  });

  it("resolveApiVersion uses Docker's wording outside the range", () => {
    assert.throws(() => resolveApiVersion("1.12", range), {
      message:
        "client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version",
    });
    assert.throws(() => resolveApiVersion("1.99", range), {
      message: "client version 1.99 is too new. Maximum supported API version is 1.50",
    });
    assert.throws(() => resolveApiVersion("1.100", range), /too new/);
  });
});
