/**
 * Volumes and binds over a container's life:
 *
 *   create  resolveMountPoints: --volumes-from, Binds, Mounts, then the image's VOLUMEs (and -v
 *           /path) as anonymous volumes; named volumes are created on first use; a --mount bind
 *           source must exist. The result is stored in the record (Docker's MountPoints).
 *   start   attachMounts: volumes are mounted (refcounted by the driver), a -v host directory that
 *           is missing is created, the image's content is copied into an empty volume once
 *           (unless nocopy); gives the spec mounts.
 *   exit    detachMounts: the container's volume references are dropped.
 *   rm      removeAnonymousVolumes: with -v (and for --rm containers), anonymous volumes nobody
 *           else uses go with the container.
 */
import { promises as fs } from "node:fs";
import { posix } from "node:path";
import type { ContainerConfig, HostConfig } from "../../api/types/containers.js";
import { errnoCode, invalidArgument } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import type { SpecMount } from "../../runtime/spec/spec-input.js";
import { copyIntoEmptyVolume } from "../../volume/copy-up.js";
import { type ContainerDeps, findContainer } from "./deps.js";
import {
  type MountRequest,
  parseBind,
  parseMountSpec,
  parseVolumesFrom,
  volumeDestination,
} from "./mount-parse.js";
import { type MountPointRecord, specMountOf } from "./mount-points.js";
import type { ContainerRecord } from "./record.js";
import { hostPath, readlinkIn } from "./rootfs-access.js";
import { resolveInRoot } from "./rootfs-path.js";

type VolumeDeps = Pick<ContainerDeps, "volumes" | "store">;

const bindSourceMissing = (p: string) =>
  invalidArgument(`invalid mount config for type "bind": bind source path does not exist: ${p}`);

async function exists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return false;
    throw err;
  }
}

/**
 * The container's mount points, in Docker's order of precedence (a later one replaces an earlier
 * one at the same destination). Input is checked completely before any volume is created; anonymous
 * volumes made here are removed again when a later step fails.
 */
export async function resolveMountPoints(
  deps: VolumeDeps,
  h: HostConfig,
  cfg: ContainerConfig,
): Promise<MountPointRecord[]> {
  const driver = h.VolumeDriver ?? "";
  const from = (h.VolumesFrom ?? []).map(parseVolumesFrom);
  const requests = [
    ...(h.Binds ?? []).map((b) => parseBind(b, driver)),
    ...(h.Mounts ?? []).map((m) => parseMountSpec(m, driver)),
  ];
  const imageVolumes = Object.keys(cfg.Volumes ?? {}).map(volumeDestination);
  const tmpfs = new Set(Object.keys(h.Tmpfs ?? {}).map((d) => posix.normalize(d).replace(/(.)\/+$/, "$1")));
  const seen = new Set<string>();
  for (const r of requests) {
    if (seen.has(r.destination) || tmpfs.has(r.destination)) {
      throw invalidArgument(`Duplicate mount point: ${r.destination}`);
    }
    seen.add(r.destination);
  }
  const sources = from.map((f) => ({ ...f, mounts: findContainer(deps, f.container).mountPoints ?? [] }));
  for (const r of requests) {
    if (r.type === "bind" && !r.createSource && !(await exists(r.source))) throw bindSourceMissing(r.source);
  }

  const points = new Map<string, MountPointRecord>();
  const made: string[] = [];
  try {
    for (const f of sources) {
      for (const m of f.mounts) {
        points.set(m.destination, { ...m, rw: m.rw && f.rw, mode: "", copyData: false });
      }
    }
    for (const r of requests) points.set(r.destination, await pointFor(deps, r, made, false));
    for (const destination of imageVolumes) {
      if (points.has(destination)) continue;
      const r: MountRequest = {
        type: "volume",
        source: "",
        destination,
        rw: true,
        mode: "",
        propagation: "",
        createSource: false,
        copyData: true,
        ...(driver ? { driver } : {}),
      };
      points.set(destination, await pointFor(deps, r, made, true));
    }
  } catch (err) {
    for (const name of made) await deps.volumes.removeIfUnused(name);
    throw err;
  }
  return [...points.values()];
}

async function pointFor(
  deps: VolumeDeps,
  r: MountRequest,
  made: string[],
  fromImage: boolean,
): Promise<MountPointRecord> {
  const base = { destination: r.destination, rw: r.rw, propagation: r.propagation };
  if (r.type === "tmpfs")
    return { ...base, type: "tmpfs", source: "", mode: "", tmpfsOptions: r.tmpfsOptions ?? [] };
  if (r.type === "bind") {
    return {
      ...base,
      type: "bind",
      source: r.source,
      mode: r.mode,
      ...(r.createSource ? { createSource: true } : {}),
      ...(r.nonRecursive ? { nonRecursive: true } : {}),
    };
  }
  const anonymous = r.source === "";
  const v = await deps.volumes.ensure(anonymous ? undefined : r.source, {
    ...(r.driver ? { driver: r.driver } : {}),
    ...(r.driverOptions ? { options: r.driverOptions } : {}),
    ...(r.labels ? { labels: r.labels } : {}),
  });
  if (anonymous) made.push(v.name);
  return {
    ...base,
    type: "volume",
    name: v.name,
    driver: v.driver,
    source: v.path,
    // Docker shows "z" for local volumes given without a mode (setBindModeIfNull), "" for image VOLUMEs.
    mode: fromImage ? "" : r.mode || "z",
    ...(r.copyData ? { copyData: true } : {}),
    ...(anonymous ? { anonymous: true } : {}),
  };
}

/**
 * Readies the mounts of a starting container whose root is mounted at `rootfs`; returns the spec
 * mounts and the record to store (copy-up done). On failure nothing stays referenced.
 */
export async function attachMounts(
  deps: VolumeDeps,
  c: ContainerRecord,
  rootfs: string,
): Promise<{ mounts: SpecMount[]; record: ContainerRecord }> {
  const points = c.mountPoints ?? [];
  const mounts: SpecMount[] = [];
  const held: string[] = [];
  let copied = false;
  try {
    for (const m of points) {
      if (m.type === "tmpfs") {
        mounts.push(specMountOf(m, ""));
      } else if (m.type === "bind") {
        if (!(await exists(m.source))) {
          if (!m.createSource) throw bindSourceMissing(m.source);
          await fs.mkdir(m.source, { recursive: true, mode: 0o755 });
        }
        mounts.push(specMountOf(m, m.source));
      } else {
        const name = m.name ?? "";
        const info = { destination: m.destination, rw: m.rw, propagation: m.propagation };
        const p = await deps.volumes.mount(name, c.id, info);
        held.push(name);
        if (m.copyData) {
          const rel = await resolveInRoot(m.destination, readlinkIn(rootfs));
          await copyIntoEmptyVolume(hostPath(rootfs, rel), p);
          copied = true;
        }
        mounts.push(specMountOf(m, p));
      }
    }
  } catch (err) {
    for (const name of held) await deps.volumes.unmount(name, c.id).catch(() => {});
    throw err;
  }
  if (!copied) return { mounts, record: c };
  const mountPoints = points.map((m) => (m.copyData ? { ...m, copyData: false } : m));
  return { mounts, record: { ...c, mountPoints } };
}

const volumeNames = (c: ContainerRecord) => [
  ...new Set((c.mountPoints ?? []).filter((m) => m.type === "volume" && m.name).map((m) => m.name!)),
];

/** Drops the container's volume references (it stopped, or its start failed). */
export async function detachMounts(deps: VolumeDeps, c: ContainerRecord): Promise<void> {
  for (const name of volumeNames(c)) {
    await deps.volumes
      .unmount(name, c.id)
      .catch((err) => log.warn("unmounting volume", { id: c.id, name, err: String(err) }));
  }
}

/** Takes the references of containers found running after a daemon restart. */
export async function readoptMounts(deps: VolumeDeps): Promise<void> {
  for (const c of deps.store.all()) {
    if (c.state.status !== "running" && c.state.status !== "paused") continue;
    for (const m of c.mountPoints ?? []) {
      if (m.type !== "volume" || !m.name) continue;
      const info = { destination: m.destination, rw: m.rw, propagation: m.propagation };
      await deps.volumes
        .mount(m.name, c.id, info)
        .catch((err) => log.warn("re-adopting volume mount", { id: c.id, name: m.name, err: String(err) }));
    }
  }
}

/** The anonymous volumes of a removed container, unless another container uses them. */
export async function removeAnonymousVolumes(
  deps: VolumeDeps,
  c: Pick<ContainerRecord, "mountPoints">,
): Promise<void> {
  for (const m of c.mountPoints ?? []) {
    if (m.type === "volume" && m.anonymous && m.name) await deps.volumes.removeIfUnused(m.name);
  }
}
