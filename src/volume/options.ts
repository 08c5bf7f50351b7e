/**
 * The local driver's options (`docker volume create -o type=tmpfs -o device=tmpfs -o o=size=10m`),
 * checked as moby's volume/local does, and turned into the mount(8) command that backs the volume.
 *
 *   type     filesystem type ("tmpfs", "nfs", "ext4", "none" with o=bind, ...)
 *   device   what to mount (a device, "tmpfs", a host directory for o=bind)
 *   o        mount options, comma-separated, as mount -o takes them
 *   size     a quota (needs project quotas on the data root; berth has none)
 *
 * (pure)
 */
import { invalidArgument } from "../lib/errors.js";

export interface LocalMountOptions {
  type: string;
  device: string;
  o: string;
}

const VALID = new Set(["type", "o", "device", "size"]);
/** An option that needs others beside it. */
const REQUIRES: Readonly<Record<string, readonly string[]>> = {
  device: ["type"],
  type: ["device"],
  o: ["device", "type"],
};

/**
 * Validates the options and returns what to mount, or undefined for a plain directory volume.
 * Errors are invalid-argument in Docker's words: `invalid option: "x"`, `missing required option: "type"`.
 */
export function parseLocalOptions(
  opts: Readonly<Record<string, string>> | null | undefined,
): LocalMountOptions | undefined {
  const keys = Object.keys(opts ?? {});
  if (keys.length === 0 || !opts) return undefined;
  for (const k of keys) {
    if (!VALID.has(k)) throw invalidArgument(`invalid option: ${JSON.stringify(k)}`);
  }
  if (Object.hasOwn(opts, "size")) throw invalidArgument("quota size requested but no quota support");
  for (const [k, needs] of Object.entries(REQUIRES)) {
    if (!Object.hasOwn(opts, k)) continue;
    for (const n of needs) {
      if (!Object.hasOwn(opts, n)) throw invalidArgument(`missing required option: ${JSON.stringify(n)}`);
    }
  }
  if (!opts.device) return undefined;
  return { type: opts.type ?? "", device: opts.device, o: opts.o ?? "" };
}

/** The mount(8) arguments that mount the volume's backing filesystem on `target`. */
export function mountArgs(m: LocalMountOptions, target: string): string[] {
  const args: string[] = [];
  const bind = m.o.split(",").some((o) => o === "bind" || o === "rbind");
  if (m.type !== "" && !(bind && m.type === "none")) args.push("-t", m.type);
  if (m.o !== "") args.push("-o", m.o);
  args.push("--", m.device, target);
  return args;
}

/** The options as printed in errors: a password= value is masked, as Docker does. */
export function maskPassword(text: string): string {
  return text.replace(/password=[^,\s]*/g, "password=********");
}
