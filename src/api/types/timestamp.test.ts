import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BerthError } from "../../lib/errors.js";
import { formatTimestamp, parseTimestamp, toNanos } from "./timestamp.js";

describe("parseTimestamp", () => {
  it("parseTimestamp returns undefined for absent or empty values", () => {
    assert.equal(parseTimestamp(undefined), undefined);
    assert.equal(parseTimestamp(null), undefined);
    assert.equal(parseTimestamp(""), undefined);
  });

  it("parseTimestamp reads Unix seconds with and without a fraction", () => {
    assert.equal(parseTimestamp("1700000000"), 1_700_000_000_000_000_000n);
    assert.equal(parseTimestamp("1700000000.5"), 1_700_000_000_500_000_000n);
    assert.equal(parseTimestamp("1700000000.000000001"), 1_700_000_000_000_000_001n);
    assert.equal(parseTimestamp("0"), 0n);
  });

  it("parseTimestamp reads RFC 3339 with zones and fractions", () => {
    assert.equal(parseTimestamp("2023-11-14T22:13:20Z"), 1_700_000_000_000_000_000n);
    assert.equal(parseTimestamp("2023-11-14T22:13:20.25Z"), 1_700_000_000_250_000_000n);
    assert.equal(parseTimestamp("2023-11-15T00:13:20+02:00"), 1_700_000_000_000_000_000n);
    assert.equal(parseTimestamp("2023-11-14"), 1_699_920_000_000_000_000n);
  });

  it("parseTimestamp rejects garbage with invalid-argument", () => {
    for (const bad of ["soon", "1e9", "12:00", "2023-13-45Tx", "2023-13-01", "2023-01-01T25:00:00Z"]) {
      assert.throws(
        () => parseTimestamp(bad),
        (err: unknown) => err instanceof BerthError && err.kind === "invalid-argument",
        bad,
      );
    }
  });
});

describe("formatTimestamp", () => {
  it("formatTimestamp writes seconds.nanoseconds and round-trips", () => {
    assert.equal(formatTimestamp(1_700_000_000_000_000_001n), "1700000000.000000001");
    assert.equal(parseTimestamp(formatTimestamp(1_234_567_890_123_456_789n)), 1_234_567_890_123_456_789n);
  });

  it("toNanos converts Dates and fractional seconds", () => {
    assert.equal(toNanos(new Date(1_700_000_000_123)), 1_700_000_000_123_000_000n);
    assert.equal(toNanos(1_700_000_000.5), 1_700_000_000_500_000_000n);
  });
});
