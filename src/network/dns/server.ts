/**
 * The embedded DNS server of one user-defined network: UDP and TCP on <gateway>:53 in the host's
 * network namespace (as Podman's aardvark-dns), so containers reach it over their bridge and their
 * resolv.conf names the gateway. The daemon starts one after the bridge has its address, feeds it
 * the network's entries whenever a container joins or leaves, and closes it with the network.
 *
 * Unknown names go to the upstreams (the host's resolvers, as the daemon configures); with none,
 * the answer is SERVFAIL at once and nothing leaves the host.
 */
import dgram from "node:dgram";
import net from "node:net";
import type { DecodedPacket } from "dns-packet";
import * as dnsPacket from "dns-packet";
import { forwardQuery, parseUpstream, type Upstream } from "./forward.js";
import { answerQuery, buildTable, type DnsEntry, type DnsTable, RCODE, reply } from "./table.js";

export interface DnsServerOptions {
  /** Address to bind (the network's gateway). */
  address: string;
  /** Default 53. 0 picks a free port (tests). */
  port?: number;
  /** "ip" or "ip:port"; empty: no forwarding. */
  upstreams?: readonly string[];
  upstreamTimeoutMs?: number;
  /** Most queries being forwarded at once; beyond it, SERVFAIL. */
  maxInflight?: number;
  ttl?: number;
}

const MAX_TCP_CONNECTIONS = 64;
const TCP_IDLE_MS = 10_000;
const UDP_LIMIT = 512;

export class DnsServer {
  readonly address: string;
  #port = 0;
  #table: DnsTable = buildTable([]);
  #byClient: ReadonlyMap<string, DnsTable> = new Map();
  readonly #upstreams: Upstream[];
  readonly #opts: DnsServerOptions;
  readonly #udp: dgram.Socket;
  readonly #tcp: net.Server;
  readonly #conns = new Set<net.Socket>();
  #inflight = 0;

  private constructor(opts: DnsServerOptions) {
    this.address = opts.address;
    this.#opts = opts;
    this.#upstreams = (opts.upstreams ?? []).map(parseUpstream);
    this.#udp = dgram.createSocket({ type: "udp4" });
    this.#tcp = net.createServer((s) => this.#onTcp(s));
  }

  static async start(opts: DnsServerOptions): Promise<DnsServer> {
    const s = new DnsServer(opts);
    await s.#listen(opts.port ?? 53);
    return s;
  }

  /** The bound port (53 unless the options asked for another). */
  get port(): number {
    return this.#port;
  }

  /**
   * Replaces the names this server answers. `byClient` gives some clients (by source address) a
   * table of their own: a container on several networks resolves the names of all of them.
   */
  setEntries(entries: readonly DnsEntry[], byClient?: ReadonlyMap<string, readonly DnsEntry[]>): void {
    this.#table = buildTable(entries);
    this.#byClient = new Map([...(byClient ?? [])].map(([ip, e]) => [ip, buildTable(e)]));
  }

  async close(): Promise<void> {
    for (const c of this.#conns) c.destroy();
    await Promise.all([
      new Promise<void>((r) => this.#udp.close(() => r())),
      new Promise<void>((r) => this.#tcp.close(() => r())),
    ]);
  }

  async #listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#udp.once("error", reject);
      this.#udp.bind({ address: this.address, port }, () => {
        this.#udp.off("error", reject);
        resolve();
      });
    });
    this.#port = this.#udp.address().port;
    this.#udp.on("error", () => {});
    this.#udp.on("message", (msg, rinfo) => {
      void this.#handle(msg, "udp", rinfo.address).then((out) => {
        if (out) this.#udp.send(out, rinfo.port, rinfo.address);
      });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        this.#tcp.once("error", reject);
        this.#tcp.listen({ host: this.address, port: this.#port }, () => {
          this.#tcp.off("error", reject);
          resolve();
        });
      });
    } catch (err) {
      this.#udp.close();
      throw err;
    }
    this.#tcp.on("error", () => {});
  }

  #onTcp(sock: net.Socket): void {
    if (this.#conns.size >= MAX_TCP_CONNECTIONS) {
      sock.destroy();
      return;
    }
    this.#conns.add(sock);
    sock.on("close", () => this.#conns.delete(sock));
    sock.on("error", () => sock.destroy());
    sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
    let buf = Buffer.alloc(0);
    sock.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        void this.#handle(msg, "tcp", sock.remoteAddress ?? "").then((out) => {
          if (!out || sock.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(out.length);
          sock.write(Buffer.concat([len, out]));
        });
      }
    });
  }

  /** The reply bytes for one query message, or undefined to stay silent (garbage in). */
  async #handle(msg: Buffer, transport: "udp" | "tcp", client: string): Promise<Buffer | undefined> {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return undefined;
    }
    const opts = { recursionAvailable: this.#upstreams.length > 0, ttl: this.#opts.ttl ?? 600 };
    const table = this.#byClient.get(client.replace(/^::ffff:/, "")) ?? this.#table;
    const local = answerQuery(table, query, opts);
    if (local) return fitUdp(query, dnsPacket.encode(local), transport);
    const max = this.#opts.maxInflight ?? 256;
    if (this.#upstreams.length === 0 || this.#inflight >= max) {
      return dnsPacket.encode(reply(query, RCODE.SERVFAIL, [], opts));
    }
    this.#inflight++;
    try {
      const timeout = this.#opts.upstreamTimeoutMs ?? 2000;
      const up = await forwardQuery(msg, this.#upstreams, transport, timeout);
      return up ?? dnsPacket.encode(reply(query, RCODE.SERVFAIL, [], opts));
    } finally {
      this.#inflight--;
    }
  }
}

/** Over UDP, a reply larger than 512 bytes (and no EDNS) is cut to its header with TC set. */
function fitUdp(query: DecodedPacket, out: Buffer, transport: "udp" | "tcp"): Buffer {
  const edns = (query.additionals ?? []).some((a) => a.type === "OPT");
  if (transport === "tcp" || edns || out.length <= UDP_LIMIT) return out;
  const cut = reply(query, RCODE.NOERROR, []);
  cut.flags = (cut.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE;
  return dnsPacket.encode(cut);
}
