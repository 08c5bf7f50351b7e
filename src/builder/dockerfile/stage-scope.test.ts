// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell syntax under test
import assert from "node:assert/strict";
import { test } from "node:test";
import { DockerfileError } from "./errors.js";
import type { ArgInstruction, EnvInstruction } from "./instruction-types.js";
import { parseInstructions } from "./instructions.js";
import { parseDockerfile } from "./parser.js";
import { platformArgs, proxyEnv, resolveGlobalArgs, StageScope } from "./stage-scope.js";

const AMD64 = { os: "linux", architecture: "amd64" };

function argCmd(text: string): ArgInstruction {
  const [ins] = parseInstructions(parseDockerfile(text).nodes);
  return ins as ArgInstruction;
}

function envCmd(text: string): EnvInstruction {
  const [ins] = parseInstructions(parseDockerfile(text).nodes);
  return ins as EnvInstruction;
}

test("platformArgs describes build and target platforms", () => {
  const args = platformArgs({
    buildPlatform: AMD64,
    targetPlatform: { os: "linux", architecture: "arm", variant: "v7" },
    buildArgs: { BUILDOS: "override" },
  });
  assert.deepEqual(Object.fromEntries(args), {
    BUILDPLATFORM: "linux/amd64",
    BUILDOS: "override",
    BUILDOSVERSION: "",
    BUILDARCH: "amd64",
    BUILDVARIANT: "",
    TARGETPLATFORM: "linux/arm/v7",
    TARGETOS: "linux",
    TARGETOSVERSION: "",
    TARGETARCH: "arm",
    TARGETVARIANT: "v7",
    TARGETSTAGE: "default",
  });
});

test("proxyEnv picks the proxy build args in any case", () => {
  assert.deepEqual(proxyEnv({ HTTP_PROXY: "h", no_proxy: "n", Https_Proxy: "s", OTHER: "o" }), {
    HTTP_PROXY: "h",
    Https_Proxy: "s",
    no_proxy: "n",
  });
});

test("resolveGlobalArgs applies defaults in order and lets build args win", () => {
  const metas = [argCmd("ARG A=1\n"), argCmd("ARG B=${A}-$TARGETARCH C\n")];
  const g = resolveGlobalArgs(metas, { buildPlatform: AMD64 });
  assert.equal(g.get("B"), "1-amd64");
  assert.equal(g.has("C"), false);
  const o = resolveGlobalArgs(metas, { buildPlatform: AMD64, buildArgs: { A: "9", C: "c" } });
  assert.equal(o.get("B"), "9-amd64");
  assert.equal(o.get("C"), "c");
});

test("StageScope hides global ARGs until the stage declares them", () => {
  const globals = resolveGlobalArgs([argCmd("ARG VERSION=1.2\n")], { buildPlatform: AMD64 });
  const scope = new StageScope({ globalArgs: globals });
  assert.equal(scope.expandWord("v$VERSION-$TARGETOS"), "v-");
  assert.deepEqual(scope.applyArg(argCmd("ARG VERSION TARGETOS\n")), [
    { key: "VERSION", value: "1.2" },
    { key: "TARGETOS", value: "linux" },
  ]);
  assert.equal(scope.expandWord("v$VERSION-$TARGETOS"), "v1.2-linux");
  assert.deepEqual([...scope.expand("$VERSION $NOPE").unmatched], ["NOPE"]);
});

test("StageScope gives build args precedence over defaults and expands defaults in the stage", () => {
  const scope = new StageScope({ globalArgs: new Map([["G", "global"]]), buildArgs: { B: "from-cli" } });
  scope.applyEnv(envCmd("ENV HOME=/root\n"));
  assert.deepEqual(scope.applyArg(argCmd("ARG B=default D=$HOME/x G=local U\n")), [
    { key: "B", value: "from-cli" },
    { key: "D", value: "/root/x" },
    { key: "G", value: "local" },
    { key: "U" },
  ]);
  assert.equal(scope.get("U"), undefined);
  assert.deepEqual([...scope.declaredArgs().keys()], ["B", "D", "G", "U"]);
});

test("StageScope expands all ENV pairs against the variables before the instruction", () => {
  const scope = new StageScope({ globalArgs: new Map() });
  scope.applyEnv(envCmd("ENV abc=hello\n"));
  assert.deepEqual(
    scope.applyEnv(envCmd('ENV abc=bye def=$abc ghi="a b"\n')).map((kv) => [kv.key, kv.value]),
    [
      ["abc", "bye"],
      ["def", "hello"],
      ["ghi", "a b"],
    ],
  );
  assert.equal(scope.get("def"), "hello");
});

test("StageScope starts from the image Env with a default PATH and keeps ARGs out of the image", () => {
  const scope = new StageScope({
    globalArgs: new Map(),
    imageEnv: ["LANG=C.UTF-8"],
    buildArgs: { http_proxy: "p" },
  });
  assert.equal(scope.get("PATH"), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  scope.applyArg(argCmd("ARG A=1\n"));
  scope.applyEnv(envCmd("ENV PATH=$PATH:/app/bin\n"));
  assert.deepEqual(scope.imageEnv(), [
    "LANG=C.UTF-8",
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/app/bin",
  ]);
  assert.equal(scope.runEnv().get("A"), "1");
  assert.equal(scope.runEnv().get("http_proxy"), "p");
  assert.equal(scope.expandWord("$http_proxy"), "");
  assert.equal(new StageScope({ globalArgs: new Map(), imageEnv: ["PATH=/x"] }).get("PATH"), "/x");
  assert.equal(new StageScope({ globalArgs: new Map(), os: "windows" }).get("PATH"), undefined);
});

test("StageScope inherits the scope of the parent stage", () => {
  const parent = new StageScope({ globalArgs: new Map(), buildArgs: { V: "2" } });
  parent.applyArg(argCmd("ARG V\n"));
  parent.applyEnv(envCmd("ENV E=e\n"));
  const child = new StageScope({ globalArgs: new Map(), parent });
  assert.equal(child.expandWord("$V$E"), "2e");
  child.applyEnv(envCmd("ENV E=changed\n"));
  assert.equal(parent.get("E"), "e");
});

test("StageScope errors are located at the instruction", () => {
  const scope = new StageScope({ globalArgs: new Map(), file: "Dockerfile.ci" });
  assert.throws(
    () => scope.applyEnv(envCmd("ENV A=${B:?required}\n")),
    (err: unknown) =>
      err instanceof DockerfileError && err.file === "Dockerfile.ci" && /B: required/.test(err.detail),
  );
});
