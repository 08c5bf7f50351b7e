import assert from "node:assert/strict";
import { test } from "node:test";
import {
  formatGoFloat,
  goQuote,
  goQuoteRune,
  goUnquote,
  parseGoBool,
  parseGoFloat,
  parseGoInt,
  parseGoIntBig,
} from "./go-strconv.js";

test("parseGoBool accepts strconv.ParseBool's spellings", () => {
  for (const t of ["1", "t", "T", "TRUE", "true", "True"]) assert.equal(parseGoBool(t), true);
  for (const f of ["0", "f", "F", "FALSE", "false", "False"]) assert.equal(parseGoBool(f), false);
  assert.throws(() => parseGoBool("yes"), { message: 'strconv.ParseBool: parsing "yes": invalid syntax' });
  assert.throws(() => parseGoBool(""), { message: 'strconv.ParseBool: parsing "": invalid syntax' });
});

test("parseGoInt accepts Go integer literals with base prefixes and separators", () => {
  assert.equal(parseGoInt("42"), 42);
  assert.equal(parseGoInt("-42"), -42);
  assert.equal(parseGoInt("+7"), 7);
  assert.equal(parseGoInt("0x1f"), 31);
  assert.equal(parseGoInt("0o17"), 15);
  assert.equal(parseGoInt("017"), 15);
  assert.equal(parseGoInt("0b101"), 5);
  assert.equal(parseGoInt("1_000"), 1000);
  assert.equal(parseGoInt("0"), 0);
  assert.equal(parseGoIntBig("9223372036854775807"), 9223372036854775807n);
  assert.equal(parseGoIntBig("-9223372036854775808"), -9223372036854775808n);
});

test("parseGoInt rejects bad syntax and overflow with strconv's messages", () => {
  const syntax = (s: string) => ({
    message: `strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`,
  });
  for (const s of ["", "abc", "1.5", "-", "0x", "08", "1__0", "_1", "1_", "12a"])
    assert.throws(() => parseGoInt(s), syntax(s));
  assert.throws(() => parseGoInt("9223372036854775808"), {
    message: 'strconv.ParseInt: parsing "9223372036854775808": value out of range',
  });
  assert.throws(() => parseGoInt("200", 8), {
    message: 'strconv.ParseInt: parsing "200": value out of range',
  });
});

test("parseGoFloat accepts decimal floats, separators and special values", () => {
  assert.equal(parseGoFloat("1.5"), 1.5);
  assert.equal(parseGoFloat(".5"), 0.5);
  assert.equal(parseGoFloat("5."), 5);
  assert.equal(parseGoFloat("1e3"), 1000);
  assert.equal(parseGoFloat("-2.5E-1"), -0.25);
  assert.equal(parseGoFloat("1_000.5"), 1000.5);
  assert.equal(parseGoFloat("inf"), Number.POSITIVE_INFINITY);
  assert.equal(parseGoFloat("-Infinity"), Number.NEGATIVE_INFINITY);
  assert.ok(Number.isNaN(parseGoFloat("NaN")));
  assert.throws(() => parseGoFloat("1.5.5"), {
    message: 'strconv.ParseFloat: parsing "1.5.5": invalid syntax',
  });
  assert.throws(() => parseGoFloat("1e400"), {
    message: 'strconv.ParseFloat: parsing "1e400": value out of range',
  });
});

test("goQuote quotes like strconv.Quote", () => {
  assert.equal(goQuote("plain"), '"plain"');
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote("\n\t\r\x07\x00\x7f"), '"\\n\\t\\r\\a\\x00\\x7f"');
  assert.equal(goQuote("héllo 日本"), '"héllo 日本"');
  assert.equal(goQuote("\u2028\ufeff"), '"\\u2028\\ufeff"');
  assert.equal(goQuoteRune(0x7a), "'z'");
  assert.equal(goQuoteRune(0x27), "'\\''");
  assert.equal(goQuoteRune(0x0a), "'\\n'");
});

test("goUnquote reads Go string literals", () => {
  assert.equal(goUnquote('"a\\tb\\n\\"q\\" \\x41\\u00e9\\101"'), 'a\tb\n"q" AéA');
  assert.equal(goUnquote("`raw\\n`"), "raw\\n");
  assert.equal(goUnquote('"bad \\q"'), undefined);
  assert.equal(goUnquote('"unterminated'), undefined);
  assert.equal(goUnquote("'c'"), undefined);
});

test("formatGoFloat matches strconv.FormatFloat", () => {
  assert.equal(formatGoFloat(1234567, "g", -1), "1.234567e+06");
  assert.equal(formatGoFloat(123456, "g", -1), "123456");
  assert.equal(formatGoFloat(0.0001, "g", -1), "0.0001");
  assert.equal(formatGoFloat(0.00001, "g", -1), "1e-05");
  assert.equal(formatGoFloat(0, "g", -1), "0");
  assert.equal(formatGoFloat(-0, "g", -1), "-0");
  assert.equal(formatGoFloat(999.5, "g", 3), "1e+03");
  assert.equal(formatGoFloat(1.125, "g", 3), "1.12");
  assert.equal(formatGoFloat(1.135, "g", 3), "1.14");
  assert.equal(formatGoFloat(100, "g", 3), "100");
  assert.equal(formatGoFloat(2.5, "f", 0), "2");
  assert.equal(formatGoFloat(3.5, "f", 0), "4");
  assert.equal(formatGoFloat(0.000123, "e", 2), "1.23e-04");
  assert.equal(formatGoFloat(1e100, "e", -1), "1e+100");
  assert.equal(formatGoFloat(123.456, "f", -1), "123.456");
  assert.equal(formatGoFloat(5e-324, "g", -1), "5e-324");
  assert.equal(formatGoFloat(Number.NaN, "g", -1), "NaN");
  assert.equal(formatGoFloat(Number.NEGATIVE_INFINITY, "f", 2), "-Inf");
});
