/**
 * Forwarding of queries the table does not answer, to the configured upstream resolvers in order,
 * each bounded by a timeout. With no upstreams nothing is sent anywhere (tests configure none, so
 * no query leaves the machine).
 */
import dgram from "node:dgram";
import net from "node:net";
import { invalidArgument } from "../../lib/errors.js";

export interface Upstream {
  host: string;
  port: number;
}

/** "192.0.2.53", "192.0.2.53:5353", "[::1]:53", "::1". */
export function parseUpstream(text: string): Upstream {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracket) return { host: bracket[1]!, port: bracket[2] ? Number(bracket[2]) : 53 };
  if (net.isIP(text)) return { host: text, port: 53 };
  const m = /^([^:]+):(\d+)$/.exec(text);
  if (m && net.isIPv4(m[1]!) && Number(m[2]) > 0 && Number(m[2]) < 65536) {
    return { host: m[1]!, port: Number(m[2]) };
  }
  throw invalidArgument(`invalid DNS upstream: ${text}`);
}

function udpOnce(query: Buffer, up: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(net.isIPv6(up.host) ? "udp6" : "udp4");
    const finish = (b: Buffer | undefined) => {
      clearTimeout(timer);
      sock.close();
      resolve(b);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    sock.on("error", () => finish(undefined));
    sock.on("message", (msg, from) => {
      // Same transaction id, from the server asked.
      if (msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0) && from.port === up.port)
        finish(msg);
    });
    sock.send(query, up.port, up.host);
  });
}

function tcpOnce(query: Buffer, up: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const sock = net.connect({ host: up.host, port: up.port });
    const finish = (b: Buffer | undefined) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(b);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    sock.on("error", () => finish(undefined));
    sock.on("connect", () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on("data", (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      if (all.length >= 2 && all.length >= 2 + all.readUInt16BE(0))
        finish(all.subarray(2, 2 + all.readUInt16BE(0)));
    });
    sock.on("end", () => finish(undefined));
  });
}

/** The first upstream reply to `query`, or undefined when none answered in time. */
export async function forwardQuery(
  query: Buffer,
  upstreams: readonly Upstream[],
  transport: "udp" | "tcp",
  timeoutMs: number,
): Promise<Buffer | undefined> {
  for (const up of upstreams) {
    const r = transport === "udp" ? await udpOnce(query, up, timeoutMs) : await tcpOnce(query, up, timeoutMs);
    if (r) return r;
  }
  return undefined;
}
