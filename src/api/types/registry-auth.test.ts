import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeRegistryAuth, encodeRegistryAuth } from "./registry-auth.js";

test("decodeRegistryAuth reads what encodeRegistryAuth writes", () => {
  const auth = { username: "u", password: "p?>>", serveraddress: "127.0.0.1:5000" };
  assert.deepEqual(decodeRegistryAuth(encodeRegistryAuth(auth)), auth);
});

test("decodeRegistryAuth: empty header and {} are anonymous-ish, junk is refused", () => {
  assert.equal(decodeRegistryAuth(undefined), undefined);
  assert.equal(decodeRegistryAuth(""), undefined);
  assert.deepEqual(decodeRegistryAuth("e30="), {});
  assert.throws(() => decodeRegistryAuth("bm90IGpzb24"), /invalid X-Registry-Auth/);
});

test("decodeRegistryAuth splits the legacy auth field", () => {
  const header = encodeRegistryAuth({ auth: Buffer.from("alice:s3:cret").toString("base64") });
  const got = decodeRegistryAuth(header);
  assert.equal(got?.username, "alice");
  assert.equal(got?.password, "s3:cret");
});
