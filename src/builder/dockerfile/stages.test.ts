// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell syntax under test
import assert from "node:assert/strict";
import { test } from "node:test";
import { BerthError } from "../../lib/errors.js";
import { DockerfileError } from "./errors.js";
import { parseInstructions } from "./instructions.js";
import { parseDockerfile } from "./parser.js";
import type { PlanOptions } from "./stages.js";
import { groupStages, planBuild } from "./stages.js";

const AMD64 = { os: "linux", architecture: "amd64" };

function stages(text: string) {
  return groupStages(parseInstructions(parseDockerfile(text).nodes));
}

function plan(text: string, options: Partial<PlanOptions> = {}) {
  return planBuild(stages(text), { buildPlatform: AMD64, ...options });
}

function names(text: string, options: Partial<PlanOptions> = {}): string[] {
  return plan(text, options).stages.map((s) => s.stage.name || `#${s.stage.index}`);
}

test("groupStages splits instructions at FROM and keeps global ARGs apart", () => {
  const df = stages("ARG A=1\nARG B\nFROM x AS One\nRUN a\nFROM y\nCOPY --from=one /a /b\n");
  assert.deepEqual(
    df.metaArgs.map((a) => a.args.map((x) => x.key)),
    [["A"], ["B"]],
  );
  assert.deepEqual(
    df.stages.map((s) => [s.index, s.name, s.commands.map((c) => c.kind)]),
    [
      [0, "one", ["RUN"]],
      [1, "", ["COPY"]],
    ],
  );
});

test("groupStages refuses instructions before the first FROM", () => {
  assert.throws(
    () => stages("ARG A\nRUN x\nFROM a\n"),
    (err: unknown) =>
      err instanceof DockerfileError && err.line === 2 && err.detail === "no build stage in current context",
  );
  assert.throws(() => stages("ARG A\n"), /dockerfile contains no stages to build/);
});

const MULTI = `FROM golang:1.22 AS build
RUN go build -o /out/app
FROM alpine AS certs
RUN apk add ca-certificates
FROM build AS test
RUN go test ./...
FROM scratch AS final
COPY --from=certs /etc/ssl /etc/ssl
COPY --from=build /out/app /app
FROM final AS unused
`;

test("planBuild orders the stages a target needs, dependencies first", () => {
  assert.deepEqual(names(MULTI, { target: "final" }), ["certs", "build", "final"]);
  assert.deepEqual(names(MULTI, { target: "TEST" }), ["build", "test"]);
  assert.deepEqual(names(MULTI), ["certs", "build", "final", "unused"]);
  const p = plan(MULTI, { target: "final" });
  assert.deepEqual(p.images, ["alpine", "golang:1.22"]);
  assert.equal(p.target.stage.name, "final");
  assert.deepEqual(p.target.base, { kind: "scratch" });
  assert.deepEqual(p.all[4]!.base, { kind: "stage", index: 3 });
});

test("planBuild resolves COPY --from by index, by name in any case, and as an image", () => {
  const text =
    "FROM a AS First\nFROM b\nCOPY --from=0 /x /x\nCOPY --from=FIRST /y /y\nCOPY --from=nginx:1.25 /z /z\n";
  const p = plan(text);
  assert.deepEqual(
    p.target.deps.map((d) => d.source),
    [
      { kind: "image", ref: "b" },
      { kind: "stage", index: 0 },
      { kind: "stage", index: 0 },
      { kind: "image", ref: "nginx:1.25" },
    ],
  );
  assert.deepEqual(p.images, ["a", "b", "nginx:1.25"]);
});

test("planBuild follows RUN --mount from= sources", () => {
  assert.deepEqual(names("FROM a AS deps\nFROM b\nRUN --mount=from=deps,target=/d ls /d\n"), ["deps", "#1"]);
});

test("planBuild treats FROM of a later stage name as an image", () => {
  const p = plan("FROM later\nFROM alpine AS later\n", { target: "later" });
  assert.deepEqual(p.all[0]!.base, { kind: "image", ref: "later" });
});

test("planBuild detects cycles and names them", () => {
  const text = "FROM a AS one\nCOPY --from=two /x /x\nFROM b AS two\nCOPY --from=one /y /y\n";
  assert.throws(
    () => plan(text),
    (err: unknown) =>
      err instanceof DockerfileError &&
      err.detail === "circular dependency detected on stage: one (one -> two -> one)" &&
      err.line === 4,
  );
  assert.throws(
    () => plan("FROM a\nCOPY --from=0 /x /x\n"),
    /circular dependency detected on stage: stage-0/,
  );
});

test("planBuild refuses missing stages, bad indexes and invalid names", () => {
  const fails = (text: string, detail: string | RegExp, line: number) =>
    assert.throws(
      () => plan(text),
      (err: unknown) => {
        assert.ok(err instanceof DockerfileError, String(err));
        if (typeof detail === "string") assert.equal(err.detail, detail);
        else assert.match(err.detail, detail);
        assert.equal(err.line, line);
        return true;
      },
    );
  fails(
    "FROM a\nCOPY --from=Build_Stage /x /x\n",
    /^failed to parse stage name "Build_Stage": invalid reference format/,
    2,
  );
  fails("FROM a\nCOPY --from=3 /x /x\n", "invalid stage index 3", 2);
  fails(
    "FROM a\nCOPY --from=$STAGE /x /x\n",
    "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
    2,
  );
  fails("ARG EMPTY\nFROM $EMPTY\n", "base name ($EMPTY) should not be blank", 2);
  fails(
    "FROM Upper:1\n",
    /invalid reference format: repository name \(library\/Upper\) must be lowercase/,
    1,
  );
  fails("FROM --platform=linux/arm64/v8/x a\n", /^failed to parse platform linux\/arm64\/v8\/x/, 1);
  assert.throws(
    () => plan("FROM a AS build\n", { target: "biuld" }),
    (err: unknown) =>
      err instanceof BerthError &&
      err.message === 'target stage "biuld" could not be found (did you mean build?)',
  );
});

test("planBuild expands global ARGs and platform args in FROM", () => {
  const text =
    "ARG BASE=alpine\nARG TAG=3.19\nFROM --platform=$BUILDPLATFORM ${BASE}:${TAG} AS b\nFROM ${BASE}:$TARGETARCH\n";
  const p = plan(text, {
    buildArgs: { TAG: "3.20" },
    targetPlatform: { os: "linux", architecture: "arm64" },
  });
  assert.equal(p.all[0]!.baseName, "alpine:3.20");
  assert.deepEqual(p.all[0]!.platform, AMD64);
  assert.deepEqual([...p.all[0]!.usedArgs].sort(), ["BASE", "BUILDPLATFORM", "TAG"]);
  assert.equal(p.all[1]!.baseName, "alpine:arm64");
  assert.equal(p.globalArgs.get("TARGETPLATFORM"), "linux/arm64");
  assert.equal(p.globalArgs.get("TARGETSTAGE"), "default");
  assert.equal(plan(text, { target: "b" }).globalArgs.get("TARGETSTAGE"), "b");
});

test("planBuild lists build args that no ARG declares", () => {
  const p = plan("ARG A\nFROM a\nARG B\n", {
    buildArgs: { A: "1", B: "2", C: "3", HTTP_PROXY: "x", TARGETOS: "y" },
  });
  assert.deepEqual(p.unusedBuildArgs, ["C"]);
});
