/**
 * What the executor needs from the engine (BuildKit's Worker/Executor boundary). The daemon
 * implements it over its image store and container use cases; the builder never imports them.
 *
 * Lifecycle of one layer-producing step:
 *   run(parent, process) or mutate(parent, fn) → a Layer (a tar file, maybe empty)
 *   commit({ parent, config, layer }) → the new image id; the layer file is consumed
 */
import type { PlatformSpec } from "../../oci/platform.js";
import type { ImageConfig } from "../../oci/image-config.js";

/** A layer tar written to a scratch file; `empty` when the step changed no files. */
export interface Layer {
  file: string;
  diffId: string;
  empty: boolean;
  /** Backend-private: a snapshot that already holds the layer's files (commit uses it). */
  snapshotKey?: string;
}

/** A mount of a RUN step, made by the executor from `RUN --mount` (host paths already prepared). */
export interface RunMountSpec {
  type: "bind" | "tmpfs";
  /** bind: the host path. */
  source?: string;
  /** Absolute in the container. */
  target: string;
  readOnly: boolean;
  /** tmpfs size limit. */
  sizeBytes?: number;
}

export type RunNetwork = "default" | "none" | "host";

/** `RUN --mount=type=cache` sharing modes. */
export type CacheMountSharing = "shared" | "private" | "locked";

export interface CacheMountOptions {
  sharing: CacheMountSharing;
  uid: number;
  gid: number;
  /** Permission bits of the directory when it is created. */
  mode: number;
}

export interface RunProcess {
  argv: string[];
  /** "KEY=value". */
  env: string[];
  workingDir: string;
  user: string;
  /** Receives the process's output as it comes. */
  output(chunk: Buffer): void;
  /** Aborted when the build is canceled: the process is killed. */
  signal?: AbortSignal;
  /** RUN --mount: their content never reaches the layer (nor do the mount points they needed). */
  mounts?: RunMountSpec[];
  network?: RunNetwork;
  /** Called once the container exists (its id, for " ---> Running in <id>"). */
  started?(containerId: string): void;
}

export interface RunResult {
  exitCode: number;
  containerId: string;
  /** The container's changes; undefined when the process failed. */
  layer?: Layer;
}

export interface BuildBackend {
  /**
   * An image by name or id; not-found when missing. A backend may pull a missing one (for
   * `platform`: FROM --platform, else the build's target platform).
   */
  image(ref: string, opts?: { platform?: PlatformSpec }): Promise<{ id: string; config: ImageConfig }>;
  /** The config of an image id. */
  config(id: string): Promise<ImageConfig>;
  /** Whether an image id still exists (cache records may outlive their images). */
  exists(id: string): boolean;
  /** Runs a process in a throwaway container on `parent`; the container is removed afterwards. */
  run(parent: string, proc: RunProcess): Promise<RunResult>;
  /**
   * The persistent directory of a cache mount `id` (created with the options' owner and mode);
   * `release` when the RUN is over. "locked" waits for the holder, "private" gets its own directory
   * while another holds the shared one.
   */
  cacheMount(id: string, opts: CacheMountOptions): Promise<{ dir: string; release(): void }>;
  /** Mounts a writable layer on `parent` (empty when undefined), lets `fn` change files there. */
  mutate(parent: string | undefined, fn: (rootfs: string) => Promise<void>): Promise<Layer>;
  /**
   * A writable layer on `parent` that starts as a copy of `previous`'s own layer (hard links, no
   * data copied; `previous` must be a child of `parent` with one layer more). `fn` edits that
   * layer's directory directly (`lowers`: the parent's layer directories, top first) and returns
   * the paths it touched (relative to the layer root), or undefined to give up. Undefined when given up or when `previous` does not qualify. Optional: a
   * backend without it always copies everything through `mutate`.
   */
  patch?(
    parent: string | undefined,
    previous: string,
    fn: (layerDir: string, lowers: string[]) => Promise<string[] | undefined>,
  ): Promise<Layer | undefined>;
  /** Mounts `image` read-only (COPY --from) while `fn` reads it. */
  view<T>(image: string, fn: (rootfs: string) => Promise<T>): Promise<T>;
  /** Stores an image: the parent's layers (plus `layer`) with `config`. */
  commit(opts: { parent: string | undefined; config: ImageConfig; layer?: Layer }): Promise<string>;
  /** Points each name at the image. */
  tag(id: string, names: string[]): Promise<void>;
}
