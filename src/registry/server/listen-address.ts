/** `--addr` values as Go's net.Listen reads them: "host:port", "[v6]:port", ":port" (all interfaces). (pure) */

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListenAddress(addr: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(addr.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) {
    throw new Error(`invalid address "${addr}": expected HOST:PORT, [IPv6]:PORT or :PORT (port 0-65535)`);
  }
  const host = m[1] ?? m[2] ?? "";
  return { host: host === "" ? "0.0.0.0" : host, port };
}
