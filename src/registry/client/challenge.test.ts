import assert from "node:assert/strict";
import { test } from "node:test";
import { parseChallenges, repositoryScope } from "./challenge.js";

test("parseChallenges reads a Bearer challenge with quoted parameters", () => {
  assert.deepEqual(
    parseChallenges(
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
    ),
    [
      {
        scheme: "bearer",
        params: {
          realm: "https://auth.example/token",
          service: "registry.example",
          scope: "repository:a/b:pull,push",
        },
      },
    ],
  );
});

test("parseChallenges reads several challenges and unquoted values", () => {
  assert.deepEqual(
    parseChallenges(['Basic realm="Registry Realm"', "Bearer realm=https://x/t, error=invalid_token"]),
    [
      { scheme: "basic", params: { realm: "Registry Realm" } },
      { scheme: "bearer", params: { realm: "https://x/t", error: "invalid_token" } },
    ],
  );
});

test("parseChallenges of nothing is empty", () => {
  assert.deepEqual(parseChallenges(undefined), []);
  assert.deepEqual(parseChallenges(""), []);
});

test("repositoryScope joins actions", () => {
  assert.equal(repositoryScope("library/nginx", ["pull", "push"]), "repository:library/nginx:pull,push");
});
