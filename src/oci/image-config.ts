/**
 * Image configuration: the OCI image config plus the fields Docker writes (Healthcheck, Shell, OnBuild,
 * docker_version, container_config, …). See specs/oci-image-spec/config.md. Field names are the JSON
 * names, so a parsed config serialises back to the same keys.
 */
import type { Digest } from "../lib/digest.js";
import type { Checker, JsonObject } from "./_validate.js";
import { checker, decodeJson } from "./_validate.js";

/** Durations are nanoseconds, as in Docker's JSON. */
export interface HealthConfig {
  /** [] inherit, ["NONE"] disabled, ["CMD", …] exec, ["CMD-SHELL", cmd] shell. */
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** The execution defaults of a container started from the image. */
export interface ContainerConfig {
  User?: string;
  /** Keys "port/proto" ("80/tcp"), values {}. */
  ExposedPorts?: Record<string, Record<string, never>>;
  /** "KEY=value". */
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ArgsEscaped?: boolean;
  Healthcheck?: HealthConfig;
  Shell?: string[];
  OnBuild?: string[];
}

export interface RootFs {
  type: "layers";
  /** Digests of the uncompressed layer tars, base layer first. */
  diff_ids: Digest[];
}

export interface History {
  /** RFC 3339. */
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  /** True when the step changed no files (ENV, CMD, …) and so has no entry in diff_ids. */
  empty_layer?: boolean;
}

export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  "os.version"?: string;
  "os.features"?: string[];
  variant?: string;
  config?: ContainerConfig;
  rootfs: RootFs;
  history?: History[];
  /** Docker: commit message (`docker commit -m`). */
  comment?: string;
  docker_version?: string;
  /** Docker (legacy): the container the image was committed from. */
  container?: string;
  /** Docker (legacy): that container's config; kept as-is. */
  container_config?: JsonObject;
}

const WHAT = "image config";

/**
 * Parses and validates image config JSON; throws invalidArgument naming the offending field.
 * Unknown fields are dropped; Go's `null` for absent slices/maps reads as absent.
 */
export function parseImageConfig(bytes: Uint8Array | string): ImageConfig {
  const c = checker(WHAT);
  const o = c.object(decodeJson(bytes, WHAT), "document");
  if (o.rootfs === undefined || o.rootfs === null) throw c.fail("rootfs is required");
  const rootfs = c.object(o.rootfs, "rootfs");
  if (rootfs.type !== "layers")
    throw c.fail(`rootfs.type must be "layers", got ${JSON.stringify(rootfs.type)}`);
  const diffIds = rootfs.diff_ids === null || rootfs.diff_ids === undefined ? [] : rootfs.diff_ids;
  const cfg: ImageConfig = {
    architecture: c.string(o.architecture, "architecture"),
    os: c.string(o.os, "os"),
    rootfs: {
      type: "layers",
      diff_ids: c.array(diffIds, "rootfs.diff_ids").map((d, i) => c.digest(d, `rootfs.diff_ids[${i}]`)),
    },
  };
  setIf(cfg, "created", c.optString(o.created, "created"));
  setIf(cfg, "author", c.optString(o.author, "author"));
  setIf(cfg, "os.version", c.optString(o["os.version"], '["os.version"]'));
  setIf(cfg, "os.features", c.optStringArray(o["os.features"], '["os.features"]'));
  setIf(cfg, "variant", c.optString(o.variant, "variant"));
  if (o.config !== undefined && o.config !== null) cfg.config = checkContainerConfig(c, o.config, "config");
  if (o.history !== undefined && o.history !== null) {
    cfg.history = c.array(o.history, "history").map((h, i) => checkHistory(c, h, `history[${i}]`));
  }
  setIf(cfg, "comment", c.optString(o.comment, "comment"));
  setIf(cfg, "docker_version", c.optString(o.docker_version, "docker_version"));
  setIf(cfg, "container", c.optString(o.container, "container"));
  if (o.container_config !== undefined && o.container_config !== null) {
    cfg.container_config = c.object(o.container_config, "container_config");
  }
  return cfg;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function checkContainerConfig(c: Checker, v: unknown, path: string): ContainerConfig {
  const o = c.object(v, path);
  const cc: ContainerConfig = {};
  setIf(cc, "User", c.optString(o.User, `${path}.User`));
  setIf(cc, "ExposedPorts", c.optEmptyObjectSet(o.ExposedPorts, `${path}.ExposedPorts`));
  setIf(cc, "Env", c.optStringArray(o.Env, `${path}.Env`));
  setIf(cc, "Entrypoint", c.optStringArray(o.Entrypoint, `${path}.Entrypoint`));
  setIf(cc, "Cmd", c.optStringArray(o.Cmd, `${path}.Cmd`));
  setIf(cc, "Volumes", c.optEmptyObjectSet(o.Volumes, `${path}.Volumes`));
  setIf(cc, "WorkingDir", c.optString(o.WorkingDir, `${path}.WorkingDir`));
  setIf(cc, "Labels", c.optStringMap(o.Labels, `${path}.Labels`));
  setIf(cc, "StopSignal", c.optString(o.StopSignal, `${path}.StopSignal`));
  setIf(cc, "ArgsEscaped", c.optBoolean(o.ArgsEscaped, `${path}.ArgsEscaped`));
  if (o.Healthcheck !== undefined && o.Healthcheck !== null) {
    cc.Healthcheck = checkHealthcheck(c, o.Healthcheck, `${path}.Healthcheck`);
  }
  setIf(cc, "Shell", c.optStringArray(o.Shell, `${path}.Shell`));
  setIf(cc, "OnBuild", c.optStringArray(o.OnBuild, `${path}.OnBuild`));
  return cc;
}

function checkHealthcheck(c: Checker, v: unknown, path: string): HealthConfig {
  const o = c.object(v, path);
  const h: HealthConfig = {};
  setIf(h, "Test", c.optStringArray(o.Test, `${path}.Test`));
  setIf(h, "Interval", c.optInteger(o.Interval, `${path}.Interval`));
  setIf(h, "Timeout", c.optInteger(o.Timeout, `${path}.Timeout`));
  setIf(h, "StartPeriod", c.optInteger(o.StartPeriod, `${path}.StartPeriod`));
  setIf(h, "StartInterval", c.optInteger(o.StartInterval, `${path}.StartInterval`));
  setIf(h, "Retries", c.optInteger(o.Retries, `${path}.Retries`));
  return h;
}

function checkHistory(c: Checker, v: unknown, path: string): History {
  const o = c.object(v, path);
  const h: History = {};
  setIf(h, "created", c.optString(o.created, `${path}.created`));
  setIf(h, "created_by", c.optString(o.created_by, `${path}.created_by`));
  setIf(h, "author", c.optString(o.author, `${path}.author`));
  setIf(h, "comment", c.optString(o.comment, `${path}.comment`));
  setIf(h, "empty_layer", c.optBoolean(o.empty_layer, `${path}.empty_layer`));
  return h;
}

export interface HistoryEntry {
  history: History;
  /** The layer this step produced; undefined for empty_layer steps (and for surplus entries). */
  diffId?: Digest;
}

/**
 * Every history entry, newest last, each paired with the layer it produced: the n-th entry without
 * empty_layer gets diff_ids[n]. Layers that no history entry accounts for (images built without
 * history) get a synthesised `{}` entry at the end, so every layer appears exactly once.
 */
export function historyWithLayers(config: ImageConfig): HistoryEntry[] {
  const diffIds = config.rootfs.diff_ids;
  const out: HistoryEntry[] = [];
  let layer = 0;
  for (const h of config.history ?? []) {
    const diffId = h.empty_layer === true ? undefined : diffIds[layer++];
    out.push(diffId === undefined ? { history: h } : { history: h, diffId });
  }
  for (; layer < diffIds.length; layer++) out.push({ history: {}, diffId: diffIds[layer]! });
  return out;
}

/**
 * One entry per layer (same length and order as rootfs.diff_ids): the history entries that produced a
 * layer, paired with it. Layers without a matching entry get `{}`.
 */
export function nonEmptyHistory(config: ImageConfig): Array<{ history: History; diffId: Digest }> {
  const out: Array<{ history: History; diffId: Digest }> = [];
  for (const { history, diffId } of historyWithLayers(config)) {
    if (diffId !== undefined) out.push({ history, diffId });
  }
  return out;
}
