import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCsvRecord, parseMount } from "./run-mount.js";

test("parseCsvRecord reads quoted CSV fields", () => {
  assert.deepEqual(parseCsvRecord("a=1,b=2"), ["a=1", "b=2"]);
  assert.deepEqual(parseCsvRecord('"a=1,2",b'), ["a=1,2", "b"]);
  assert.deepEqual(parseCsvRecord('"say ""hi""",'), ['say "hi"', ""]);
  assert.throws(() => parseCsvRecord('a"b'), /bare " in non-quoted-field/);
  assert.throws(() => parseCsvRecord('"ab"c'), /extraneous or missing " in quoted-field/);
});

test("parseMount applies defaults per mount type", () => {
  assert.deepEqual(parseMount("target=/src"), {
    raw: "target=/src",
    type: "bind",
    target: "/src",
    readOnly: true,
    required: false,
    unexpanded: false,
  });
  assert.equal(parseMount("type=cache,target=/c").readOnly, false);
  assert.equal(parseMount("type=tmpfs,dst=/t").readOnly, false);
  assert.equal(parseMount("type=cache,target=/c,ro").readOnly, true);
  assert.equal(parseMount("type=bind,target=/c,readwrite=true").readOnly, false);
  assert.equal(parseMount("type=secret,id=x,env=TOKEN").env, "TOKEN");
  assert.equal(parseMount("type=ssh,required=true").required, true);
});

test("parseMount expands values with the given expander", () => {
  const env: Record<string, string> = { HOME: "/root", UID: "1000" };
  const expand = (w: string) => w.replace(/\$(\w+)/g, (_, n: string) => env[n] ?? "");
  const m = parseMount("type=cache,target=$HOME/.cache,uid=$UID", { expand });
  assert.equal(m.target, "/root/.cache");
  assert.equal(m.uid, 1000);
  assert.equal(m.unexpanded, false);
});

test("parseMount refuses invalid options", () => {
  assert.throws(() => parseMount("type=tmpfs,size=huge"), /invalid value for size: huge/);
  assert.throws(() => parseMount("type=cache,uid=-1"), /invalid value -1 for uid/);
  assert.throws(
    () => parseMount("type=cache,sharing=privat"),
    /unsupported sharing value "privat" \(did you mean private\?\)/,
  );
  assert.throws(() => parseMount("type=cache,size=1g"), /unexpected key 'size' for mount type 'cache'/);
  assert.throws(() => parseMount("type=secret,source=a,id=b"), /both source and id can't be set/);
  assert.throws(() => parseMount("type=cache,ro=maybe"), /invalid value for ro: maybe/);
  assert.throws(() => parseMount("type=cache,nonsense"), /invalid field 'nonsense' must be a key=value pair/);
});
