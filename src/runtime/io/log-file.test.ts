import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { formatLogLine, formatTimestampNs, type LogEntry } from "./k8s-log.js";
import { readLog, tailOffset } from "./log-file.js";

let dir: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-log-file-test-"));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const T0 = 1_700_000_000_000_000_000n;
function rec(
  i: number,
  text = `line ${i}`,
  stream: "stdout" | "stderr" = i % 2 ? "stderr" : "stdout",
): Buffer {
  return formatLogLine({
    time: formatTimestampNs(T0 + BigInt(i) * 1_000_000_000n),
    stream,
    partial: false,
    line: Buffer.from(text),
  });
}
async function collect(it: AsyncIterable<LogEntry>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of it) out.push(e.line.toString());
  return out;
}
async function writeLog(name: string, n: number, text?: (i: number) => string): Promise<string> {
  const f = path.join(dir, name);
  await fs.writeFile(f, Buffer.concat(Array.from({ length: n }, (_, i) => rec(i, text?.(i)))));
  return f;
}

test("readLog reads every entry with stream and time", async () => {
  const f = await writeLog("all.log", 3);
  const entries: LogEntry[] = [];
  for await (const e of readLog(f)) entries.push(e);
  assert.deepEqual(
    entries.map((e) => [e.stream, e.line.toString(), e.timeNs]),
    [
      ["stdout", "line 0", T0],
      ["stderr", "line 1", T0 + 1_000_000_000n],
      ["stdout", "line 2", T0 + 2_000_000_000n],
    ],
  );
});

test("readLog of a missing file is empty", async () => {
  assert.deepEqual(await collect(readLog(path.join(dir, "nope.log"))), []);
});

test("readLog tail returns the last N records", async () => {
  const f = await writeLog("tail.log", 10);
  assert.deepEqual(await collect(readLog(f, { tail: 2 })), ["line 8", "line 9"]);
  assert.deepEqual(await collect(readLog(f, { tail: 0 })), []);
  assert.equal((await collect(readLog(f, { tail: 100 }))).length, 10);
  assert.deepEqual(await collect(readLog(f, { tail: 10 })), await collect(readLog(f)));
});

test("tailOffset works across chunk boundaries of a large file", async () => {
  const big = (i: number) => `${i}:${"x".repeat(1000 + (i % 7) * 333)}`;
  const f = await writeLog("big.log", 500, big);
  const fh = await fs.open(f, "r");
  try {
    const size = (await fh.stat()).size;
    assert.ok(size > 5 * 64 * 1024);
    assert.equal(await tailOffset(fh, 0), size);
    assert.equal(await tailOffset(fh, 1000), 0);
  } finally {
    await fh.close();
  }
  const last = await collect(readLog(f, { tail: 123 }));
  assert.equal(last.length, 123);
  assert.equal(last[0], big(377));
  assert.equal(last[122], big(499));
});

test("readLog filters by since and until (inclusive since, stops after until)", async () => {
  const f = await writeLog("range.log", 10);
  const s = (i: number) => T0 + BigInt(i) * 1_000_000_000n;
  assert.deepEqual(await collect(readLog(f, { since: s(7) })), ["line 7", "line 8", "line 9"]);
  assert.deepEqual(await collect(readLog(f, { until: s(1) })), ["line 0", "line 1"]);
  assert.deepEqual(await collect(readLog(f, { since: s(3), until: s(4), tail: 8 })), ["line 3", "line 4"]);
});

test("readLog follow sees appends and ends when stopWhen settles", async () => {
  const f = await writeLog("follow.log", 1);
  let stop!: () => void;
  const stopWhen = new Promise<void>((r) => {
    stop = r;
  });
  const seen: string[] = [];
  const reader = (async () => {
    for await (const e of readLog(f, { follow: true, stopWhen, pollMs: 50 })) {
      seen.push(e.line.toString());
      if (seen.length === 2) {
        await fs.appendFile(f, Buffer.concat([rec(2), rec(3)]));
        stop();
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  await fs.appendFile(f, rec(1));
  await reader;
  assert.deepEqual(seen, ["line 0", "line 1", "line 2", "line 3"]);
});

test("readLog follow waits for a missing file and survives rotation", async () => {
  const f = path.join(dir, "rot.log");
  const ac = new AbortController();
  const seen: string[] = [];
  const reader = (async () => {
    for await (const e of readLog(f, { follow: true, signal: ac.signal, pollMs: 30 })) {
      seen.push(e.line.toString());
      if (seen.length === 3) ac.abort();
    }
  })();
  await new Promise((r) => setTimeout(r, 80));
  await fs.writeFile(f, rec(0));
  await new Promise((r) => setTimeout(r, 120));
  // conmon's rotation: write <log>.tmp, rename it over <log>.
  await fs.writeFile(`${f}.tmp`, Buffer.concat([rec(1), rec(2)]));
  await fs.rename(`${f}.tmp`, f);
  await reader;
  assert.deepEqual(seen, ["line 0", "line 1", "line 2"]);
});

test("readLog follow stops at until", async () => {
  const f = await writeLog("until.log", 3);
  const out = await collect(readLog(f, { follow: true, until: T0 + 1_000_000_000n }));
  assert.deepEqual(out, ["line 0", "line 1"]);
});
