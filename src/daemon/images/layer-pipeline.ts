/**
 * Unpacks a pull's layers while they download, in parallel: each layer is extracted into its own
 * snapshotter ingest (an overlay layer's directory is its own diff, so layer i needs nothing of
 * the layers below it), either straight from the download as it arrives (`tee`) or from the
 * content store once its blob is in (a blob that was already here, or a download resumed with
 * Range). Ingests are committed as snapshots named by their chain ids strictly in chain order, and
 * only once the layer's blob is verified and in the store (blobReady), so nothing counts before
 * its digest is checked. Layer records are only handed to commitImage at the end, so the image
 * index still changes last; a pull that fails removes its ingests and the snapshots it made that no
 * image refers to.
 */
import type { Readable } from "node:stream";
import { chainIds } from "../../image/chain-id.js";
import type { LayerRecord } from "../../image/store.js";
import { extractToIngest, type IngestedLayer } from "../../image/unpack.js";
import type { Digest } from "../../lib/digest.js";
import { invalidArgument, wrap } from "../../lib/errors.js";
import { KeyedMutex } from "../../lib/lock.js";
import { log } from "../../lib/log.js";
import type { Descriptor } from "../../oci/descriptor.js";
import type { ImageDeps } from "./deps.js";

interface Extraction {
  /** undefined: the snapshot already existed when the extraction would have started. */
  done: Promise<IngestedLayer | undefined>;
  /** Fed by the download as it arrived (it may have been cut off: then extract from the store). */
  teed: boolean;
}

export class LayerPipeline {
  readonly #deps: ImageDeps;
  readonly #layers: readonly Descriptor[];
  readonly #diffIds: readonly Digest[];
  readonly #chain: readonly Digest[];
  readonly #onUnpacked: (layer: Descriptor, phase: "extracting" | "done") => void;
  readonly #records = new Map<Digest, LayerRecord>();
  readonly #ready = new Set<Digest>();
  readonly #created: Digest[] = [];
  readonly #extractions = new Map<number, Extraction>();
  /** Every extraction started, so abort() can wait for them and remove their ingests. */
  readonly #all: Promise<IngestedLayer | undefined>[] = [];
  readonly #committed = new Set<string>();
  #next = 0;
  #commits: Promise<void> = Promise.resolve();
  #error: unknown;

  constructor(
    deps: ImageDeps,
    layers: readonly Descriptor[],
    diffIds: readonly Digest[],
    onUnpacked: (layer: Descriptor, phase: "extracting" | "done") => void,
  ) {
    if (layers.length !== diffIds.length) {
      throw invalidArgument(
        `image config lists ${diffIds.length} layers (rootfs.diff_ids) but the manifest has ${layers.length}`,
      );
    }
    this.#deps = deps;
    this.#layers = layers;
    this.#diffIds = diffIds;
    this.#chain = chainIds(diffIds);
    this.#onUnpacked = onUnpacked;
  }

  #known(chainId: Digest): LayerRecord | undefined {
    return (
      this.#deps.store.layer(chainId) ??
      this.#records.get(chainId) ??
      inFlightOf(this.#deps).unpacked.get(chainId)
    );
  }

  #start(i: number, source: () => Readable, teed: boolean): void {
    const snapshots = this.#deps.snapshots;
    const done = (async () => {
      if (!teed && (await snapshots.stat(this.#chain[i]!).catch(() => undefined))) return undefined;
      const t = performance.now();
      const r = await extractToIngest(snapshots, source(), this.#diffIds[i]!);
      log.debug("pull: layer extracted", {
        layer: i + 1,
        from: teed ? "download" : "store",
        ms: Math.round(performance.now() - t),
      });
      return r;
    })();
    done.catch(() => {}); // awaited by the commit chain or abort()
    this.#extractions.set(i, { done, teed });
    this.#all.push(done);
  }

  /**
   * A download of a layer blob starts from its first byte: extract from the bytes as they arrive.
   * The result counts only after blobReady (the digest verified).
   */
  tee(layer: Descriptor, body: Readable): void {
    const i = this.#layers.findIndex((l) => l.digest === layer.digest);
    if (i < 0 || this.#error !== undefined || this.#known(this.#chain[i]!)) {
      body.resume();
      return;
    }
    this.#start(i, () => body, true);
  }

  /** A layer blob is in the store (downloaded and verified, or there already). */
  blobReady(digest: Digest): void {
    this.#ready.add(digest);
    for (const [i, l] of this.#layers.entries()) {
      if (l.digest !== digest || this.#extractions.has(i) || this.#known(this.#chain[i]!)) continue;
      this.#start(i, () => this.#deps.content.readStream(digest), false);
    }
    this.#commits = this.#commits.then(() => this.#advance());
  }

  async #ingested(i: number): Promise<IngestedLayer | undefined> {
    const x = this.#extractions.get(i);
    if (x) {
      try {
        return await x.done;
      } catch (err) {
        // A teed extraction may have died with its download (the retry resumed with Range).
        if (!x.teed) throw err;
      }
    }
    this.#start(i, () => this.#deps.content.readStream(this.#layers[i]!.digest), false);
    return this.#extractions.get(i)!.done;
  }

  async #advance(): Promise<void> {
    const deps = this.#deps;
    const { unpacked, locks } = inFlightOf(deps);
    try {
      while (this.#error === undefined && this.#next < this.#layers.length) {
        const i = this.#next;
        const layer = this.#layers[i]!;
        if (!this.#ready.has(layer.digest)) return;
        const chainId = this.#chain[i]!;
        const parent = i > 0 ? this.#chain[i - 1] : undefined;
        this.#onUnpacked(layer, "extracting");
        // Pulls sharing a layer commit it once: the second finds the first's snapshot.
        const rec = await locks.run(chainId, async () => {
          const known = this.#known(chainId);
          if (known) return known;
          const ingested = await this.#ingested(i).catch((err) => {
            throw wrap(err, `layer ${i + 1} (${this.#diffIds[i]!.slice(7, 19)})`);
          });
          const existing = await deps.snapshots.stat(chainId).catch(() => undefined);
          if (existing || !ingested) {
            if (ingested) await deps.snapshots.abortIngest(ingested.ingest).catch(() => {});
            // Made in place (a build step) or by another pull: complete, but without a record here.
            const size = (await deps.snapshots.usage(chainId)).size;
            return { chainId, diffId: this.#diffIds[i]!, parent, blob: layer, size, diffSize: layer.size };
          }
          await deps.snapshots.commitIngest(chainId, ingested.ingest, parent);
          this.#committed.add(ingested.ingest);
          const r: LayerRecord = {
            chainId,
            diffId: this.#diffIds[i]!,
            parent,
            blob: layer,
            size: ingested.size,
            diffSize: ingested.diffSize,
          };
          this.#created.push(chainId);
          unpacked.set(chainId, r);
          return r;
        });
        this.#records.set(rec.chainId, rec);
        this.#next++;
        this.#onUnpacked(layer, "done");
      }
    } catch (err) {
      this.#error ??= err;
    }
  }

  /** After the image is committed: its layers are in the index now. */
  release(): void {
    const { unpacked } = inFlightOf(this.#deps);
    for (const c of this.#created) unpacked.delete(c);
  }

  /** Waits for the last layer; the records for commitImage, by chain id. */
  async finish(): Promise<ReadonlyMap<Digest, LayerRecord>> {
    await this.#commits;
    if (this.#error !== undefined) throw this.#error;
    if (this.#next < this.#layers.length) throw new Error("layer pipeline: not every layer arrived");
    return this.#records;
  }

  /** After a failure: removes unfinished ingests and the snapshots this pull made that no image uses. */
  async abort(): Promise<void> {
    this.#error ??= new Error("pull aborted");
    await this.#commits;
    for (const r of await Promise.allSettled(this.#all)) {
      if (r.status === "fulfilled" && r.value && !this.#committed.has(r.value.ingest)) {
        await this.#deps.snapshots.abortIngest(r.value.ingest).catch(() => {});
      }
    }
    const { unpacked } = inFlightOf(this.#deps);
    for (const chainId of [...this.#created].reverse()) {
      unpacked.delete(chainId);
      if (this.#deps.store.layer(chainId)) continue;
      await this.#deps.snapshots.remove(chainId).catch(() => {});
    }
  }
}

/** Layers unpacked by pulls in flight (not yet in the index), per snapshotter, and their locks. */
const inFlight = new WeakMap<object, { unpacked: Map<Digest, LayerRecord>; locks: KeyedMutex }>();

function inFlightOf(deps: ImageDeps): { unpacked: Map<Digest, LayerRecord>; locks: KeyedMutex } {
  let v = inFlight.get(deps.snapshots);
  if (!v) {
    v = { unpacked: new Map(), locks: new KeyedMutex() };
    inFlight.set(deps.snapshots, v);
  }
  return v;
}
