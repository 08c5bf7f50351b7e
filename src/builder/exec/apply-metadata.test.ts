import assert from "node:assert/strict";
import { test } from "node:test";
import type { ContainerConfig } from "../../oci/image-config.js";
import { groupStages, parseDockerfile, parseInstructions, StageScope } from "../dockerfile/index.js";
import { applyMetadata, nopCreatedBy, resolveWorkdir, runArgv } from "./apply-metadata.js";

function commands(text: string) {
  return groupStages(parseInstructions(parseDockerfile(`FROM scratch\n${text}`).nodes)).stages[0]!.commands;
}

test("applyMetadata sets the config and Docker's created_by text", () => {
  const scope = new StageScope({ globalArgs: new Map() });
  const config: ContainerConfig = {};
  const texts = commands(
    'ENV A=b\nLABEL x=$A\nEXPOSE 80 53/udp\nWORKDIR /app\nWORKDIR sub\nUSER nobody\nCMD ["sh"]\nSTOPSIGNAL SIGINT\nVOLUME /data',
  ).map((c) => applyMetadata(config, c, scope)!.text);
  assert.equal(nopCreatedBy(["/bin/sh", "-c"], texts[0]!), "/bin/sh -c #(nop)  ENV A=b");
  assert.deepEqual(texts.slice(1), [
    " LABEL x=b",
    " EXPOSE 53/udp 80/tcp",
    "WORKDIR /app",
    "WORKDIR /app/sub",
    " USER nobody",
    ' CMD ["sh"]',
    " STOPSIGNAL SIGINT",
    ' VOLUME ["/data"]',
  ]);
  assert.ok(config.Env?.includes("A=b"));
  assert.deepEqual(config.Labels, { x: "b" });
  assert.deepEqual(config.ExposedPorts, { "80/tcp": {}, "53/udp": {} });
  assert.equal(config.WorkingDir, "/app/sub");
  assert.deepEqual(config.Cmd, ["sh"]);
});

test("runArgv uses the stage's SHELL for the shell form only", () => {
  const [shellForm, execForm] = commands('RUN echo hi\nRUN ["echo", "hi"]');
  assert.deepEqual(runArgv(shellForm as never, {}), ["/bin/sh", "-c", "echo hi"]);
  assert.deepEqual(runArgv(shellForm as never, { Shell: ["/bin/bash", "-lc"] }), [
    "/bin/bash",
    "-lc",
    "echo hi",
  ]);
  assert.deepEqual(runArgv(execForm as never, {}), ["echo", "hi"]);
});

test("resolveWorkdir joins relative paths and cleans dots", () => {
  assert.equal(resolveWorkdir(undefined, "a/b"), "/a/b");
  assert.equal(resolveWorkdir("/x", "../y/./z"), "/y/z");
});
