/**
 * The port mapper (shell): turns a container's port requests into mappings, choosing host ports
 * with the pure allocator, bind-testing each candidate on the host, and starting a userland proxy per
 * mapping. The kernel part (DNAT) is in the nft table, rendered from the mappings the daemon stores
 * on the endpoint.
 *
 * Lifecycle: `map(ip, requests)` when the container starts (after its endpoint exists), `unmap`
 * when it stops; `state` is plain data to persist, `restore(ip, mappings)` brings the proxies of a
 * running container back after a daemon restart.
 */
import dgram from "node:dgram";
import { promises as fs } from "node:fs";
import net from "node:net";
import { BerthError, errnoCode } from "../../lib/errors.js";
import { isUnspecified } from "../ipam/ipv4.js";
import type { PortMapping, PortProto } from "../types.js";
import {
  alreadyAllocated,
  candidatePorts,
  DEFAULT_PORT_RANGE,
  emptyAllocations,
  type PortAllocations,
  type PortRange,
  parsePortRange,
  releasePorts,
  reservePort,
} from "./allocator.js";
import { type ProxyOptions, type RunningProxy, startProxy } from "./proxy.js";
import type { PortRequest } from "./spec.js";

export interface PortMapperOptions {
  range?: PortRange;
  proxy?: ProxyOptions;
  /** Replaces the bind test (unit tests). */
  isFree?: (proto: PortProto, hostIp: string, port: number) => Promise<boolean>;
  /** Do not start userland proxies (kernel rules only). */
  noProxy?: boolean;
}

/** Tries to bind the port (and lets go at once): true when no other socket holds it. */
export function isPortFree(proto: PortProto, hostIp: string, port: number): Promise<boolean> {
  const host = isUnspecified(hostIp) ? "0.0.0.0" : hostIp;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 2000);
    const done = (free: boolean) => {
      clearTimeout(timer);
      resolve(free);
    };
    if (proto === "tcp") {
      const s = net.createServer();
      s.once("error", () => done(false));
      s.listen({ host, port, exclusive: true }, () => s.close(() => done(true)));
    } else {
      const s = dgram.createSocket("udp4");
      s.once("error", () => {
        s.close();
        done(false);
      });
      s.bind({ address: host, port, exclusive: true }, () => s.close(() => done(true)));
    }
  });
}

/** The host's ephemeral range, or Linux's default when it cannot be read. */
export async function hostPortRange(): Promise<PortRange> {
  try {
    return parsePortRange(await fs.readFile("/proc/sys/net/ipv4/ip_local_port_range", "utf8"));
  } catch {
    return DEFAULT_PORT_RANGE;
  }
}

const keyOf = (m: { proto: string; hostIp: string; hostPort: number }) =>
  `${m.proto}/${m.hostIp}/${m.hostPort}`;

export class PortMapper {
  #state: PortAllocations;
  readonly #opts: PortMapperOptions;
  readonly #proxies = new Map<string, RunningProxy>();

  constructor(opts: PortMapperOptions = {}, state: PortAllocations = emptyAllocations()) {
    this.#opts = opts;
    this.#state = state;
  }

  get state(): PortAllocations {
    return this.#state;
  }

  /**
   * Allocates host ports for all requests (all or nothing) and starts their proxies. Returns the
   * mappings to store on the endpoint. A fixed port some other process holds fails with Docker's
   * userland-proxy wording.
   */
  async map(containerIp: string, requests: readonly PortRequest[]): Promise<PortMapping[]> {
    const done: PortMapping[] = [];
    try {
      for (const req of requests) done.push(await this.#mapOne(containerIp, req));
    } catch (err) {
      await this.unmap(done);
      throw err;
    }
    return done;
  }

  async #mapOne(containerIp: string, req: PortRequest): Promise<PortMapping> {
    const isFree = this.#opts.isFree ?? isPortFree;
    const dynamic = req.hostPortStart !== req.hostPortEnd || req.hostPortStart === 0;
    for (const port of candidatePorts(this.#state, req, this.#opts.range ?? DEFAULT_PORT_RANGE)) {
      const m: PortMapping = {
        proto: req.proto,
        hostIp: req.hostIp,
        hostPort: port,
        containerPort: req.containerPort,
      };
      if (!(await isFree(req.proto, req.hostIp, port))) continue;
      this.#state = reservePort(this.#state, m, dynamic);
      try {
        await this.#startProxy(containerIp, m);
      } catch (err) {
        this.#state = releasePorts(this.#state, [m]);
        if (errnoCode(err) === "EADDRINUSE" && dynamic) continue;
        throw proxyError(m, err);
      }
      return m;
    }
    if (!dynamic) {
      const host = isUnspecified(req.hostIp) ? "0.0.0.0" : req.hostIp;
      throw new BerthError(
        "conflict",
        `Error starting userland proxy: listen ${req.proto}4 ${host}:${req.hostPortStart}: bind: address already in use`,
      );
    }
    if (req.hostPortStart !== 0)
      throw alreadyAllocated(req.hostIp, `${req.hostPortStart}-${req.hostPortEnd}`);
    throw new BerthError("conflict", "all ports are allocated");
  }

  async #startProxy(containerIp: string, m: PortMapping): Promise<void> {
    if (this.#opts.noProxy) return;
    const listenIp = isUnspecified(m.hostIp) ? "0.0.0.0" : m.hostIp;
    const spec = {
      proto: m.proto,
      listenIp,
      listenPort: m.hostPort,
      targetIp: containerIp,
      targetPort: m.containerPort,
    };
    this.#proxies.set(keyOf(m), await startProxy(spec, this.#opts.proxy));
  }

  /** Re-establishes mappings known from the daemon's records (after a restart). */
  async restore(containerIp: string, mappings: readonly PortMapping[]): Promise<void> {
    for (const m of mappings) {
      if (this.#proxies.has(keyOf(m))) continue;
      if (!this.#state.entries.some((e) => keyOf(e) === keyOf(m))) {
        this.#state = reservePort(this.#state, m, false);
      }
      await this.#startProxy(containerIp, m);
    }
  }

  /** Stops the proxies and frees the host ports. Idempotent. */
  async unmap(mappings: readonly PortMapping[]): Promise<void> {
    for (const m of mappings) {
      const p = this.#proxies.get(keyOf(m));
      this.#proxies.delete(keyOf(m));
      await p?.close();
    }
    this.#state = releasePorts(this.#state, mappings);
  }

  /** Stops every proxy (daemon shutdown); allocations stay in `state`. */
  async close(): Promise<void> {
    const all = [...this.#proxies.values()];
    this.#proxies.clear();
    await Promise.all(all.map((p) => p.close()));
  }
}

function proxyError(m: PortMapping, err: unknown): BerthError {
  const host = isUnspecified(m.hostIp) ? "0.0.0.0" : m.hostIp;
  const why = errnoCode(err) === "EADDRINUSE" ? "bind: address already in use" : String(err);
  return new BerthError(
    "conflict",
    `Error starting userland proxy: listen ${m.proto}4 ${host}:${m.hostPort}: ${why}`,
    {
      cause: err,
    },
  );
}
