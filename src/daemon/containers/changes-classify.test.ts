import assert from "node:assert/strict";
import { test } from "node:test";
import { classifyChanges, type FileFacts, runtimeMountPoints, type UpperEntry } from "./changes-classify.js";

const DIR = 0o040755;
const FILE = 0o100644;
const T = 1_704_067_200_000_000_000n;

const dir = (over: Partial<FileFacts> = {}): FileFacts => ({
  isDir: true,
  size: 4096,
  mode: DIR,
  mtimeNs: T,
  ...over,
});
const file = (over: Partial<FileFacts> = {}): FileFacts => ({
  isDir: false,
  size: 3,
  mode: FILE,
  mtimeNs: T,
  ...over,
});

function entry(path: string, facts: FileFacts, more: Partial<UpperEntry> = {}): UpperEntry {
  return { path, ...facts, whiteout: false, opaque: false, ...more };
}

const letters = (entries: UpperEntry[]) => classifyChanges(entries).map((c) => `${"CAD"[c.Kind]} ${c.Path}`);

test("classifyChanges: a new top-level file is added, with no parent change", () => {
  assert.deepEqual(letters([entry("/new", file())]), ["A /new"]);
});

test("classifyChanges: a whiteout is deleted and its unchanged parent shows as modified", () => {
  const bin = dir();
  const entries = [
    entry("/bin", bin, { lower: bin }),
    entry("/bin/cat", file({ mode: 0o020000, size: 0 }), { whiteout: true, lower: file() }),
  ];
  assert.deepEqual(letters(entries), ["C /bin", "D /bin/cat"]);
});

test("classifyChanges: a copied-up file is modified; a directory with new metadata is modified once", () => {
  const entries = [
    entry("/etc", dir({ mtimeNs: T + 5n * 1_000_000_000n }), { lower: dir() }),
    entry("/etc/passwd", file({ size: 10 }), { lower: file() }),
    entry("/etc/new", file(), {}),
  ];
  assert.deepEqual(letters(entries), ["C /etc", "C /etc/passwd", "A /etc/new"]);
});

test("classifyChanges: directories equal to the lower one are skipped, down to the changed entry", () => {
  const entries = [
    entry("/usr", dir(), { lower: dir() }),
    entry("/usr/local", dir(), { lower: dir() }),
    entry("/usr/local/x", file(), {}),
  ];
  assert.deepEqual(letters(entries), ["C /usr/local", "A /usr/local/x"]);
});

test("classifyChanges: equal seconds match when one side has no sub-second part", () => {
  const entries = [entry("/d", dir({ mtimeNs: T + 123n }), { lower: dir() })];
  assert.deepEqual(letters(entries), []);
  const differ = [entry("/d", dir({ mtimeNs: T + 123n }), { lower: dir({ mtimeNs: T + 456n }) })];
  assert.deepEqual(letters(differ), ["C /d"]);
});

test("classifyChanges: an opaque directory that existed below is deleted; its contents are added", () => {
  const entries = [entry("/data", dir(), { opaque: true, lower: dir() }), entry("/data/f", file(), {})];
  assert.deepEqual(letters(entries), ["D /data", "A /data/f"]);
  assert.deepEqual(letters([entry("/fresh", dir(), { opaque: true })]), ["A /fresh"]);
});

test("classifyChanges: a new directory and its contents are added; the parent is reported once", () => {
  const entries = [entry("/a", dir()), entry("/a/b", dir()), entry("/a/b/c", file())];
  assert.deepEqual(letters(entries), ["A /a", "A /a/b", "A /a/b/c"]);
});

test("classifyChanges hides the runtime's mount points and the /etc they alone changed", () => {
  const etc = dir({ mtimeNs: T + 1n * 1_000_000_000n });
  const only = [
    entry("/dev", dir()),
    entry("/etc", etc, { lower: dir() }),
    entry("/etc/hostname", file({ size: 0 })),
    entry("/etc/hosts", file({ size: 0 })),
    entry("/etc/resolv.conf", file({ size: 0 })),
    entry("/proc", dir()),
    entry("/sys", dir()),
  ];
  assert.deepEqual(letters(only), []);
  const withUserChange = [...only.slice(0, 2), entry("/etc/motd", file()), ...only.slice(2)];
  assert.deepEqual(letters(withUserChange), ["C /etc", "A /etc/motd"]);
});

test("classifyChanges keeps a deleted init path that the image had", () => {
  const entries = [
    entry("/etc", dir(), { lower: dir() }),
    entry("/etc/hosts", file({ mode: 0o020000, size: 0 }), { whiteout: true, lower: file() }),
  ];
  assert.deepEqual(letters(entries), ["C /etc", "D /etc/hosts"]);
});

test("runtimeMountPoints names the runtime's empty mount points, not user content", () => {
  const entries = [
    entry("/dev", dir()),
    entry("/etc", dir(), { lower: dir() }),
    entry("/etc/hostname", file({ size: 5 })),
    entry("/etc/hosts", file({ size: 0 })),
    entry("/proc", dir()),
    entry("/sys", dir()),
    entry("/sys/x", file()),
  ];
  assert.deepEqual([...runtimeMountPoints(entries)].sort(), ["/dev", "/etc/hosts", "/proc"]);
  const onlyRuntime = [entry("/etc", dir(), { lower: dir() }), entry("/etc/hosts", file({ size: 0 }))];
  assert.deepEqual([...runtimeMountPoints(onlyRuntime)].sort(), ["/etc", "/etc/hosts"]);
});
