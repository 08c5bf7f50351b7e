/**
 * Tar entry names inside a layer (pure). Docker writes "etc/passwd", "./etc/passwd" and
 * sometimes "/etc/passwd"; all three name the same file, relative to the layer root.
 */
import { invalidArgument } from "../../lib/errors.js";

/**
 * Cleans an entry name to a relative path without ".", ".." or empty components: "" is the layer
 * root. Leading "/" is dropped (as Docker does); a name that climbs above the root is an error.
 */
export function cleanEntryPath(name: string, what = "tar entry"): string {
  if (name.includes("\0")) throw invalidArgument(`${what} ${JSON.stringify(name)}: name contains a NUL byte`);
  const out: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) {
        throw invalidArgument(`${what} ${JSON.stringify(name)} escapes the layer root with ".."`);
      }
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}

/** The parent of a cleaned path ("" for top-level names and the root). */
export function parentOf(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i === -1 ? "" : rel.slice(0, i);
}

export function baseOf(rel: string): string {
  return rel.slice(rel.lastIndexOf("/") + 1);
}

export function joinRel(parent: string, name: string): string {
  return parent === "" ? name : `${parent}/${name}`;
}

/** True when `rel` is `ancestor` or lies below it. */
export function isAtOrBelow(rel: string, ancestor: string): boolean {
  return ancestor === "" || rel === ancestor || rel.startsWith(`${ancestor}/`);
}
