import type { HostConfig } from "../../api/types/containers.js";
import { parseByteSize } from "../../lib/byte-size.js";
import { invalidArgument } from "../../lib/errors.js";

/**
 * The bounds of a container's log, from Docker's log options (`--log-opt max-size=10m
 * --log-opt max-file=3`). Unlike Docker's json-file driver, berth bounds logs by default, with the
 * defaults of Docker's `local` driver: 20 MB a file, 5 files. Pure.
 */
export interface LogPolicy {
  maxSize: number;
  maxFile: number;
}

export const DEFAULT_LOG_POLICY: LogPolicy = { maxSize: 20 * 1024 * 1024, maxFile: 5 };

export function logPolicy(h: Pick<HostConfig, "LogConfig">): LogPolicy {
  const cfg = h.LogConfig?.Config ?? {};
  const type = h.LogConfig?.Type ?? "";
  if (type && !["json-file", "local", "k8s-file", "none"].includes(type)) {
    throw invalidArgument(`log driver "${type}" is not supported by berth: use json-file or local`);
  }
  for (const k of Object.keys(cfg)) {
    if (
      !["max-size", "max-file", "compress", "mode", "max-buffer-size", "labels", "env", "tag"].includes(k)
    ) {
      throw invalidArgument(`unknown log opt '${k}' for ${type || "json-file"} log driver`);
    }
  }
  let maxSize = DEFAULT_LOG_POLICY.maxSize;
  const size = cfg["max-size"];
  if (size !== undefined && size !== "" && size !== "-1") {
    const bytes = parseByteSize(size);
    if (bytes === undefined) throw invalidArgument(`invalid max-size '${size}': use a size like 10m`);
    maxSize = bytes;
  } else if (size === "-1") {
    maxSize = Number.POSITIVE_INFINITY;
  }
  let maxFile = DEFAULT_LOG_POLICY.maxFile;
  const files = cfg["max-file"];
  if (files !== undefined && files !== "") {
    if (!/^\d+$/.test(files) || Number(files) < 1)
      throw invalidArgument(`invalid max-file '${files}': use a number of at least 1`);
    maxFile = Number(files);
  }
  return { maxSize, maxFile };
}

/** Renames to do, oldest first, when the live log is rotated: [from, to] pairs and the file to drop. */
export function rotationPlan(base: string, maxFile: number): { drop?: string; renames: [string, string][] } {
  if (maxFile <= 1) return { drop: base, renames: [] };
  const renames: [string, string][] = [];
  for (let i = maxFile - 2; i >= 1; i--) renames.push([`${base}.${i}`, `${base}.${i + 1}`]);
  renames.push([base, `${base}.1`]);
  return { drop: `${base}.${maxFile - 1}`, renames };
}
