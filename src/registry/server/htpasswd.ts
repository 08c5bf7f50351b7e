/**
 * htpasswd files for basic auth: one `user:hash` a line, as `htpasswd -B` (bcrypt, `$2y$…`) or
 * `htpasswd -s` (`{SHA}` + base64 SHA-1) write them. Other schemes (`$apr1$` MD5, crypt, plain) are
 * reported by parseHtpasswd and never match. Parsing takes the file's text; checking a password does
 * no file I/O.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import bcrypt from "bcryptjs";

export type HashScheme = "bcrypt" | "sha1";

export interface HtpasswdEntry {
  user: string;
  scheme: HashScheme;
  hash: string;
}

export interface Htpasswd {
  entries: Map<string, HtpasswdEntry>;
  /** "line 3: user "bob": unsupported hash scheme ($apr1$ MD5)": lines that can never log in. */
  problems: string[];
}

export function parseHtpasswd(text: string): Htpasswd {
  const entries = new Map<string, HtpasswdEntry>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const colon = line.indexOf(":");
    if (colon <= 0) {
      problems.push(`line ${i + 1}: expected user:hash`);
      return;
    }
    const user = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    const scheme = schemeOf(hash);
    if (typeof scheme !== "string") {
      problems.push(
        `line ${i + 1}: user "${user}": unsupported hash scheme (${scheme.unsupported}); use htpasswd -B`,
      );
      return;
    }
    entries.set(user, { user, scheme, hash });
  });
  return { entries, problems };
}

function schemeOf(hash: string): HashScheme | { unsupported: string } {
  if (/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(hash)) return "bcrypt";
  if (hash.startsWith("{SHA}")) return "sha1";
  if (hash.startsWith("$apr1$")) return { unsupported: "$apr1$ MD5" };
  if (hash.startsWith("$")) return { unsupported: `${hash.split("$")[1] ?? "?"} crypt` };
  return { unsupported: "crypt or plain text" };
}

/** Whether `password` matches the user's entry. bcrypt runs off the event loop's hot path (async). */
export async function checkPassword(entry: HtpasswdEntry, password: string): Promise<boolean> {
  if (entry.scheme === "sha1") {
    const want = Buffer.from(entry.hash.slice("{SHA}".length), "base64");
    const got = createHash("sha1").update(password, "utf8").digest();
    return want.length === got.length && timingSafeEqual(want, got);
  }
  // bcryptjs reads $2a$, $2b$ and $2y$ (htpasswd's prefix) alike.
  return bcrypt.compare(password, entry.hash);
}

/** `Authorization: Basic <base64 user:pass>` → its parts, or undefined. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const m = header === undefined ? null : /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
