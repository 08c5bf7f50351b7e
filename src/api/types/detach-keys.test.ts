import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_DETACH_KEYS, EscapeDetector, parseDetachKeys } from "./detach-keys.js";

test("parseDetachKeys reads ctrl- names and single characters", () => {
  assert.deepEqual([...parseDetachKeys(DEFAULT_DETACH_KEYS)], [16, 17]);
  assert.deepEqual([...parseDetachKeys("ctrl-a,b")], [1, 98]);
  assert.deepEqual(
    [...parseDetachKeys("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_")],
    [0, 27, 28, 29, 30, 31],
  );
  assert.deepEqual([...parseDetachKeys("ctrl-z,DEL,x")], [26, 127, 120]);
});

test("parseDetachKeys rejects unknown names as moby/term does", () => {
  assert.throws(() => parseDetachKeys("ctrl-zz"), { message: "Unknown character: 'ctrl-zz'" });
  assert.throws(() => parseDetachKeys("ctrl-A"), { message: "Unknown character: 'ctrl-A'" });
  assert.throws(() => parseDetachKeys("alt-x"), { message: "Unknown character: 'alt-x'" });
  assert.throws(() => parseDetachKeys("a,,b"), { message: "Unknown character: ''" });
});

const feed = (d: EscapeDetector, s: string) => {
  const r = d.feed(Buffer.from(s, "latin1"));
  return [r.forward.toString("latin1"), r.detached] as const;
};

test("EscapeDetector passes ordinary input through", () => {
  const d = new EscapeDetector(parseDetachKeys(DEFAULT_DETACH_KEYS));
  assert.deepEqual(feed(d, "ls -l\r"), ["ls -l\r", false]);
});

test("EscapeDetector detaches on the sequence, forwarding what came before it", () => {
  const d = new EscapeDetector(parseDetachKeys(DEFAULT_DETACH_KEYS));
  assert.deepEqual(feed(d, "ab\x10\x11cd"), ["ab", true]);
});

test("EscapeDetector holds a partial match across chunks", () => {
  const d = new EscapeDetector(parseDetachKeys(DEFAULT_DETACH_KEYS));
  assert.deepEqual(feed(d, "x\x10"), ["x", false]);
  assert.deepEqual(feed(d, "\x11"), ["", true]);
});

test("EscapeDetector releases a broken partial match", () => {
  const d = new EscapeDetector(parseDetachKeys(DEFAULT_DETACH_KEYS));
  assert.deepEqual(feed(d, "\x10"), ["", false]);
  assert.deepEqual(feed(d, "y"), ["\x10y", false]);
  assert.deepEqual(feed(d, "\x10\x10\x11"), ["\x10", true]);
});

test("EscapeDetector flush returns held bytes when input ends", () => {
  const d = new EscapeDetector(parseDetachKeys("ctrl-a,b,c"));
  assert.deepEqual(feed(d, "z\x01b"), ["z", false]);
  assert.equal(d.flush().toString("latin1"), "\x01b");
  assert.equal(d.flush().length, 0);
});

test("EscapeDetector with a one-key sequence", () => {
  const d = new EscapeDetector(parseDetachKeys("ctrl-x"));
  assert.deepEqual(feed(d, "ab\x18"), ["ab", true]);
});
