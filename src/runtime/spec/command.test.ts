import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveCommand, resolveContainerCommand } from "./command.js";

const image = { Entrypoint: ["/entry.sh"], Cmd: ["serve", "--port", "80"] };

test("resolveCommand runs ENTRYPOINT with CMD by default", () => {
  assert.deepEqual(resolveCommand(image, {}), ["/entry.sh", "serve", "--port", "80"]);
  assert.deepEqual(resolveCommand({ Cmd: ["sh"] }, {}), ["sh"]);
  assert.deepEqual(resolveCommand({ Entrypoint: ["top"], Cmd: null }, { cmd: [] }), ["top"]);
});

test("resolveCommand replaces CMD with run arguments and keeps ENTRYPOINT", () => {
  assert.deepEqual(resolveCommand(image, { cmd: ["migrate"] }), ["/entry.sh", "migrate"]);
  assert.deepEqual(resolveCommand({ Cmd: ["sh"] }, { cmd: ["echo", "hi"] }), ["echo", "hi"]);
});

test("resolveCommand --entrypoint replaces ENTRYPOINT and clears the image CMD", () => {
  assert.deepEqual(resolveCommand(image, { entrypoint: ["/bin/sh"] }), ["/bin/sh"]);
  assert.deepEqual(resolveCommand(image, { entrypoint: ["/bin/sh", "-c"], cmd: ["id"] }), [
    "/bin/sh",
    "-c",
    "id",
  ]);
});

test("resolveCommand --entrypoint '' resets ENTRYPOINT", () => {
  assert.deepEqual(resolveCommand(image, { entrypoint: [""], cmd: ["ls"] }), ["ls"]);
  assert.throws(() => resolveCommand(image, { entrypoint: [""] }), {
    kind: "invalid-argument",
    message: "no command specified",
  });
  // An empty list (API only) resets ENTRYPOINT but keeps the image CMD, as Docker's merge does.
  assert.deepEqual(resolveCommand(image, { entrypoint: [] }), ["serve", "--port", "80"]);
});

test("resolveCommand fails without any command", () => {
  assert.throws(() => resolveCommand({}, {}), { kind: "invalid-argument", message: "no command specified" });
  assert.throws(() => resolveCommand({ Entrypoint: [], Cmd: [] }, { cmd: [] }), {
    message: "no command specified",
  });
});

test("resolveContainerCommand returns what Docker records as Entrypoint and Cmd", () => {
  assert.deepEqual(resolveContainerCommand(image, { cmd: ["x"] }), {
    entrypoint: ["/entry.sh"],
    cmd: ["x"],
    args: ["/entry.sh", "x"],
  });
  assert.deepEqual(resolveContainerCommand(image, { entrypoint: ["/bin/sh"] }), {
    entrypoint: ["/bin/sh"],
    cmd: null,
    args: ["/bin/sh"],
  });
  assert.deepEqual(resolveContainerCommand({ Cmd: ["sh"] }, {}), {
    entrypoint: null,
    cmd: ["sh"],
    args: ["sh"],
  });
});
