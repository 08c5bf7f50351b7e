import assert from "node:assert/strict";
import { test } from "node:test";
import { BerthError } from "../../lib/errors.js";
import {
  ago,
  bytesSize,
  formatDuration,
  formatDurationNanos,
  humanDuration,
  humanSize,
  humanSizeWithPrecision,
  parseDuration,
  parseDurationNanos,
  parseHumanSize,
  parseMemory,
} from "./units.js";

// Expected values come from docker/go-units and Go's time package.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function throwsMessage(fn: () => unknown, message: string): void {
  assert.throws(
    fn,
    (err: unknown) => err instanceof BerthError && err.kind === "invalid-argument" && err.message === message,
  );
}

test("humanSize prints decimal units with 3 significant digits", () => {
  assert.equal(humanSize(0), "0B");
  assert.equal(humanSize(999), "999B");
  assert.equal(humanSize(1000), "1kB");
  assert.equal(humanSize(1234), "1.23kB");
  assert.equal(humanSize(5600), "5.6kB");
  assert.equal(humanSize(1234567), "1.23MB");
  assert.equal(humanSize(77_800_000), "77.8MB");
  assert.equal(humanSize(1.5e9), "1.5GB");
  assert.equal(humanSize(1e27), "1e+03YB");
});

test("humanSize keeps go-units' quirks: exponent form and half-even rounding", () => {
  assert.equal(humanSize(999_999), "1e+03kB");
  assert.equal(humanSize(999_500), "1e+03kB");
  assert.equal(humanSize(999_499), "999kB");
  assert.equal(humanSize(1125), "1.12kB");
  assert.equal(humanSize(3995), "4kB");
  assert.equal(humanSizeWithPrecision(1234567, 4), "1.235MB");
});

test("bytesSize prints binary units with 4 significant digits", () => {
  assert.equal(bytesSize(0), "0B");
  assert.equal(bytesSize(1024), "1KiB");
  assert.equal(bytesSize(1_572_864), "1.5MiB");
  assert.equal(bytesSize(1_073_741_824), "1GiB");
  assert.equal(bytesSize(123_456_789_012), "115GiB");
});

test("humanDuration follows go-units thresholds", () => {
  const cases: [number, string][] = [
    [0, "Less than a second"],
    [999, "Less than a second"],
    [SECOND, "1 second"],
    [2 * SECOND, "2 seconds"],
    [59 * SECOND + 999, "59 seconds"],
    [MINUTE, "About a minute"],
    [2 * MINUTE - 1, "About a minute"],
    [2 * MINUTE, "2 minutes"],
    [HOUR - 1, "59 minutes"],
    [HOUR, "About an hour"],
    [1.5 * HOUR - 1, "About an hour"],
    [1.5 * HOUR, "2 hours"],
    [47 * HOUR, "47 hours"],
    [48 * HOUR - 1, "2 days"],
    [13 * DAY, "13 days"],
    [14 * DAY, "2 weeks"],
    [59 * DAY, "8 weeks"],
    [60 * DAY, "2 months"],
    [364 * DAY, "12 months"],
    [730 * DAY - 1, "1 years"], // go-units rounds hours up, then truncates years
    [730 * DAY, "2 years"],
    [3000 * DAY, "8 years"],
  ];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms}ms`);
});

test("ago appends ' ago' to the duration between date and now", () => {
  const now = new Date("2024-01-01T12:00:00Z");
  assert.equal(ago(new Date("2024-01-01T11:57:00Z"), now), "3 minutes ago");
  assert.equal(ago(now.getTime() - 2 * 7 * DAY, now.getTime()), "2 weeks ago");
  assert.equal(ago(now, now), "Less than a second ago");
});

test("parseMemory parses RAMInBytes sizes", () => {
  assert.equal(parseMemory("12"), 12);
  assert.equal(parseMemory("12b"), 12);
  assert.equal(parseMemory("12m"), 12 * 1024 * 1024);
  assert.equal(parseMemory("12M"), 12 * 1024 * 1024);
  assert.equal(parseMemory("12mb"), 12 * 1024 * 1024);
  assert.equal(parseMemory("12MiB"), 12 * 1024 * 1024);
  assert.equal(parseMemory("1.5g"), 1.5 * 1024 ** 3);
  assert.equal(parseMemory("512 kb"), 512 * 1024);
  assert.equal(parseMemory("1t"), 1024 ** 4);
  assert.equal(parseMemory("1e3k"), 1_024_000);
  assert.equal(parseMemory("1_000"), 1000);
  assert.equal(parseMemory(".5k"), 512);
});

test("parseMemory rejects bad sizes with go-units' messages", () => {
  throwsMessage(() => parseMemory("12zz"), "invalid suffix: 'zz'");
  throwsMessage(() => parseMemory("12kbb"), "invalid suffix: 'kbb'");
  throwsMessage(() => parseMemory("12bb"), "invalid suffix: 'bb'");
  throwsMessage(() => parseMemory("12kx"), "invalid suffix: 'kx'");
  throwsMessage(() => parseMemory("abc"), "invalid size: 'abc'");
  throwsMessage(() => parseMemory(""), "invalid size: ''");
  throwsMessage(() => parseMemory("-1"), "invalid size: '-1'");
  throwsMessage(() => parseMemory("1.5.5"), 'strconv.ParseFloat: parsing "1.5.5": invalid syntax');
  throwsMessage(() => parseMemory(" 1"), 'strconv.ParseFloat: parsing "": invalid syntax');
});

test("parseHumanSize uses decimal multipliers", () => {
  assert.equal(parseHumanSize("44kB"), 44_000);
  assert.equal(parseHumanSize("17MB"), 17_000_000);
  assert.equal(parseHumanSize("1.5k"), 1500);
});

test("parseDuration parses Go durations into milliseconds", () => {
  assert.equal(parseDuration("0"), 0);
  assert.equal(parseDuration("1m30s"), 90_000);
  assert.equal(parseDuration("1.5h"), 5_400_000);
  assert.equal(parseDuration("-2m"), -120_000);
  assert.equal(parseDuration("+3s"), 3000);
  assert.equal(parseDuration("300ms"), 300);
  assert.equal(parseDuration("1us"), 0.001);
  assert.equal(parseDuration("1µs"), 0.001);
  assert.equal(parseDuration("1ns"), 1e-6);
  assert.equal(parseDuration(".5s"), 500);
  assert.equal(parseDuration("5.s"), 5000);
  assert.equal(parseDurationNanos("9223372036854775807ns"), 9223372036854775807n);
  assert.equal(parseDurationNanos("-9223372036854775808ns"), -9223372036854775808n);
  assert.equal(parseDurationNanos("0.3333333333s"), 333_333_333n);
});

test("parseDuration rejects bad durations with Go's messages", () => {
  throwsMessage(() => parseDuration(""), 'time: invalid duration ""');
  throwsMessage(() => parseDuration("abc"), 'time: invalid duration "abc"');
  throwsMessage(() => parseDuration("1"), 'time: missing unit in duration "1"');
  throwsMessage(() => parseDuration("1x"), 'time: unknown unit "x" in duration "1x"');
  throwsMessage(() => parseDuration("1d"), 'time: unknown unit "d" in duration "1d"');
  throwsMessage(() => parseDuration(".s"), 'time: invalid duration ".s"');
  throwsMessage(() => parseDuration("1m 2s"), 'time: unknown unit "m " in duration "1m 2s"');
  throwsMessage(
    () => parseDuration("9223372036854775808ns"),
    'time: invalid duration "9223372036854775808ns"',
  );
  throwsMessage(() => parseDuration("1é"), 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"');
});

test("formatDuration prints Go's Duration.String", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(90_000), "1m30s");
  assert.equal(formatDuration(30_000), "30s");
  assert.equal(formatDuration(3_661_500), "1h1m1.5s");
  assert.equal(formatDuration(100), "100ms");
  assert.equal(formatDuration(1.5), "1.5ms");
  assert.equal(formatDurationNanos(1500n), "1.5µs");
  assert.equal(formatDurationNanos(1n), "1ns");
  assert.equal(formatDurationNanos(-90_000_000_000n), "-1m30s");
});
