import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseTimestampArg } from "./timestamp-arg.js";

const NOW = new Date("2024-01-01T12:00:00.750Z");

describe("parseTimestampArg", () => {
  let tz: string | undefined;
  before(() => {
    tz = process.env.TZ;
    process.env.TZ = "Asia/Kolkata"; // +05:30, no daylight saving
  });
  after(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it("parseTimestampArg reads fractions with leading zeros in base 10", () => {
    assert.equal(parseTimestampArg("1795820174.090", new Date(0)), "1795820174.090");
    assert.equal(parseTimestampArg("0800", new Date(0)), "0800");
  });

  it("parseTimestampArg turns a duration into whole seconds before now", () => {
    assert.equal(parseTimestampArg("10m", NOW), String(Date.parse("2024-01-01T11:50:00Z") / 1000));
    assert.equal(parseTimestampArg("1.5s", NOW), String(Date.parse("2024-01-01T11:59:59Z") / 1000));
    assert.equal(parseTimestampArg("-1h", NOW), String(Date.parse("2024-01-01T13:00:00Z") / 1000));
  });

  it("parseTimestampArg reads zoned dates and times", () => {
    assert.equal(parseTimestampArg("2024-01-01T00:00:00Z", NOW), "1704067200.000000000");
    assert.equal(parseTimestampArg("2024-01-01T01:00:00+01:00", NOW), "1704067200.000000000");
    assert.equal(parseTimestampArg("2023-12-31T19:00:00.5-05:00", NOW), "1704067200.500000000");
    assert.equal(parseTimestampArg("2024-01-01T00Z", NOW), "1704067200.000000000");
    assert.equal(parseTimestampArg("2024-01-01T00:30+00:30", NOW), "1704067200.000000000");
    assert.equal(parseTimestampArg("2024-01-01Z", NOW), "1704067200.000000000");
  });

  it("parseTimestampArg reads unzoned values in the local zone", () => {
    assert.equal(parseTimestampArg("2024-01-01T05:30:00", NOW), "1704067200.000000000");
    assert.equal(parseTimestampArg("2024-01-01T05:30", NOW), "1704067200.000000000");
    assert.equal(parseTimestampArg("2024-01-01T05", NOW), "1704065400.000000000");
    assert.equal(parseTimestampArg("2024-01-01T05:30:00.000000001", NOW), "1704067200.000000001");
    assert.equal(parseTimestampArg("2024-01-01", NOW), "1704047400.000000000");
  });

  it("parseTimestampArg passes Unix timestamps through", () => {
    assert.equal(parseTimestampArg("1704067200", NOW), "1704067200");
    assert.equal(parseTimestampArg("1704067200.25", NOW), "1704067200.25");
    assert.equal(parseTimestampArg("0", NOW), "0");
  });

  it("parseTimestampArg rejects what docker rejects, in docker's words", () => {
    assert.throws(() => parseTimestampArg("xyz", NOW), {
      message: 'failed to parse value as time or duration: "xyz"',
    });
    assert.throws(() => parseTimestampArg("0x10", NOW), /failed to parse value as time or duration/);
    assert.throws(() => parseTimestampArg("2024-13-01", NOW), {
      message: 'parsing time "2024-13-01": month out of range',
    });
    assert.throws(() => parseTimestampArg("2024-02-30", NOW), /day out of range/);
    assert.throws(() => parseTimestampArg("2024-01-01X", NOW), {
      message: /^parsing time "2024-01-01X" as "2006-01-02"/,
    });
  });
});
