/**
 * The builder's BuildBackend over the engine: images from the image store (never pulled), RUN
 * steps as throwaway containers through the container use cases, COPY/WORKDIR on a scratch
 * snapshot mounted under tmp/, and images committed with their parent recorded (as Docker's legacy
 * builder does). Every container, snapshot, mount and scratch file is removed on all paths.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import type { ContainerCreateRequest } from "../../api/types/containers.js";
import type { BuildBackend, Layer, RunProcess, RunResult } from "../../builder/exec/index.js";
import { END_OF_ARCHIVE, layerDiff, patchLayerDiff } from "../../image/archive/index.js";
import { type Digest, DigestingStream, sha256 } from "../../lib/digest.js";
import { conflict, isKind, notFound } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import type { Descriptor } from "../../oci/descriptor.js";
import type { ImageConfig } from "../../oci/image-config.js";
import { OCI_LAYER_TAR } from "../../oci/media-types.js";
import { mountAll, unmountAll } from "../../snapshot/mount.js";
import { lowerDirsOf } from "../containers/changes.js";
import { writeContainerLayer } from "../containers/commit.js";
import type { OutputChunk } from "../containers/io-types.js";
import type { WaitCondition } from "../containers/wait.js";
import { commitImage } from "../images/commit-image.js";
import type { ImageDeps } from "../images/deps.js";
import { imageConfig } from "../images/deps.js";
import type { CacheMounts } from "./cache-mounts.js";
import { mountStubs } from "./mount-stubs.js";

/** The container use cases a RUN step needs (containerService satisfies it). */
export interface BuildContainers {
  create(req: ContainerCreateRequest, o: { name?: string }): Promise<{ Id: string }>;
  start(ref: string): Promise<unknown>;
  wait(
    ref: string,
    condition: WaitCondition,
    signal: AbortSignal,
  ): Promise<() => Promise<{ StatusCode: number }>>;
  logs(
    ref: string,
    o: {
      follow: boolean;
      stdout: boolean;
      stderr: boolean;
      timestamps: boolean;
      tail: string;
      signal: AbortSignal;
    },
  ): Promise<{ output: AsyncIterable<OutputChunk> }>;
  remove(ref: string, o: { force: boolean; volumes?: boolean }): Promise<void>;
}

export interface EngineBackendDeps {
  images: ImageDeps;
  /** RUN --mount=type=cache directories. */
  cacheMounts: CacheMounts;
  containers: BuildContainers;
  /** The snapshot key of a container's writable layer. */
  snapshotKeyOf(containerId: string): string | undefined;
  tag(id: string, name: string): Promise<void>;
}

const execFileAsync = promisify(execFile);

const EMPTY_LAYER: Digest = sha256(END_OF_ARCHIVE);

function scratchName(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString("hex")}`;
}

export function engineBuildBackend(deps: EngineBackendDeps): BuildBackend {
  const { images } = deps;
  const topOf = (id: string | undefined): string | undefined => {
    if (!id) return undefined;
    const rec = images.store.get(id as Digest);
    if (!rec) throw notFound(`No such image: ${id}`);
    return rec.chain[rec.chain.length - 1];
  };
  const layerFrom = async (write: (out: NodeJS.WritableStream) => Promise<Digest>): Promise<Layer> => {
    const file = path.join(images.tmpDir, `${scratchName("build-layer")}.tar`);
    const diffId = await write(createWriteStream(file));
    return { file, diffId, empty: diffId === EMPTY_LAYER };
  };
  /** The layer tar of a scratch snapshot's upper directory. */
  const layerOf = (key: string) =>
    layerFrom(async (out) => {
      const digester = new DigestingStream();
      await pipeline(layerDiff(images.snapshots.upperDir(key)), digester, out);
      return digester.digest;
    });
  /** The layer tar made from the earlier layer `prevTop`'s tar and the touched paths, if it can be. */
  const patchedLayer = async (prevTop: string, upper: string, touched: string[]) => {
    const blob = images.store.layer(prevTop as Digest)?.blob;
    if (blob?.mediaType !== OCI_LAYER_TAR) return undefined;
    const tar = await patchLayerDiff(await images.content.readBytes(blob.digest), upper, touched);
    if (!tar) return undefined;
    return layerFrom(async (out) => {
      await pipeline(Readable.from([tar]), out);
      return sha256(tar);
    });
  };
  const withMounted = async <T>(
    key: string,
    mounts: Awaited<ReturnType<ImageDeps["snapshots"]["prepare"]>>,
    fn: (root: string) => Promise<T>,
  ): Promise<T> => {
    const root = path.join(images.tmpDir, `${key}-root`);
    await fs.mkdir(root, { recursive: true });
    try {
      await mountAll(mounts, root);
      try {
        return await fn(root);
      } finally {
        await unmountAll(root);
      }
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  };

  const dropSnapshot = (key: string) =>
    images.snapshots
      .remove(key)
      .catch((err) => log.warn("removing build snapshot", { key, err: String(err) }));
  /** Commits a step's scratch snapshot as the snapshot of the layer it made (no re-extraction). */
  const adoptSnapshot = async (key: string, parentTop: string | undefined, diffId: string) => {
    const chainId = parentTop ? sha256(`${parentTop} ${diffId}`) : (diffId as Digest);
    const exists = await images.snapshots.stat(chainId).then(
      () => true,
      () => false,
    );
    if (exists) await dropSnapshot(key);
    else await images.snapshots.commit(chainId, key);
  };

  return {
    async image(ref) {
      let rec: ReturnType<typeof images.store.resolve>;
      try {
        rec = images.store.resolve(ref);
      } catch (err) {
        if (isKind(err, "not-found")) {
          throw notFound(`No such image: ${ref} (berth build uses local images only, it never pulls)`, err);
        }
        throw err;
      }
      return { id: rec.id, config: await imageConfig(images, rec.id) };
    },
    config: (id) => imageConfig(images, id as Digest),
    cacheMount: (id, o) => deps.cacheMounts.acquire(id, o),
    exists: (id) => images.store.get(id as Digest) !== undefined,

    async run(parent: string, proc: RunProcess): Promise<RunResult> {
      const { Id: id } = await deps.containers.create(
        {
          Image: parent,
          Entrypoint: proc.argv,
          Cmd: [],
          Env: proc.env,
          WorkingDir: proc.workingDir,
          User: proc.user,
          Labels: {},
          AttachStdout: true,
          AttachStderr: true,
          HostConfig: {
            ...(proc.network && proc.network !== "default" ? { NetworkMode: proc.network } : {}),
            Mounts: (proc.mounts ?? []).map((m) =>
              m.type === "tmpfs"
                ? {
                    Type: "tmpfs" as const,
                    Target: m.target,
                    ...(m.sizeBytes ? { TmpfsOptions: { SizeBytes: m.sizeBytes } } : {}),
                  }
                : { Type: "bind" as const, Source: m.source!, Target: m.target, ReadOnly: m.readOnly },
            ),
          },
        },
        {},
      );
      proc.started?.(id);
      const abort = new AbortController();
      const onCancel = () => {
        void deps.containers.remove(id, { force: true, volumes: true }).catch(() => {});
      };
      proc.signal?.addEventListener("abort", onCancel, { once: true });
      try {
        await deps.containers.start(id);
        const wait = await deps.containers.wait(id, "not-running", abort.signal);
        const logs = await deps.containers.logs(id, {
          follow: true,
          stdout: true,
          stderr: true,
          timestamps: false,
          tail: "all",
          signal: abort.signal,
        });
        const copied = (async () => {
          for await (const chunk of logs.output) proc.output(chunk.data);
        })();
        const { StatusCode } = await wait();
        await copied;
        if (StatusCode !== 0) return { exitCode: StatusCode, containerId: id };
        const key = deps.snapshotKeyOf(id);
        if (!key) throw conflict(`container ${id} has no writable layer`);
        const upper = images.snapshots.upperDir(key);
        const lowers = lowerDirsOf(await images.snapshots.mounts(key));
        const targets = (proc.mounts ?? []).map((m) => m.target);
        const layer = await layerFrom((out) =>
          writeContainerLayer(upper, lowers, out as never, (entries) => mountStubs(entries, targets)),
        );
        return { exitCode: 0, containerId: id, layer };
      } finally {
        proc.signal?.removeEventListener("abort", onCancel);
        abort.abort();
        await deps.containers
          .remove(id, { force: true, volumes: true })
          .catch((err) => log.warn("removing build container", { id, err: String(err) }));
      }
    },

    async mutate(parent, fn) {
      const key = scratchName("build");
      const mounts = await images.snapshots.prepare(key, topOf(parent));
      let kept = false;
      try {
        await withMounted(key, mounts, fn);
        const layer = await layerOf(key);
        // The snapshot already holds the layer: commit() makes it the layer's snapshot.
        kept = !layer.empty;
        return kept ? { ...layer, snapshotKey: key } : layer;
      } finally {
        if (!kept) await dropSnapshot(key);
      }
    },

    async patch(parent, previous, fn) {
      const prev = images.store.get(previous as Digest);
      const parentRec = parent ? images.store.get(parent as Digest) : undefined;
      if (!prev || (parent && !parentRec) || (prev.parent ?? undefined) !== (parentRec?.id ?? undefined))
        return undefined;
      const parentChain = parentRec?.chain ?? [];
      if (prev.chain.length !== parentChain.length + 1) return undefined;
      const prevTop = prev.chain.at(-1)!;
      const known = await images.snapshots.stat(prevTop).then(
        () => true,
        () => false,
      );
      if (!known) return undefined;
      const key = scratchName("build");
      const mounts = await images.snapshots.prepare(key, parentChain.at(-1));
      let kept = false;
      try {
        const upper = images.snapshots.upperDir(key);
        // Directories recreated with their metadata and xattrs (overlay's opaque marks), files linked.
        try {
          await execFileAsync("cp", ["-a", "--link", `${images.snapshots.dir(prevTop)}/.`, `${upper}/`]);
        } catch (err) {
          // E.g. the earlier layer was removed meanwhile: copy everything instead.
          log.warn("cloning the previous build layer", { prevTop, err: String(err) });
          return undefined;
        }
        const touched = await fn(upper, lowerDirsOf(mounts));
        if (!touched) return undefined;
        const layer = (await patchedLayer(prevTop, upper, touched)) ?? (await layerOf(key));
        kept = !layer.empty;
        return kept ? { ...layer, snapshotKey: key } : layer;
      } finally {
        if (!kept) await dropSnapshot(key);
      }
    },

    async view(image, fn) {
      const key = scratchName("build-view");
      const mounts = await images.snapshots.view(key, topOf(image));
      try {
        return await withMounted(key, mounts, fn);
      } finally {
        await images.snapshots
          .remove(key)
          .catch((err) => log.warn("removing build view", { key, err: String(err) }));
      }
    },

    async commit({
      parent,
      config,
      layer,
    }: {
      parent: string | undefined;
      config: ImageConfig;
      layer?: Layer;
    }) {
      let adopted = false;
      try {
        return await images.writeLock.run(async () => {
          const parentRec = parent ? images.store.get(parent as Digest) : undefined;
          if (parent && !parentRec) throw notFound(`No such image: ${parent}`);
          const layers: Descriptor[] = (parentRec?.chain ?? []).map((chainId) => {
            const l = images.store.layer(chainId);
            if (!l) throw conflict(`layer ${chainId} of image ${parent} is gone`);
            return l.blob;
          });
          if (layer?.snapshotKey && !layer.empty) {
            await adoptSnapshot(layer.snapshotKey, parentRec?.chain.at(-1), layer.diffId);
            adopted = true;
          }
          if (layer && !layer.empty) {
            const blob = await images.content.ingest(createReadStream(layer.file), {
              digest: layer.diffId as Digest,
            });
            layers.push({ mediaType: OCI_LAYER_TAR, digest: blob.digest, size: blob.size });
          }
          const { image } = await commitImage(images, {
            config: Buffer.from(JSON.stringify(config)),
            layers,
            names: [],
            ...(parentRec ? { parent: parentRec.id } : {}),
          });
          return image.id;
        });
      } finally {
        if (layer) await fs.rm(layer.file, { force: true });
        if (layer?.snapshotKey && !adopted) await dropSnapshot(layer.snapshotKey);
      }
    },

    async tag(id, names) {
      for (const name of names) await deps.tag(id, name);
    },
  };
}
