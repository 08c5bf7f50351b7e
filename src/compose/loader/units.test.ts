import assert from "node:assert/strict";
import { test } from "node:test";
import { shellSplit } from "./shell-words.js";
import { formatDuration, parseBytes, parseDuration } from "./units.js";

test("parseDuration reads Go durations and bare seconds", () => {
  assert.equal(parseDuration("1m30s"), 90e9);
  assert.equal(parseDuration("1.5s"), 1.5e9);
  assert.equal(parseDuration("100ms"), 1e8);
  assert.equal(parseDuration("10"), 10e9);
  assert.equal(parseDuration("1h"), 3600e9);
  assert.equal(parseDuration("ten"), undefined);
  assert.equal(parseDuration("5x"), undefined);
});

test("formatDuration prints like Go's time.Duration", () => {
  assert.equal(formatDuration(30e9), "30s");
  assert.equal(formatDuration(90e9), "1m30s");
  assert.equal(formatDuration(3600e9), "1h0m0s");
  assert.equal(formatDuration(5e8), "500ms");
  assert.equal(formatDuration(1.5e9), "1.5s");
  assert.equal(formatDuration(0), "0s");
});

test("parseBytes uses binary multiples as docker's RAMInBytes", () => {
  assert.equal(parseBytes("512m"), 536870912);
  assert.equal(parseBytes("1gb"), 1073741824);
  assert.equal(parseBytes("1G"), 1073741824);
  assert.equal(parseBytes(2048), 2048);
  assert.equal(parseBytes("64k"), 65536);
  assert.equal(parseBytes("lots"), undefined);
});

test("shellSplit splits with quotes and escapes, no expansion", () => {
  assert.deepEqual(shellSplit(`echo "a b" 'c d' e\\ f $HOME`), ["echo", "a b", "c d", "e f", "$HOME"]);
  assert.deepEqual(shellSplit(`sh -c "echo \\"hi\\""`), ["sh", "-c", 'echo "hi"']);
  assert.deepEqual(shellSplit("  "), []);
  assert.deepEqual(shellSplit(`a ""`), ["a", ""]);
  assert.throws(() => shellSplit(`echo "oops`), /unterminated double quote/);
});
