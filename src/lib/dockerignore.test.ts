import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ContextFilter,
  parseDockerignore,
  selectDockerignore,
  trimBuildFilesFromExcludes,
} from "./dockerignore.js";

test("parseDockerignore reads patterns like docker/cli's ReadAll", () => {
  const text =
    "\ufefftest1\r\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! \n  # not a comment\n\tspaced/out/  \n./dot/../clean\n";
  assert.deepEqual(parseDockerignore(text), [
    "test1",
    "test2",
    "a/file/here",
    "lastfile",
    "!inverted/abs/path",
    "!",
    "!",
    "# not a comment",
    "spaced/out",
    "clean",
  ]);
  assert.deepEqual(parseDockerignore(""), []);
  assert.deepEqual(parseDockerignore("/\n"), ["/"]);
});

test("selectDockerignore prefers the Dockerfile-specific ignore file", () => {
  const files = ["app/Dockerfile", "app/Dockerfile.dockerignore", ".dockerignore"];
  assert.equal(selectDockerignore("app/Dockerfile", files), "app/Dockerfile.dockerignore");
  assert.equal(selectDockerignore("./app/Dockerfile", files), "app/Dockerfile.dockerignore");
  assert.equal(selectDockerignore("Dockerfile", files), ".dockerignore");
  assert.equal(selectDockerignore("-", files), ".dockerignore");
  assert.equal(selectDockerignore("app/Dockerfile", ["app/Dockerfile"]), undefined);
  assert.equal(
    selectDockerignore("Dockerfile.dev", ["Dockerfile.dev.dockerignore"]),
    "Dockerfile.dev.dockerignore",
  );
});

test("trimBuildFilesFromExcludes re-includes the Dockerfile and .dockerignore", () => {
  assert.deepEqual(trimBuildFilesFromExcludes(["*", "!src"], "Dockerfile"), [
    "*",
    "!src",
    "!.dockerignore",
    "!Dockerfile",
  ]);
  assert.deepEqual(trimBuildFilesFromExcludes(["build"], "build/Dockerfile"), ["build", "!build/Dockerfile"]);
  assert.deepEqual(trimBuildFilesFromExcludes(["*.md"], "Dockerfile"), ["*.md"]);
  assert.deepEqual(trimBuildFilesFromExcludes(["*"], "-"), ["*", "!.dockerignore"]);
});

test("ContextFilter.shouldSend always sends the build files", () => {
  const f = new ContextFilter(["*", "!src/**", "docker"], { dockerfile: "docker/Dockerfile" });
  assert.equal(f.shouldSend("README.md", false), false);
  assert.equal(f.shouldSend("src/main.go", false), true);
  assert.equal(f.shouldSend(".dockerignore", false), true);
  assert.equal(f.shouldSend("docker/Dockerfile", false), true);
  assert.equal(f.shouldSend("docker/other", false), false);
  assert.equal(f.shouldSend(".", true), true);
  assert.equal(f.shouldWalk("docker"), true);
  assert.equal(f.shouldWalk("node_modules"), false);
  assert.equal(f.matches("docker/Dockerfile"), true);
  assert.equal(f.excludedFromBuild("docker/Dockerfile"), true);
  assert.equal(f.excludedFromBuild(".dockerignore"), true);
  assert.equal(f.excludedFromBuild("src/main.go"), false);
});

test("ContextFilter walks excluded directories only when an exception reaches below", () => {
  const f = new ContextFilter(parseDockerignore("node_modules\ndocs\n!docs/api/index.md\n.git\n"));
  assert.equal(f.shouldWalk("node_modules"), false);
  assert.equal(f.shouldWalk(".git"), false);
  assert.equal(f.shouldWalk("docs"), true);
  assert.equal(f.shouldWalk("docs/guide"), false);
  assert.equal(f.shouldSend("docs", true), false);
  assert.equal(f.shouldSend("docs/api/index.md", false), true);
  assert.equal(f.shouldSend("docs/api/other.md", false), false);
  assert.equal(f.mightMatchBelow("docs/api"), true);
  assert.equal(f.shouldWalk("src"), true);
  assert.equal(f.shouldSend("Dockerfile", false), true);
  assert.equal(f.excludedFromBuild("Dockerfile"), false);
});

test("ContextFilter keeps a Dockerfile-specific ignore file", () => {
  const f = new ContextFilter(["app"], {
    dockerfile: "app/Dockerfile",
    ignoreFile: "app/Dockerfile.dockerignore",
  });
  assert.equal(f.shouldSend("app/Dockerfile.dockerignore", false), true);
  assert.equal(f.shouldSend("app/Dockerfile", false), true);
  assert.equal(f.shouldSend("app/main.go", false), false);
  assert.equal(f.excludedFromBuild("app/Dockerfile.dockerignore"), true);
});
