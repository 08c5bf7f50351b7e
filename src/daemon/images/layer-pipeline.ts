/**
 * Unpacks a pull's layers while the rest are still downloading: layer i is extracted (into the
 * snapshot named by its chain id) as soon as its blob and every blob below it are in the store.
 * Layer records are only handed to commitImage at the end, so the image index still changes last;
 * a pull that fails removes the snapshots it made and no image refers to.
 */
import { chainIds } from "../../image/chain-id.js";
import type { LayerRecord } from "../../image/store.js";
import { unpackLayers } from "../../image/unpack.js";
import type { Digest } from "../../lib/digest.js";
import { invalidArgument } from "../../lib/errors.js";
import { KeyedMutex } from "../../lib/lock.js";
import type { Descriptor } from "../../oci/descriptor.js";
import type { ImageDeps } from "./deps.js";

export class LayerPipeline {
  readonly #deps: ImageDeps;
  readonly #layers: readonly Descriptor[];
  readonly #diffIds: readonly Digest[];
  readonly #onUnpacked: (layer: Descriptor, phase: "extracting" | "done") => void;
  readonly #records = new Map<Digest, LayerRecord>();
  readonly #ready = new Set<Digest>();
  readonly #created: Digest[] = [];
  #next = 0;
  #chain: Promise<void> = Promise.resolve();
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
    this.#onUnpacked = onUnpacked;
  }

  /** A layer blob is in the store (downloaded and verified, or there already). */
  blobReady(digest: Digest): void {
    this.#ready.add(digest);
    this.#chain = this.#chain.then(() => this.#advance());
  }

  async #advance(): Promise<void> {
    const deps = this.#deps;
    const { unpacked, locks } = inFlightOf(deps);
    const lookup = (c: Digest) => deps.store.layer(c) ?? this.#records.get(c) ?? unpacked.get(c);
    const chain = chainIds(this.#diffIds);
    try {
      while (this.#error === undefined && this.#next < this.#layers.length) {
        const i = this.#next;
        if (!this.#ready.has(this.#layers[i]!.digest)) return;
        this.#onUnpacked(this.#layers[i]!, "extracting");
        // Pulls sharing a layer extract it once: the second waits, then finds the first's snapshot.
        const rec = await locks.run(chain[i]!, async () => {
          const records = await unpackLayers(
            { content: deps.content, snapshots: deps.snapshots, layer: lookup },
            this.#layers.slice(0, i + 1),
            this.#diffIds.slice(0, i + 1),
          );
          const r = records[i]!;
          if (!lookup(r.chainId)) {
            this.#created.push(r.chainId);
            unpacked.set(r.chainId, r);
          }
          return r;
        });
        this.#records.set(rec.chainId, rec);
        this.#next++;
        this.#onUnpacked(this.#layers[i]!, "done");
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
    await this.#chain;
    if (this.#error !== undefined) throw this.#error;
    if (this.#next < this.#layers.length) throw new Error("layer pipeline: not every layer arrived");
    return this.#records;
  }

  /** After a failure: removes the snapshots this pull made that no image uses (top first). */
  async abort(): Promise<void> {
    await this.#chain;
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
