import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { digestHex, sha256 } from "../../lib/digest.js";
import { BerthError, errnoCode, errorMessage, invalidArgument } from "../../lib/errors.js";
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
  disconnectEndpoint,
  type Endpoint,
  ensureNetwork,
  formatIpv4,
  hostPortRange,
  makeEndpoint,
  type NetworkAddresses,
  netnsPath,
  newNetworkAddresses,
  PortMapper,
  type PortRequest,
  parsePrefix,
  prefixLength,
  reconcile,
  releaseAddress,
  removeNetns,
  vethName,
} from "../../network/index.js";

/** Settings of the default bridge network, from daemon.json ("bridge", "bip", "berth-network-owner"). */
export interface DefaultBridgeConfig {
  /** Bridge device, "berth0" by default. */
  bridge: string;
  /** Gateway address with prefix length, "198.18.0.1/24" by default. */
  bip: string;
  /** ifalias owner tag of berth's links; several daemons on one host use distinct ones. */
  owner: string;
  /** nft table (family inet). */
  table: string;
  /** Directory of the containers' netns files. */
  netnsDir: string;
}

/** A container's endpoint as its record keeps it: the kernel-side data plus what inspect shows. */
export interface StoredEndpoint extends Endpoint {
  networkName: string;
  gateway: string;
  prefixLen: number;
}

/**
 * The default bridge network ("bridge", device berth0): the daemon creates it at start, and each
 * container with NetworkMode default/bridge gets a netns, an address and a veth on it while it runs.
 * All changes go through one mutex: addresses and the nft table are rendered from this object's state.
 *
 *   <data-root>/networks/bridge.id   the default network's id (64 hex, random once)
 */
export class DefaultBridge {
  readonly net: BridgeNetwork;
  readonly #cfg: DefaultBridgeConfig;
  readonly #runner: CommandRunner;
  readonly #lock = new Mutex();
  #addrs: NetworkAddresses;
  readonly #endpoints = new Map<string, Endpoint>();
  #mapper = new PortMapper();

  private constructor(cfg: DefaultBridgeConfig, runner: CommandRunner, id: string) {
    this.#cfg = cfg;
    this.#runner = runner;
    const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cfg.bip);
    if (!cidr) throw invalidArgument(`invalid bip ${JSON.stringify(cfg.bip)}: want an address/prefix`);
    const subnet = parsePrefix(cfg.bip);
    const text = `${formatIpv4(subnet.base)}/${subnet.bits}`;
    this.net = { id, name: "bridge", bridge: cfg.bridge, subnet: text, gateway: cidr[1]! };
    this.#addrs = newNetworkAddresses({ subnet: text, gateway: cidr[1]! });
  }

  /**
   * Daemon start: removes berth-owned leftovers no record refers to, makes sure the bridge exists,
   * takes back the endpoints of containers still running (their netns survived) and renders the table.
   */
  static async open(
    cfg: DefaultBridgeConfig,
    runner: CommandRunner,
    dataRoot: string,
    running: readonly Endpoint[],
  ): Promise<DefaultBridge> {
    const b = new DefaultBridge(cfg, runner, await networkId(dataRoot));
    const mine = running.filter((e) => e.networkId === b.net.id);
    const cleanup = await reconcile(
      runner,
      { networks: [b.net], endpoints: mine },
      { owner: cfg.owner, table: cfg.table, netnsDir: cfg.netnsDir },
    );
    if (cleanup.plan.length > 0) {
      log.info("network leftovers removed", cleanup.removed);
      await applyPlan(
        runner,
        cleanup.plan.map((c) => ({ ...c, ignoreFailure: true })),
      );
    }
    b.#mapper = new PortMapper({ range: await hostPortRange() });
    await ensureNetwork(runner, b.net, { owner: cfg.owner });
    await applyHostSysctls(runner);
    for (const ep of mine) {
      try {
        b.#addrs = allocateAddress(b.#addrs, ep.ip).state;
        b.#endpoints.set(ep.containerId, ep);
        await b.#mapper.restore(ep.ip, ep.ports);
      } catch (err) {
        log.warn("re-adopting endpoint", { id: ep.containerId, err: errorMessage(err) });
      }
    }
    await b.#render();
    return b;
  }

  /**
   * Creates the container's netns, connects it and publishes its ports; undone entirely when a step
   * fails (a port in use fails with Docker's "driver failed programming external connectivity").
   */
  connect(containerId: string, opts: ConnectOptions = {}): Promise<StoredEndpoint> {
    return this.#lock.run(async () => {
      const old = this.#endpoints.get(containerId);
      if (old) await this.#teardown(old);
      const ns = netnsPath(containerId, this.#cfg.netnsDir);
      await createNetns(this.#runner, ns);
      let ip: string | undefined;
      try {
        const got = allocateAddress(this.#addrs);
        this.#addrs = got.state;
        ip = got.ip;
        const ep = makeEndpoint(this.net, { containerId, netns: ns, ip });
        await connectEndpoint(this.#runner, this.net, ep, { owner: this.#cfg.owner });
        this.#endpoints.set(containerId, ep);
        if (opts.ports?.length) {
          try {
            ep.ports = await this.#mapper.map(ip, opts.ports);
          } catch (err) {
            throw new BerthError(
              errorKind(err),
              `driver failed programming external connectivity on endpoint ${opts.name ?? containerId.slice(0, 12)} (${endpointId(ep)}): ${errorMessage(err)}`,
              { cause: err },
            );
          }
        }
        await this.#render();
        return { ...ep, networkName: "bridge", gateway: this.net.gateway, prefixLen: prefixLength(this.net) };
      } catch (err) {
        this.#endpoints.delete(containerId);
        if (ip) this.#addrs = releaseAddress(this.#addrs, ip);
        await disconnectEndpoint(this.#runner, { hostVeth: vethName(this.net.id, containerId) }).catch(
          () => {},
        );
        await removeNetns(this.#runner, ns).catch(() => {});
        throw err;
      }
    });
  }

  /** Disconnects the container (if connected) and removes its netns. Never throws. */
  disconnect(containerId: string): Promise<void> {
    return this.#lock.run(async () => {
      const ep = this.#endpoints.get(containerId);
      if (!ep) {
        // Only a netns left by a failed connect; most containers without an endpoint never had one.
        const ns = netnsPath(containerId, this.#cfg.netnsDir);
        if (
          await fs.access(ns).then(
            () => true,
            () => false,
          )
        )
          await removeNetns(this.#runner, ns).catch(() => {});
        return;
      }
      await this.#teardown(ep);
      await this.#render().catch((err) => log.warn("nft ruleset", { err: errorMessage(err) }));
    });
  }

  /** The endpoint of a connected container. */
  endpoint(containerId: string): Endpoint | undefined {
    return this.#endpoints.get(containerId);
  }

  async #teardown(ep: Endpoint): Promise<void> {
    await this.#mapper.unmap(ep.ports).catch(() => {});
    await disconnectEndpoint(this.#runner, ep).catch((err) =>
      log.warn("disconnect endpoint", { id: ep.containerId, err: errorMessage(err) }),
    );
    await removeNetns(this.#runner, ep.netns).catch((err) =>
      log.warn("remove netns", { id: ep.containerId, err: errorMessage(err) }),
    );
    this.#addrs = releaseAddress(this.#addrs, ep.ip);
    this.#endpoints.delete(ep.containerId);
  }

  async #render(): Promise<void> {
    await applyRuleset(
      this.#runner,
      { networks: [this.net], endpoints: [...this.#endpoints.values()] },
      { table: this.#cfg.table },
    );
  }
}

export interface ConnectOptions {
  /** Container name, for error messages. */
  name?: string;
  /** Published ports (-p, -P). */
  ports?: readonly PortRequest[];
}

/** Docker-style 64-hex endpoint id, derived from the network and the container. */
export function endpointId(ep: Pick<Endpoint, "networkId" | "containerId">): string {
  return digestHex(sha256(`${ep.networkId}/${ep.containerId}`));
}

function errorKind(err: unknown): BerthError["kind"] {
  return err instanceof BerthError ? err.kind : "internal";
}

/** The id of a predefined network ("bridge", "host", "none"): 64 random hex, made once per data root. */
export async function networkId(dataRoot: string, name = "bridge"): Promise<string> {
  const file = path.join(dataRoot, "networks", `${name}.id`);
  try {
    const id = (await fs.readFile(file, "utf8")).trim();
    if (/^[0-9a-f]{64}$/.test(id)) return id;
  } catch (err) {
    if (errnoCode(err) !== "ENOENT") throw err;
  }
  const id = randomBytes(32).toString("hex");
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${id}\n`);
  return id;
}
