import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFlags } from "./_flags.js";

const SPEC = { from: "string", link: "bool", exclude: "strings" } as const;

test("parseFlags reads string, bool and repeated flags", () => {
  const f = parseFlags(["--from=build", "--link", "--exclude=a", "--exclude=b"], SPEC);
  assert.equal(f.string("from"), "build");
  assert.equal(f.bool("link"), true);
  assert.deepEqual(f.strings("exclude"), ["a", "b"]);
  assert.deepEqual([...f.used].sort(), ["exclude", "from", "link"]);
  assert.equal(parseFlags(["--link=FALSE"], SPEC).bool("link"), false);
  assert.equal(parseFlags([], SPEC).string("from"), "");
});

test("parseFlags stops at --", () => {
  assert.equal(parseFlags(["--link", "--", "--bogus"], SPEC).bool("link"), true);
});

test("parseFlags refuses bad flags with BuildKit's messages", () => {
  assert.throws(
    () => parseFlags(["-x"], SPEC),
    /^Error: arg should start with -- : -x$|arg should start with -- : -x/,
  );
  assert.throws(() => parseFlags(["--form=x"], SPEC), /unknown flag: --form \(did you mean from\?\)/);
  assert.throws(() => parseFlags(["--link", "--link"], SPEC), /duplicate flag specified: --link/);
  assert.throws(() => parseFlags(["--link="], SPEC), /missing a value on flag: --link/);
  assert.throws(() => parseFlags(["--link=yes"], SPEC), /expecting boolean value for flag --link, not: yes/);
  assert.throws(() => parseFlags(["--from"], SPEC), /missing a value on flag: --from/);
  assert.throws(() => parseFlags(["--exclude"], SPEC), /missing a value on flag: --exclude/);
});
