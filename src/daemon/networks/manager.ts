import { promises as fs } from "node:fs";
import { BerthError, errorMessage, invalidArgument, notFound } from "../../lib/errors.js";
import type { CommandRunner } from "../../lib/exec.js";
import { Mutex } from "../../lib/lock.js";
import { log } from "../../lib/log.js";
import {
  allocateAddress,
  applyHostSysctls,
  applyPlan,
  applyRuleset,
  type BridgeNetwork,
  connectEndpoint,
  createNetns,
  DnsServer,
  disconnectEndpoint,
  type Endpoint,
  ensureNetwork,
  hostPortRange,
  makeEndpoint,
  type NetworkAddresses,
  netnsPath,
  newNetworkAddresses,
  PortMapper,
  type PortMapping,
  type PortRequest,
  prefixLength,
  reconcile,
  releaseAddress,
  removeNetns,
  removeNetwork,
  renderTable,
  vethName,
} from "../../network/index.js";
import { dnsTables } from "./dns-entries.js";
import { endpointId } from "./ids.js";

/** Where the manager keeps its kernel objects apart from other daemons on the host. */
export interface NetworkManagerConfig {
  /** ifalias owner tag of berth's links; several daemons on one host use distinct ones. */
  owner: string;
  /** nft table (family inet). */
  table: string;
  /** Directory of the containers' netns files. */
  netnsDir: string;
  /** Upstream resolvers of the embedded DNS ("ip" or "ip:port"); [] answers SERVFAIL at once. */
  dnsUpstreams: readonly string[];
}

/** A container's endpoint as its record keeps it: the kernel-side data plus what inspect shows. */
export interface StoredEndpoint extends Endpoint {
  networkName: string;
  gateway: string;
  prefixLen: number;
  /** Network-scoped aliases (--network-alias, compose service names). */
  aliases?: string[];
}

/** One network a container asks to join: which, under which extra names, at which address. */
export interface Attachment {
  networkId: string;
  aliases?: string[];
  /** --ip / IPAMConfig.IPv4Address. */
  ipv4?: string;
  /** For messages: the network's name when the container was attached. */
  networkName?: string;
}

export interface ConnectOptions {
  /** Container name: error messages and DNS. */
  name: string;
  /** Published ports (-p, -P), served on the first endpoint. */
  ports?: readonly PortRequest[];
  /** Networks in order; the first gives the default route (eth0). */
  attachments: readonly Attachment[];
}

interface Held {
  net: BridgeNetwork;
  addrs: NetworkAddresses;
  /** User-defined networks only: the embedded DNS on the gateway. */
  dns?: DnsServer;
  user: boolean;
}

interface Joined {
  ep: Endpoint;
  name: string;
  aliases: string[];
}

/**
 * Every bridge network the daemon runs (the default bridge and user-defined ones) with the
 * endpoints of running containers: addresses, veths, published ports, the nft table rendered from
 * all of it, and one embedded DNS server per user network. All changes go through one mutex.
 */
export class NetworkManager {
  readonly #cfg: NetworkManagerConfig;
  readonly #runner: CommandRunner;
  readonly #lock = new Mutex();
  readonly #nets = new Map<string, Held>();
  /** container id → network id → endpoint */
  readonly #joined = new Map<string, Map<string, Joined>>();
  #mapper = new PortMapper();
  /** The table text last applied. */
  #rendered: string | undefined;

  private constructor(cfg: NetworkManagerConfig, runner: CommandRunner) {
    this.#cfg = cfg;
    this.#runner = runner;
  }

  /**
   * Daemon start: removes berth-owned leftovers no record refers to, makes sure each network's
   * bridge exists, takes back the endpoints of containers still running (their netns survived),
   * starts the DNS servers and renders the table.
   */
  static async open(
    cfg: NetworkManagerConfig,
    runner: CommandRunner,
    networks: readonly { net: BridgeNetwork; user: boolean; ipRange?: string }[],
    running: readonly { name: string; endpoints: readonly StoredEndpoint[] }[],
  ): Promise<NetworkManager> {
    const m = new NetworkManager(cfg, runner);
    const ids = new Set(networks.map((n) => n.net.id));
    const eps = running.flatMap((c) => c.endpoints.filter((e) => ids.has(e.networkId)));
    const cleanup = await reconcile(
      runner,
      { networks: networks.map((n) => n.net), endpoints: eps },
      { owner: cfg.owner, table: cfg.table, netnsDir: cfg.netnsDir },
    );
    if (cleanup.plan.length > 0) {
      log.info("network leftovers removed", cleanup.removed);
      await applyPlan(
        runner,
        cleanup.plan.map((c) => ({ ...c, ignoreFailure: true })),
      );
    }
    m.#mapper = new PortMapper({ range: await hostPortRange() });
    if (networks.length > 0) await applyHostSysctls(runner);
    for (const { net, user, ipRange } of networks) {
      try {
        await ensureNetwork(runner, net, { owner: cfg.owner });
        m.#nets.set(net.id, { net, user, addrs: addressesOf(net, ipRange) });
      } catch (err) {
        log.error("network bridge", { network: net.name, err: errorMessage(err) });
      }
    }
    for (const c of running) {
      for (const ep of c.endpoints) {
        const held = m.#nets.get(ep.networkId);
        if (!held) continue;
        try {
          held.addrs = allocateAddress(held.addrs, ep.ip).state;
          m.#remember(ep, c.name, ep.aliases ?? []);
          await m.#mapper.restore(ep.ip, ep.ports);
        } catch (err) {
          log.warn("re-adopting endpoint", { id: ep.containerId, err: errorMessage(err) });
        }
      }
    }
    for (const held of m.#nets.values()) {
      if (held.user) await m.#startDns(held);
    }
    await m.#render();
    return m;
  }

  /** The networks held, in creation order. */
  networks(): BridgeNetwork[] {
    return [...this.#nets.values()].map((h) => h.net);
  }

  get(id: string): BridgeNetwork | undefined {
    return this.#nets.get(id)?.net;
  }

  /** Addresses in use on the network (gateway excluded). */
  allocated(id: string): readonly string[] {
    return this.#nets.get(id)?.addrs.allocated ?? [];
  }

  /** Ids of the containers with an endpoint on the network now. */
  containersOn(networkId: string): string[] {
    return [...this.#joined].filter(([, eps]) => eps.has(networkId)).map(([id]) => id);
  }

  /** Creates the bridge of a new network, its DNS server (user networks) and its rules. */
  addNetwork(net: BridgeNetwork, user = true, ipRange?: string): Promise<void> {
    return this.#lock.run(async () => {
      await applyHostSysctls(this.#runner);
      await ensureNetwork(this.#runner, net, { owner: this.#cfg.owner });
      const held: Held = { net, user, addrs: addressesOf(net, ipRange) };
      this.#nets.set(net.id, held);
      try {
        if (user) await this.#startDns(held);
        await this.#render();
      } catch (err) {
        this.#nets.delete(net.id);
        await held.dns?.close().catch(() => {});
        await removeNetwork(this.#runner, net).catch(() => {});
        throw err;
      }
    });
  }

  /** Removes a network's bridge, DNS server and rules. The caller made sure no container uses it. */
  deleteNetwork(id: string): Promise<void> {
    return this.#lock.run(async () => {
      const held = this.#nets.get(id);
      if (!held) return;
      this.#nets.delete(id);
      await held.dns?.close().catch(() => {});
      await removeNetwork(this.#runner, held.net);
      await this.#render();
    });
  }

  /**
   * Container start: creates its netns, joins each network in order (eth0, eth1, …; the first
   * carries the default route and the published ports). Undone entirely when a step fails.
   */
  connect(containerId: string, opts: ConnectOptions): Promise<StoredEndpoint[]> {
    return this.#lock.run(async () => {
      await this.#teardownAll(containerId);
      const ns = netnsPath(containerId, this.#cfg.netnsDir);
      await createNetns(this.#runner, ns);
      const out: StoredEndpoint[] = [];
      try {
        for (const [i, a] of opts.attachments.entries()) {
          out.push(await this.#join(containerId, ns, opts.name, a, `eth${i}`, i === 0));
        }
        const first = out[0];
        if (first && opts.ports?.length) {
          try {
            first.ports = await this.#mapper.map(first.ip, opts.ports);
            this.#joined.get(containerId)!.get(first.networkId)!.ep.ports = first.ports;
          } catch (err) {
            throw new BerthError(
              err instanceof BerthError ? err.kind : "internal",
              `driver failed programming external connectivity on endpoint ${opts.name} (${endpointId(first)}): ${errorMessage(err)}`,
              { cause: err },
            );
          }
        }
        await this.#render();
        this.#refreshDns();
        return out;
      } catch (err) {
        await this.#teardownAll(containerId);
        await removeNetns(this.#runner, ns).catch(() => {});
        throw err;
      }
    });
  }

  /** `network connect` on a running container: one more interface in its netns. */
  attach(containerId: string, name: string, a: Attachment): Promise<StoredEndpoint> {
    return this.#lock.run(async () => {
      const mine = this.#joined.get(containerId);
      const first = mine ? [...mine.values()][0] : undefined;
      // No endpoint left (disconnected from all its networks): its netns is still there.
      const ns = first?.ep.netns ?? netnsPath(containerId, this.#cfg.netnsDir);
      if (!first && !(await exists(ns))) {
        throw invalidArgument(`container ${name} has no network namespace to connect`);
      }
      if (mine?.has(a.networkId)) {
        const net = this.#nets.get(a.networkId)?.net;
        throw new BerthError(
          "permission-denied",
          `endpoint with name ${name} already exists in network ${net?.name ?? a.networkId}`,
        );
      }
      const used = new Set([...(mine?.values() ?? [])].map((j) => j.ep.ifName));
      let n = 0;
      while (used.has(`eth${n}`)) n++;
      const ep = await this.#join(containerId, ns, name, a, `eth${n}`, !first);
      await this.#render();
      this.#refreshDns();
      return ep;
    });
  }

  /**
   * Replaces the published ports of a running container (berth's `update --publish-add/-rm`): the
   * old mappings go, the new ones are made; if that fails the old ones are put back.
   */
  republish(containerId: string, name: string, ports: readonly PortRequest[]): Promise<PortMapping[]> {
    return this.#lock.run(async () => {
      const first = [...(this.#joined.get(containerId)?.values() ?? [])][0];
      if (!first)
        throw invalidArgument(`container ${name} is not connected to a network: nothing to publish on`);
      const old = first.ep.ports;
      await this.#mapper.unmap(old);
      try {
        first.ep.ports = await this.#mapper.map(first.ep.ip, ports);
      } catch (err) {
        first.ep.ports = await this.#mapper.map(
          first.ep.ip,
          old.map((m) => ({
            proto: m.proto,
            hostIp: m.hostIp,
            hostPortStart: m.hostPort,
            hostPortEnd: m.hostPort,
            containerPort: m.containerPort,
          })),
        );
        throw new BerthError(
          err instanceof BerthError ? err.kind : "internal",
          `driver failed programming external connectivity on endpoint ${name} (${endpointId(first.ep)}): ${errorMessage(err)}`,
          { cause: err },
        );
      }
      await this.#render();
      return first.ep.ports;
    });
  }

  /** `network disconnect` on a running container: removes that one interface. */
  detach(containerId: string, networkId: string): Promise<void> {
    return this.#lock.run(async () => {
      const j = this.#joined.get(containerId)?.get(networkId);
      if (!j) return;
      await this.#teardown(j.ep);
      await this.#render().catch((err) => log.warn("nft ruleset", { err: errorMessage(err) }));
      this.#refreshDns();
    });
  }

  /** Container exit: every endpoint and the netns go. Never throws. */
  disconnect(containerId: string): Promise<void> {
    return this.#lock.run(async () => {
      const had = this.#joined.has(containerId);
      await this.#teardownAll(containerId);
      const ns = netnsPath(containerId, this.#cfg.netnsDir);
      if (had || (await exists(ns))) await removeNetns(this.#runner, ns).catch(() => {});
      if (!had) return;
      await this.#render().catch((err) => log.warn("nft ruleset", { err: errorMessage(err) }));
      this.#refreshDns();
    });
  }

  /** Stops proxies and DNS servers (the kernel state stays for running containers). */
  async close(): Promise<void> {
    await this.#mapper.close().catch(() => {});
    for (const h of this.#nets.values()) await h.dns?.close().catch(() => {});
  }

  async #join(
    containerId: string,
    ns: string,
    name: string,
    a: Attachment,
    ifName: string,
    defaultRoute: boolean,
  ): Promise<StoredEndpoint> {
    const held = this.#nets.get(a.networkId);
    if (!held) {
      throw notFound(
        `network ${a.networkName ?? a.networkId} not found: it was removed; disconnect the container from it (network disconnect -f) or create it again`,
      );
    }
    if (a.ipv4 && !held.user) {
      throw invalidArgument("user specified IP address is supported on user defined networks only");
    }
    const got = allocateAddress(held.addrs, a.ipv4 || undefined);
    held.addrs = got.state;
    const ep = makeEndpoint(held.net, { containerId, netns: ns, ip: got.ip, ifName, defaultRoute });
    try {
      await connectEndpoint(this.#runner, held.net, ep, { owner: this.#cfg.owner });
    } catch (err) {
      held.addrs = releaseAddress(held.addrs, got.ip);
      await disconnectEndpoint(this.#runner, { hostVeth: vethName(held.net.id, containerId) }).catch(
        () => {},
      );
      throw err;
    }
    const aliases = a.aliases ?? [];
    this.#remember(ep, name, aliases);
    return {
      ...ep,
      networkName: held.net.name,
      gateway: held.net.gateway,
      prefixLen: prefixLength(held.net),
      ...(aliases.length ? { aliases } : {}),
    };
  }

  #remember(ep: Endpoint, name: string, aliases: string[]): void {
    let mine = this.#joined.get(ep.containerId);
    if (!mine) {
      mine = new Map();
      this.#joined.set(ep.containerId, mine);
    }
    mine.set(ep.networkId, { ep, name, aliases });
  }

  async #teardownAll(containerId: string): Promise<void> {
    for (const j of [...(this.#joined.get(containerId)?.values() ?? [])]) await this.#teardown(j.ep);
    this.#joined.delete(containerId);
  }

  async #teardown(ep: Endpoint): Promise<void> {
    await this.#mapper.unmap(ep.ports).catch(() => {});
    await disconnectEndpoint(this.#runner, ep).catch((err) =>
      log.warn("disconnect endpoint", { id: ep.containerId, err: errorMessage(err) }),
    );
    const held = this.#nets.get(ep.networkId);
    if (held) held.addrs = releaseAddress(held.addrs, ep.ip);
    const mine = this.#joined.get(ep.containerId);
    mine?.delete(ep.networkId);
    if (mine?.size === 0) this.#joined.delete(ep.containerId);
  }

  /**
   * The server listens on <gateway>:<free port> and the nft table sends <gateway>:53 there, so
   * port 53 stays free for containers that publish it on the host (0.0.0.0:53).
   */
  async #startDns(held: Held): Promise<void> {
    held.dns = await DnsServer.start({
      address: held.net.gateway,
      port: 0,
      upstreams: this.#cfg.dnsUpstreams,
      upstreamTimeoutMs: 2000,
    });
    held.net.dnsPort = held.dns.port;
    this.#refreshDns();
  }

  /**
   * Each network's server answers the names on that network; a container on several user networks
   * gets, from each of their servers, the names of all of them (as Docker's per-container resolver).
   */
  #refreshDns(): void {
    const userNets = [...this.#nets.values()].filter((h) => h.dns).map((h) => h.net.id);
    const members = [...this.#joined].map(([containerId, mine]) => ({
      containerId,
      name: [...mine.values()][0]?.name ?? "",
      on: new Map([...mine].map(([netId, j]) => [netId, { ip: j.ep.ip, aliases: j.aliases }])),
    }));
    const tables = dnsTables(userNets, members);
    for (const held of this.#nets.values()) {
      const t = tables.get(held.net.id);
      if (held.dns && t) held.dns.setEntries(t.entries, t.byClient);
    }
  }

  /**
   * Replaces the nft table when its text changes. Endpoints without published ports do not appear in
   * it, so most container starts and exits skip the `nft` process (the table is re-applied in full at
   * daemon start whatever was cached).
   */
  async #render(): Promise<void> {
    const endpoints = [...this.#joined.values()].flatMap((m) => [...m.values()].map((j) => j.ep));
    const input = { networks: this.networks(), endpoints };
    const text = renderTable(input, { table: this.#cfg.table });
    if (text === this.#rendered) return;
    this.#rendered = undefined;
    await applyRuleset(this.#runner, input, { table: this.#cfg.table });
    this.#rendered = text;
  }
}

function addressesOf(net: BridgeNetwork, ipRange: string | undefined): NetworkAddresses {
  return newNetworkAddresses({ subnet: net.subnet, gateway: net.gateway, ...(ipRange ? { ipRange } : {}) });
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
