import assert from "node:assert/strict";
import { test } from "node:test";
import { GO_MODE, goFileMode, rfc3339Nano } from "./path-stat.js";

test("goFileMode maps file types and special bits as Go's os.Lstat does", () => {
  assert.equal(goFileMode(0o100644), 0o644);
  assert.equal(goFileMode(0o040755), GO_MODE.dir + 0o755);
  assert.equal(goFileMode(0o041777), GO_MODE.dir + GO_MODE.sticky + 0o777);
  assert.equal(goFileMode(0o120777), GO_MODE.symlink + 0o777);
  assert.equal(goFileMode(0o020666), GO_MODE.device + GO_MODE.charDevice + 0o666);
  assert.equal(goFileMode(0o060660), GO_MODE.device + 0o660);
  assert.equal(goFileMode(0o010600), GO_MODE.namedPipe + 0o600);
  assert.equal(goFileMode(0o104755), GO_MODE.setuid + 0o755);
  assert.equal(goFileMode(0o040755), 2147484141, "the high bit stays positive");
});

test("rfc3339Nano writes UTC with trimmed nanoseconds", () => {
  assert.equal(rfc3339Nano(1_704_067_200_000_000_000n), "2024-01-01T00:00:00Z");
  assert.equal(rfc3339Nano(1_704_067_200_500_000_000n), "2024-01-01T00:00:00.5Z");
  assert.equal(rfc3339Nano(1_704_067_200_000_000_123n), "2024-01-01T00:00:00.000000123Z");
});
