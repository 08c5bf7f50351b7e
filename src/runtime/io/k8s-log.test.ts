import assert from "node:assert/strict";
import { test } from "node:test";
import { formatLogLine, formatTimestampNs, parseLogLine, parseTimestampNs, splitRecords } from "./k8s-log.js";

test("parseTimestampNs handles offsets and nanoseconds", () => {
  assert.equal(parseTimestampNs("1970-01-01T00:00:01.000000002Z"), 1_000_000_002n);
  assert.equal(parseTimestampNs("1970-01-01T01:00:01.5+01:00"), 1_500_000_000n);
  assert.equal(parseTimestampNs("1969-12-31T23:30:00-00:30"), 0n);
  assert.equal(
    parseTimestampNs("2026-11-27T21:41:59.669345384+00:00"),
    BigInt(Date.UTC(2026, 10, 27, 21, 41, 59)) * 1_000_000n + 669_345_384n,
  );
  assert.equal(parseTimestampNs("2026-11-27 21:41:59Z"), undefined);
  assert.equal(parseTimestampNs("garbage"), undefined);
});

test("formatTimestampNs keeps nine fraction digits in UTC", () => {
  assert.equal(formatTimestampNs(1_000_000_002n), "1970-01-01T00:00:01.000000002Z");
  const ns = parseTimestampNs("2026-11-27T22:41:59.669345384+01:00")!;
  assert.equal(formatTimestampNs(ns), "2026-11-27T21:41:59.669345384Z");
});

test("parseLogLine reads full and partial records", () => {
  const full = parseLogLine(Buffer.from("2026-11-27T21:41:59.669345384+00:00 stdout F hello world"));
  assert.ok(full);
  assert.equal(full.stream, "stdout");
  assert.equal(full.partial, false);
  assert.equal(full.line.toString(), "hello world");
  assert.equal(full.time, "2026-11-27T21:41:59.669345384+00:00");
  const part = parseLogLine(Buffer.from("2026-11-27T21:41:59.669345384+00:00 stderr P  two  spaces "));
  assert.ok(part);
  assert.equal(part.stream, "stderr");
  assert.equal(part.partial, true);
  assert.equal(part.line.toString(), " two  spaces ");
  const empty = parseLogLine(Buffer.from("2026-11-27T21:41:59Z stdout F "));
  assert.equal(empty?.line.length, 0);
  assert.equal(parseLogLine(Buffer.from("2026-11-27T21:41:59Z stdout F"))?.line.length, 0);
});

test("parseLogLine rejects malformed records", () => {
  for (const bad of [
    "",
    "nonsense",
    "2026-11-27T21:41:59Z stdin F x",
    "2026-11-27T21:41:59Z stdout X x",
    "2026-11-27T21:41:59Z stdout Fx",
    "yesterday stdout F x",
  ])
    assert.equal(parseLogLine(Buffer.from(bad)), undefined, bad);
});

test("formatLogLine is the inverse of parseLogLine", () => {
  const rec = formatLogLine({
    time: "2026-01-02T03:04:05.000000006Z",
    stream: "stderr",
    partial: true,
    line: Buffer.from("\r\x00é"),
  });
  assert.equal(rec.at(-1), 0x0a);
  const e = parseLogLine(rec.subarray(0, -1));
  assert.deepEqual(e?.line, Buffer.from("\r\x00é"));
  assert.equal(e?.partial, true);
});

test("splitRecords returns complete lines and the rest", () => {
  const { records, rest } = splitRecords(Buffer.from("a\nbc\n\nd"));
  assert.deepEqual(records.map(String), ["a", "bc", ""]);
  assert.equal(rest.toString(), "d");
});
