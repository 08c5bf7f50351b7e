/**
 * The stat Docker returns for a path in a container (X-Docker-Container-Path-Stat): Go's
 * types.ContainerPathStat, with the mode as Go's os.FileMode and the time as Go's RFC 3339 with
 * nanoseconds. Pure.
 */

/** The JSON Docker base64-encodes into the header. */
export interface ContainerPathStat {
  name: string;
  size: number;
  /** Go os.FileMode: permission bits plus Go's type and special bits. */
  mode: number;
  /** RFC 3339 with nanoseconds, trailing zeros trimmed (Go's time.RFC3339Nano). */
  mtime: string;
  /** For a symlink: its target resolved in the container, absolute; "" otherwise. */
  linkTarget: string;
}

/** Go's os.FileMode bits (io/fs). Numbers, not bit operations: the high bit would go negative. */
export const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  namedPipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  charDevice: 2 ** 21,
  sticky: 2 ** 20,
} as const;

const S_IFMT = 0o170000;

/** Go's type bits for a file type (st_mode & S_IFMT). */
function typeBits(ifmt: number): number {
  switch (ifmt) {
    case 0o040000:
      return GO_MODE.dir;
    case 0o120000:
      return GO_MODE.symlink;
    case 0o060000:
      return GO_MODE.device;
    case 0o020000:
      return GO_MODE.device + GO_MODE.charDevice;
    case 0o010000:
      return GO_MODE.namedPipe;
    case 0o140000:
      return GO_MODE.socket;
    default:
      return 0;
  }
}

/** A Unix st_mode as Go's os.FileMode (what os.Lstat reports), as Go's fillFileStatFromSys does. */
export function goFileMode(stMode: number): number {
  let mode = (stMode & 0o777) + typeBits(stMode & S_IFMT);
  if (stMode & 0o4000) mode += GO_MODE.setuid;
  if (stMode & 0o2000) mode += GO_MODE.setgid;
  if (stMode & 0o1000) mode += GO_MODE.sticky;
  return mode;
}

/** Go's time.RFC3339Nano in UTC for a time in nanoseconds since the epoch. */
export function rfc3339Nano(ns: bigint): string {
  const secs = ns / 1_000_000_000n - (ns < 0n && ns % 1_000_000_000n !== 0n ? 1n : 0n);
  const frac = ns - secs * 1_000_000_000n;
  const base = new Date(Number(secs) * 1000).toISOString().replace(/\.\d{3}Z$/, "");
  const digits = frac === 0n ? "" : `.${frac.toString().padStart(9, "0").replace(/0+$/, "")}`;
  return `${base}${digits}Z`;
}
