/**
 * GET /system/df: every image with its shared and unique size, every container with its writable
 * layer's size, every volume with its size and reference count (`docker system df [-v]`).
 */
import type { ContainerSummary } from "../../api/types/containers.js";
import type { DiskUsage, DiskUsageObject } from "../../api/types/disk-usage.js";
import type { Volume } from "../../api/types/volumes.js";
import type { Digest } from "../../lib/digest.js";
import { invalidArgument } from "../../lib/errors.js";
import type { ImageDeps } from "../images/deps.js";
import { listImages } from "../images/list.js";

export interface DiskUsageDeps {
  images: ImageDeps;
  /** All containers, with SizeRw and SizeRootFs. */
  containers(): Promise<ContainerSummary[]>;
  /** All volumes, with UsageData. */
  volumes(): Promise<Volume[]>;
}

const TYPES: readonly DiskUsageObject[] = ["container", "image", "volume", "build-cache"];

export async function diskUsage(
  deps: DiskUsageDeps,
  opts: { types?: readonly string[] } = {},
): Promise<DiskUsage> {
  for (const t of opts.types ?? []) {
    if (!TYPES.includes(t as DiskUsageObject)) throw invalidArgument(`unknown object type: ${t}`);
  }
  const want = (t: DiskUsageObject) => !opts.types?.length || opts.types.includes(t);
  const out: DiskUsage = { LayersSize: 0, Images: [], Containers: [], Volumes: [], BuildCache: [] };
  if (want("image")) Object.assign(out, await imageUsage(deps.images));
  if (want("container")) out.Containers = await deps.containers();
  if (want("volume")) out.Volumes = await deps.volumes();
  return out;
}

/** Images with SharedSize (layers another image also uses) and the size of all layers once. */
async function imageUsage(deps: ImageDeps): Promise<Pick<DiskUsage, "LayersSize" | "Images">> {
  const records = deps.store.list();
  const users = new Map<Digest, number>();
  for (const img of records) for (const c of new Set(img.chain)) users.set(c, (users.get(c) ?? 0) + 1);
  const layerSize = (c: Digest) => deps.store.layer(c)?.size ?? 0;
  let layersSize = 0;
  for (const c of users.keys()) layersSize += layerSize(c);
  const chains = new Map(records.map((r) => [r.id as string, r.chain]));
  const images = (await listImages(deps, { all: true })).map((s) => {
    const chain = chains.get(s.Id) ?? [];
    const shared = [...new Set(chain)]
      .filter((c) => (users.get(c) ?? 0) > 1)
      .reduce((n, c) => n + layerSize(c), 0);
    return { ...s, SharedSize: shared };
  });
  return { LayersSize: layersSize, Images: images };
}
