import assert from "node:assert/strict";
import { test } from "node:test";
import type { RegistryError } from "./errors.js";
import { checkDigest, isValidName, isValidTag, parseManifestReference } from "./names.js";

const D = `sha256:${"0123456789abcdef".repeat(4)}`;

test("isValidName follows the spec's name grammar", () => {
  for (const ok of ["a", "library/busybox", "a.b_c__d-e--f/g0", "x/y/z"]) assert.ok(isValidName(ok), ok);
  for (const bad of ["", "A", "a/", "/a", "a//b", "a___b", "-a", "a-", "a/.b", "a b", "a:b"]) {
    assert.ok(!isValidName(bad), bad);
  }
});

test("isValidTag allows 128 characters and refuses a leading . or -", () => {
  assert.ok(isValidTag("v1.2.3-rc_1"));
  assert.ok(isValidTag("_x"));
  assert.ok(isValidTag("a".repeat(128)));
  assert.ok(!isValidTag("a".repeat(129)));
  assert.ok(!isValidTag(".x"));
  assert.ok(!isValidTag("-x"));
  assert.ok(!isValidTag("a/b"));
  assert.ok(!isValidTag(""));
});

test("parseManifestReference tells digests from tags and refuses other algorithms", () => {
  assert.deepEqual(parseManifestReference("latest"), { kind: "tag", tag: "latest" });
  assert.deepEqual(parseManifestReference(D), { kind: "digest", digest: D });
  const code = (ref: string) => {
    try {
      parseManifestReference(ref);
      return "ok";
    } catch (e) {
      return (e as RegistryError).code;
    }
  };
  assert.equal(code(`sha512:${"a".repeat(128)}`), "DIGEST_INVALID");
  assert.equal(code("sha256:short"), "DIGEST_INVALID");
  assert.equal(code("-x"), "TAG_INVALID");
  assert.throws(() => checkDigest("sha512:aa"), /unsupported digest algorithm "sha512"/);
});
