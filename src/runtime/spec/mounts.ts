/**
 * The container's mount table, as Docker builds it (moby daemon/oci_linux.go withMounts): the
 * default filesystems (/proc, /dev, /dev/pts, /sys, /sys/fs/cgroup, /dev/mqueue, /dev/shm), then the
 * init binary, then the "user" mounts — /etc files, volumes and binds, `--tmpfs` — sorted so that a
 * parent is mounted before its children. A user mount replaces the default at the same place, and a
 * user mount on /dev replaces every default under /dev.
 */
import { posix } from "node:path";
import { invalidArgument } from "../../lib/errors.js";
import type { Mount } from "./runtime-spec.js";
import { type ContainerSpecInput, DEFAULT_SHM_SIZE, INIT_PATH, type SpecMount } from "./spec-input.js";

/** Docker's default mounts; /dev/shm gets `size=<shmSize>`. */
export function defaultMounts(shmSize: number = DEFAULT_SHM_SIZE): Mount[] {
  return [
    { destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"] },
    {
      destination: "/dev",
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "strictatime", "mode=755", "size=65536k"],
    },
    {
      destination: "/dev/pts",
      type: "devpts",
      source: "devpts",
      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
    },
    { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
    {
      destination: "/sys/fs/cgroup",
      type: "cgroup",
      source: "cgroup",
      options: ["ro", "nosuid", "noexec", "nodev"],
    },
    { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
    {
      destination: "/dev/shm",
      type: "tmpfs",
      source: "shm",
      options: ["nosuid", "noexec", "nodev", "mode=1777", `size=${shmSize}`],
    },
  ];
}

/** Mount flags that come in set/clear pairs share a key, so the later one of a pair wins. */
const FLAG_KEYS: Record<string, string> = {
  ro: "rdonly",
  rw: "rdonly",
  suid: "nosuid",
  nosuid: "nosuid",
  dev: "nodev",
  nodev: "nodev",
  exec: "noexec",
  noexec: "noexec",
  sync: "sync",
  async: "sync",
  dirsync: "dirsync",
  remount: "remount",
  mand: "mand",
  nomand: "mand",
  atime: "noatime",
  noatime: "noatime",
  diratime: "nodiratime",
  nodiratime: "nodiratime",
  relatime: "relatime",
  norelatime: "relatime",
  strictatime: "strictatime",
  nostrictatime: "strictatime",
  // Only one propagation mode.
  bind: "propagation",
  rbind: "propagation",
  unbindable: "propagation",
  runbindable: "propagation",
  private: "propagation",
  rprivate: "propagation",
  shared: "propagation",
  rshared: "propagation",
  slave: "propagation",
  rslave: "propagation",
};

const TMPFS_DATA = new Set(["", "size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol"]);

/**
 * Removes conflicting and repeated tmpfs options, the later one winning (moby/sys mount
 * MergeTmpfsOptions). Unknown options are invalidArgument `invalid tmpfs option "x"`.
 */
export function mergeTmpfsOptions(options: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = options.length - 1; i >= 0; i--) {
    const option = options[i]!;
    if (option === "defaults") continue;
    let key = FLAG_KEYS[option];
    if (key === undefined) {
      const eq = option.indexOf("=");
      const name = eq < 0 ? option : option.slice(0, eq);
      if (eq < 0 || !TMPFS_DATA.has(name))
        throw invalidArgument(`invalid tmpfs option ${JSON.stringify(name)}`);
      key = `data:${name}`;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    out.unshift(option);
  }
  return out;
}

/** A `--tmpfs dest:opts` mount: noexec,nosuid,nodev,rprivate then the user's options. */
export function tmpfsMount(destination: string, data: string): Mount {
  const options = ["noexec", "nosuid", "nodev", "rprivate"];
  if (data !== "") options.push(...data.split(","));
  return { destination, type: "tmpfs", source: "tmpfs", options: mergeTmpfsOptions(options) };
}

function cleanDestination(dest: string): string {
  if (!dest.startsWith("/"))
    throw invalidArgument(`invalid mount config: mount path must be absolute: ${dest}`);
  return posix.normalize(dest).replace(/(.)\/+$/, "$1");
}

const depth = (m: Mount) => (m.destination === "/" ? 0 : m.destination.split("/").length - 1);

/** Stable sort by path depth, so /etc comes before /etc/resolv.conf (Docker's sortMounts). */
export function sortMounts<T extends Mount>(mounts: readonly T[]): T[] {
  return mounts
    .map((m, i) => ({ m, i }))
    .sort((a, b) => depth(a.m) - depth(b.m) || a.i - b.i)
    .map(({ m }) => m);
}

const ETC_FILES = [
  ["hosts", "/etc/hosts"],
  ["hostname", "/etc/hostname"],
  ["resolvConf", "/etc/resolv.conf"],
] as const;

/** Defaults that stay writable under --read-only (Docker's list). */
const WRITABLE_UNDER_READONLY = new Set(["/proc", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev"]);

function bindMount(source: string, destination: string, readonly: boolean): Mount {
  return {
    destination,
    type: "bind",
    source,
    options: readonly ? ["rbind", "ro", "rprivate"] : ["rbind", "rprivate"],
  };
}

/** The user mounts: explicit mounts, --tmpfs, the /etc files and the host /dev/shm, sorted. */
function userMounts(input: ContainerSpecInput): Mount[] {
  const explicit: Mount[] = [];
  const seen = new Set<string>();
  const add = (m: Mount) => {
    if (seen.has(m.destination)) throw invalidArgument(`Duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
    explicit.push(m);
  };
  for (const m of input.mounts) add(fromSpecMount(m));
  for (const [dest, data] of Object.entries(input.tmpfs)) add(tmpfsMount(cleanDestination(dest), data));

  const implicit: Mount[] = [];
  for (const [key, dest] of ETC_FILES) {
    const source = input.etcFiles?.[key];
    if (source !== undefined && !seen.has(dest)) implicit.push(bindMount(source, dest, input.readonlyRootfs));
  }
  if (input.namespaces.ipc.kind === "host" && !seen.has("/dev/shm")) {
    implicit.push(bindMount("/dev/shm", "/dev/shm", false));
  }
  return sortMounts([...implicit, ...explicit]);
}

function fromSpecMount(m: SpecMount): Mount {
  return {
    destination: cleanDestination(m.destination),
    type: m.type,
    source: m.source,
    options: [...m.options],
  };
}

/** The complete, ordered mount list of the spec. */
export function buildMounts(input: ContainerSpecInput): Mount[] {
  // 0 means the default, as in Docker's HostConfig.
  const shmSize = input.shmSize || DEFAULT_SHM_SIZE;
  if (!Number.isSafeInteger(shmSize) || shmSize < 0) {
    throw invalidArgument(`SHM size can not be less than 0: ${shmSize}`);
  }
  const user = userMounts(input);
  const userDests = new Set(user.map((m) => m.destination));
  const mountsDev = userDests.has("/dev");
  const defaults = defaultMounts(shmSize).filter(
    (m) => !userDests.has(m.destination) && !(mountsDev && m.destination.startsWith("/dev/")),
  );
  if (input.init !== undefined && input.namespaces.pid.kind === "new" && !userDests.has(INIT_PATH)) {
    defaults.push({ destination: INIT_PATH, type: "bind", source: input.init.path, options: ["bind", "ro"] });
  }
  for (const m of defaults) {
    m.options ??= [];
    if (input.readonlyRootfs && !WRITABLE_UNDER_READONLY.has(m.destination) && !m.options.includes("ro")) {
      m.options.push("ro");
    }
    // Privileged containers get a writable /sys and writable cgroups.
    if (input.privileged && (m.destination === "/sys" || m.type === "cgroup")) {
      m.options = m.options.filter((o) => o !== "ro");
    }
  }
  return [...defaults, ...user];
}
