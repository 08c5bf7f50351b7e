/**
 * Docker's JSON progress messages for pull and push (pure), so `docker pull` draws its bars:
 *
 *   {"status":"Pulling from test/busybox","id":"1"}
 *   {"status":"Pulling fs layer","progressDetail":{},"id":"3f4d90098f5b"}
 *   {"status":"Downloading","progressDetail":{"current":1024,"total":4096},"progress":"[====> ] 1.02kB/4.1kB","id":"3f4d90098f5b"}
 *   {"status":"Download complete","progressDetail":{},"id":"3f4d90098f5b"}
 *   {"status":"Pull complete","progressDetail":{},"id":"3f4d90098f5b"}
 *   {"status":"Digest: sha256:…"}
 *   {"status":"Status: Downloaded newer image for 127.0.0.1:5000/test/busybox:1"}
 */
import type { Digest } from "../../lib/digest.js";

export interface ProgressMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  aux?: Record<string, unknown>;
}

export type Emit = (m: ProgressMessage) => void;

/** The 12-hex id Docker shows for a layer. */
export function shortId(digest: Digest): string {
  return digest.slice(7, 19);
}

export function status(status: string, id?: string): ProgressMessage {
  return id === undefined ? { status } : { status, progressDetail: {}, id };
}

function human(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  // Docker's units.HumanSize: four significant digits.
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

/** A progress line with Docker's bar: "[=====>      ]  1.2MB/5MB". */
export function bytesProgress(verb: string, digest: Digest, current: number, total: number): ProgressMessage {
  const width = 50;
  const filled = total > 0 ? Math.min(width, Math.floor((current / total) * width)) : 0;
  const bar = `[${"=".repeat(Math.max(0, filled - 1))}${filled > 0 ? ">" : ""}${" ".repeat(width - filled)}]`;
  return {
    status: verb,
    progressDetail: { current, total },
    progress: `${bar}  ${human(current)}/${human(total)}`,
    id: shortId(digest),
  };
}
