import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decodeRegistryAuth,
  decodeRegistryConfig,
  encodeRegistryAuth,
  registryConfigFor,
} from "./registry-auth.js";

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

test("decodeRegistryConfig reads every registry's credentials; registryConfigFor finds one by domain", () => {
  const header = Buffer.from(
    JSON.stringify({
      "127.0.0.1:5000": { username: "a", password: "b" },
      "https://index.docker.io/v1/": { auth: Buffer.from("hub:pw").toString("base64") },
      "empty.example": {},
    }),
  ).toString("base64url");
  const configs = decodeRegistryConfig(header);
  assert.deepEqual(Object.keys(configs).sort(), ["127.0.0.1:5000", "https://index.docker.io/v1/"]);
  assert.equal(registryConfigFor(configs, "127.0.0.1:5000")?.username, "a");
  assert.equal(registryConfigFor(configs, "docker.io")?.username, "hub");
  assert.equal(registryConfigFor(configs, "other.example"), undefined);
  assert.deepEqual(decodeRegistryConfig(undefined), {});
  assert.throws(() => decodeRegistryConfig("not json!"), /invalid X-Registry-Config header/);
  assert.throws(
    () => decodeRegistryConfig(Buffer.from("[1]").toString("base64")),
    /expected a JSON object of credentials/,
  );
});
