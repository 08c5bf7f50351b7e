import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import type { Digest } from "../lib/digest.js";
import { isKind } from "../lib/errors.js";
import { mountAll, unmount } from "../snapshot/mount.js";
import { OverlaySnapshotter } from "../snapshot/overlay.js";
import { makeTar, removeRoot, tempRoot } from "./archive/_testing.js";
import { chainIds } from "./chain-id.js";
import { extractToIngest } from "./unpack.js";

const digestOf = (b: Buffer): Digest => `sha256:${createHash("sha256").update(b).digest("hex")}`;

describe("extractToIngest", () => {
  let root: string;
  before(async () => {
    root = await tempRoot("unpack");
  });
  after(async () => {
    await removeRoot(root);
  });

  test("three layers extracted in parallel, top first, then committed in order give the merged view", async () => {
    const s = await OverlaySnapshotter.open(path.join(root, "parallel"));
    const tars = [
      await makeTar([
        { name: "etc/", type: "directory", mode: 0o755 },
        { name: "etc/os", content: "one" },
        { name: "etc/gone", content: "deleted by layer 3" },
        { name: "opt/", type: "directory", mode: 0o755 },
        { name: "opt/old", content: "hidden by layer 3's opaque opt" },
      ]),
      await makeTar([{ name: "etc/os", content: "two" }]),
      await makeTar([
        { name: "etc/.wh.gone", content: "" },
        { name: "opt/.wh..wh..opq", content: "" },
        { name: "opt/new", content: "three" },
      ]),
    ];
    const diffIds = tars.map(digestOf);
    const chain = chainIds(diffIds);
    // Slow stream for layer 1: layers 3 and 2 finish first, without any parent committed.
    const slow = Readable.from(
      (async function* () {
        await new Promise((r) => setTimeout(r, 200));
        yield gzipSync(tars[0]!);
      })(),
    );
    const order: number[] = [];
    const ingests = await Promise.all(
      tars.map((t, i) =>
        extractToIngest(s, i === 0 ? slow : Readable.from([gzipSync(t)]), diffIds[i]!).then((r) => {
          order.push(i);
          return r;
        }),
      ),
    );
    assert.equal(order[2], 0, "layer 1 finished last");
    // A layer cannot be committed before its parent.
    await assert.rejects(s.commitIngest(chain[1]!, ingests[1]!.ingest, chain[0]!), (e) =>
      isKind(e, "not-found"),
    );
    for (const [i, x] of ingests.entries()) await s.commitIngest(chain[i]!, x.ingest, chain[i - 1]);
    assert.equal((await s.stat(chain[2]!)).parent, chain[1]);
    const target = path.join(root, "mnt");
    await fs.mkdir(target, { recursive: true });
    await mountAll(await s.view("v", chain[2]!), target);
    try {
      assert.equal(await fs.readFile(path.join(target, "etc/os"), "utf8"), "two");
      assert.equal(existsSync(path.join(target, "etc/gone")), false, "whiteout in layer 3 hides the file");
      assert.deepEqual(await fs.readdir(path.join(target, "opt")), ["new"], "opaque dir in layer 3");
    } finally {
      await unmount(target);
    }
    assert.equal(ingests[1]!.size, 3);
  });

  test("a diff id mismatch removes the ingest; open() sweeps an ingest left by a crash", async () => {
    const dir = path.join(root, "sweep");
    const s = await OverlaySnapshotter.open(dir);
    const tar = await makeTar([{ name: "f", content: "x" }]);
    await assert.rejects(
      extractToIngest(s, Readable.from([tar]), `sha256:${"0".repeat(64)}`),
      /does not match its diff id/,
    );
    const left = await s.prepareIngest();
    await fs.writeFile(path.join(s.ingestDir(left), "f"), "x");
    assert.deepEqual(
      (await fs.readdir(path.join(dir, "snapshots"))).filter((n) => n.startsWith("ingest-")),
      [left],
      "only the ingest never committed is there",
    );
    await OverlaySnapshotter.open(dir);
    assert.deepEqual(
      (await fs.readdir(path.join(dir, "snapshots"))).filter((n) => n !== "metadata.json"),
      [],
      "the sweep removed it",
    );
  });
});
