/**
 * Extended attributes through attr's setfattr/getfattr (Node has no xattr calls). Values travel
 * hex-encoded, so binary values (security.capability) survive. Symlinks are never dereferenced.
 */
import type { CommandRunner } from "../../lib/exec.js";

/**
 * Sets one xattr on a path without following a symlink. Returns false when the filesystem refuses
 * the attribute (ENOTSUP/EPERM: e.g. user.* on a symlink), which Docker also tolerates.
 */
export async function setXattr(
  runner: CommandRunner,
  file: string,
  name: string,
  value: Buffer,
): Promise<boolean> {
  const encoded = value.length === 0 ? "" : `0x${value.toString("hex")}`;
  const r = await runner.run("setfattr", ["-h", "-n", name, "-v", encoded, "--", file], {
    allowFailure: true,
  });
  if (r.code === 0) return true;
  if (/Operation not supported|Operation not permitted/.test(r.stderr)) return false;
  throw new Error(`setfattr ${name} on ${file}: ${r.stderr.trim() || `exit ${r.code}`}`);
}

/** Undoes getfattr's quoting: "\ooo" octal escapes stand for single bytes. */
export function unescapeGetfattr(s: string): string {
  if (!s.includes("\\")) return s;
  const bytes: Buffer[] = [];
  let i = 0;
  while (i < s.length) {
    const m = s[i] === "\\" ? /^[0-7]{3}/.exec(s.slice(i + 1, i + 4)) : null;
    if (m) {
      bytes.push(Buffer.from([Number.parseInt(m[0], 8)]));
      i += 4;
    } else {
      const ch = String.fromCodePoint(s.codePointAt(i) ?? 0);
      bytes.push(Buffer.from(ch, "utf8"));
      i += ch.length;
    }
  }
  return Buffer.concat(bytes).toString("utf8");
}

/** Parses `getfattr -d -e hex --absolute-names` output into path -> (name -> value). */
export function parseGetfattrDump(text: string): Map<string, Map<string, Buffer>> {
  const out = new Map<string, Map<string, Buffer>>();
  let current: Map<string, Buffer> | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("# file: ")) {
      current = new Map();
      out.set(unescapeGetfattr(line.slice("# file: ".length)), current);
      continue;
    }
    const eq = line.lastIndexOf("=");
    if (!current || line === "" || eq <= 0) continue;
    const hex = line.slice(eq + 1);
    const value = hex.startsWith("0x")
      ? Buffer.from(hex.slice(2), "hex")
      : Buffer.from(hex.replace(/^"|"$/g, ""));
    current.set(unescapeGetfattr(line.slice(0, eq)), value);
  }
  return out;
}

/** Every xattr (all namespaces) of every file under root, keyed by absolute path. */
export async function readXattrTree(
  runner: CommandRunner,
  root: string,
): Promise<Map<string, Map<string, Buffer>>> {
  const r = await runner.run("getfattr", [
    "-R",
    "-h",
    "-d",
    "-m",
    "-",
    "-e",
    "hex",
    "--absolute-names",
    "--",
    root,
  ]);
  return parseGetfattrDump(r.stdout);
}
