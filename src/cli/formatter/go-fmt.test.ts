import assert from "node:assert/strict";
import { test } from "node:test";
import { goSprint, goSprintf, goSprintln, goString, goTimeString, goTypeName } from "./go-fmt.js";

// Expected values were checked against Go's fmt package.

test("goString prints values as fmt's %v prints decoded JSON", () => {
  assert.equal(goString("s"), "s");
  assert.equal(goString(42), "42");
  assert.equal(goString(2.5), "2.5");
  assert.equal(goString(1234567.5), "1.2345675e+06");
  assert.equal(goString(0.00001), "1e-05");
  assert.equal(goString(1e21), "1e+21");
  assert.equal(goString(true), "true");
  assert.equal(goString(null), "<nil>");
  assert.equal(goString(["a", 1, null, { k: "v" }]), "[a 1 <nil> map[k:v]]");
  assert.equal(goString({ z: [1, 2], y: { k: "v" } }), "map[y:map[k:v] z:[1 2]]");
  assert.equal(goString([]), "[]");
  assert.equal(goString({}), "map[]");
});

test("goTypeName names the Go type a JS value stands for", () => {
  assert.equal(goTypeName("x"), "string");
  assert.equal(goTypeName(1), "int");
  assert.equal(goTypeName(1.5), "float64");
  assert.equal(goTypeName(2 ** 60), "float64");
  assert.equal(goTypeName([]), "[]interface {}");
  assert.equal(goTypeName({}), "map[string]interface {}");
  assert.equal(goTypeName(null), "<nil>");
});

test("goTimeString prints time.Time in UTC", () => {
  assert.equal(goTimeString(new Date("2024-01-02T03:04:05Z")), "2024-01-02 03:04:05 +0000 UTC");
  assert.equal(goTimeString(new Date("2024-01-02T03:04:05.500Z")), "2024-01-02 03:04:05.5 +0000 UTC");
});

test("goSprint separates operands only when neither is a string", () => {
  assert.equal(goSprint(["a", "b"]), "ab");
  assert.equal(goSprint([1, 2]), "1 2");
  assert.equal(goSprint(["a", 1, 2, "b"]), "a1 2b");
  assert.equal(goSprint([]), "");
  assert.equal(goSprintln(["a", 1]), "a 1\n");
  assert.equal(goSprintln([]), "\n");
});

test("goSprintf formats strings and integers with flags, width and precision", () => {
  assert.equal(goSprintf("%s-%d", ["a", 3]), "a-3");
  assert.equal(goSprintf("%-10s|%10s|", ["ab", "cd"]), "ab        |        cd|");
  assert.equal(goSprintf("%.3s|%5.1s|", ["abcdef", "xyz"]), "abc|    x|");
  assert.equal(goSprintf("%05d|%+d|% d|%-4d|%.3d", [42, 42, 42, 7, 5]), "00042|+42| 42|7   |005");
  assert.equal(
    goSprintf("%x %X %o %O %b %#x %#o", [255, 255, 8, 8, 5, 255, 8]),
    "ff FF 10 0o10 101 0xff 010",
  );
  assert.equal(goSprintf("%c %U %q", [65, 0x1f600, 97]), "A U+1F600 'a'");
  assert.equal(goSprintf("%q %x % x %#x", ['a"b\n', "hi", "hi", "hi"]), '"a\\"b\\n" 6869 68 69 0x6869');
  assert.equal(goSprintf("%t %v %T", [true, [1, "a"], 1.5]), "true [1 a] float64");
  assert.equal(goSprintf("%*d|%-*d|%.*f", [5, 1, 5, 1, 2, 1.23456]), "    1|1    |1.23");
  assert.equal(goSprintf("%[2]s %[1]s", ["a", "b"]), "b a");
});

test("goSprintf formats floats as strconv does", () => {
  assert.equal(
    goSprintf("%f|%.2f|%8.3f|%-8.3f|%08.3f|%+.1f", [1.23456, 1.23456, 1.23456, 1.23456, -1.23456, 2]),
    "1.234560|1.23|   1.235|1.235   |-001.235|+2.0",
  );
  assert.equal(
    goSprintf("%e|%E|%g|%G|%.2g|%.10g", [1.23456, 1234.5, 1e21, 1e-7, 123456, 1 / 3]),
    "1.234560e+00|1.234500E+03|1e+21|1E-07|1.2e+05|0.3333333333",
  );
  assert.equal(goSprintf("%.2f|%.1f|%.0f", [0.125, 0.25, 2.5]), "0.12|0.2|2");
  assert.equal(goSprintf("%v|%v|%v", [Number.NaN, Number.POSITIVE_INFINITY, -0.5]), "NaN|+Inf|-0.5");
});

test("goSprintf prints mistakes as fmt does", () => {
  assert.equal(goSprintf("%d", ["abc"]), "%!d(string=abc)");
  assert.equal(goSprintf("%s", [5]), "%!s(int=5)");
  assert.equal(goSprintf("%d", [1.5]), "%!d(float64=1.5)");
  assert.equal(goSprintf("%s", [null]), "%!s(<nil>)");
  assert.equal(goSprintf("%v", [null]), "<nil>");
  assert.equal(goSprintf("%d %d", [1]), "1 %!d(MISSING)");
  assert.equal(goSprintf("%d", [1, "x", 2]), "1%!(EXTRA string=x, int=2)");
  assert.equal(goSprintf("%", []), "%!(NOVERB)");
  assert.equal(goSprintf("%z", [1]), "%!z(int=1)");
  assert.equal(goSprintf("%.1f", ["hello"]), "%!f(string=h)");
  assert.equal(goSprintf("%d", [["x", 1, null]]), "[%!d(string=x) 1 <nil>]");
  assert.equal(goSprintf("%[3]d", [1]), "%!d(BADINDEX)");
  assert.equal(goSprintf("100%%", []), "100%");
});

test("goSprintf is lenient with float verbs on integral numbers", () => {
  // JS cannot tell int from float64: integral values format with %f/%e/%g too.
  assert.equal(goSprintf("%.2f|%e|%g", [5, 42, 7]), "5.00|4.200000e+01|7");
});

test("goSprintf supports %#v and %+v", () => {
  assert.equal(goSprintf("%#v", ["x"]), '"x"');
  assert.equal(goSprintf("%#v", [["x", 1, null]]), '[]interface {}{"x", 1, interface {}(nil)}');
  assert.equal(goSprintf("%#v", [{ a: 1 }]), 'map[string]interface {}{"a":1}');
  assert.equal(goSprintf("%+v", [[1, 2.5]]), "[1 2.5]");
});
