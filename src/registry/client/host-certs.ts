/**
 * Per-registry TLS material, laid out as Docker's certs.d:
 *
 *   /etc/docker/certs.d/reg.example:5000/ca.crt        a CA trusted for this registry (any *.crt)
 *   /etc/docker/certs.d/reg.example:5000/client.cert   a client certificate (any *.cert) …
 *   /etc/docker/certs.d/reg.example:5000/client.key    … and its key (the same name, *.key)
 *
 * Read on each session, so a file added while berthd runs counts at the next pull or push. A
 * *.cert without its *.key (or the reverse) is an error, as in Docker.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { invalidArgument } from "../../lib/errors.js";

export interface HostTls {
  /** CA certificates (PEM) trusted for this host, besides the system's. */
  ca: string[];
  /** A client certificate and key (PEM) presented to the registry. */
  cert?: string;
  key?: string;
  /** The directory they came from, for messages and for agent caching. */
  dir: string;
}

/** The TLS files for `host` (host[:port]) in the first of `dirs` that has a directory for it. */
export function loadHostCerts(dirs: readonly string[], host: string): HostTls | undefined {
  // host[:port] is a directory name; anything else ("../x") is not looked up.
  if (!/^[A-Za-z0-9.[\]:-]+$/.test(host) || host.includes("..")) return undefined;
  for (const base of dirs) {
    const dir = path.join(base, host);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    const read = (name: string) => readFileSync(path.join(dir, name), "utf8");
    const out: HostTls = { ca: names.filter((n) => n.endsWith(".crt")).map(read), dir };
    const certs = names.filter((n) => n.endsWith(".cert"));
    const keys = names.filter((n) => n.endsWith(".key"));
    for (const c of certs) {
      const key = `${c.slice(0, -".cert".length)}.key`;
      if (!keys.includes(key))
        throw invalidArgument(`missing key ${key} for client certificate ${path.join(dir, c)}`);
    }
    for (const k of keys) {
      const cert = `${k.slice(0, -".key".length)}.cert`;
      if (!certs.includes(cert))
        throw invalidArgument(`missing client certificate ${cert} for key ${path.join(dir, k)}`);
    }
    if (certs.length > 0) {
      out.cert = read(certs[0]!);
      out.key = read(`${certs[0]!.slice(0, -".cert".length)}.key`);
    }
    return out;
  }
  return undefined;
}
