/**
 * Helpers of the real network tests (root, iproute2, nftables, busybox). Each test file has its own
 * owner tag, nft table, netns prefix and address block, so files never sweep each other's objects.
 * Everything a file makes is registered with `cleanup` and removed in its after hook; `sweep`
 * removes what a killed earlier run of the same file left behind. Every command runs under
 * `timeout`, so a hung ping or nc cannot stall the suite.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { type CommandRunner, type RunResult, spawnRunner } from "../../src/lib/exec.js";
import { hostRoutes } from "../../src/network/bridge/driver.js";
import { bridgeName } from "../../src/network/bridge/names.js";
import { allocateSubnet } from "../../src/network/ipam/pools.js";
import { validateIpamConfig } from "../../src/network/ipam/validate.js";
import { applyPlan } from "../../src/network/plan.js";
import { reconcile } from "../../src/network/reconcile/observe.js";
import type { BridgeNetwork } from "../../src/network/types.js";

export const runner: CommandRunner = spawnRunner;

export interface Scope {
  /** ifalias owner tag, e.g. "berthtest-bridge". */
  owner: string;
  /** nft table, e.g. "berthtest_bridge". */
  table: string;
  /** netns name prefix, e.g. "berth-test-bridge-". */
  netnsPrefix: string;
  /** Address block this file takes its /24s from (inside 198.18.0.0/15). */
  pool: string;
}

export function scope(name: string, pool: string): Scope {
  return { owner: `berthtest-${name}`, table: `berthtest_${name}`, netnsPrefix: `berth-test-${name}-`, pool };
}

const cleanups: (() => Promise<unknown>)[] = [];

/** Registers an undo step; `runCleanups` runs them newest first, each even if others fail. */
export function cleanup(fn: () => Promise<unknown>): void {
  cleanups.push(fn);
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    await fn().catch((e) => console.error("cleanup failed:", e));
  }
}

/** Removes what an earlier (killed) run of this scope left: processes in its netns, links, netns, table. */
export async function sweep(s: Scope): Promise<void> {
  let names: string[] = [];
  try {
    names = (await fs.readdir("/run/netns")).filter((n) => n.startsWith(s.netnsPrefix));
  } catch {}
  for (const n of names) {
    const pids = await runner.run("ip", ["netns", "pids", n], { allowFailure: true });
    for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {}
    }
  }
  const { plan } = await reconcile(
    runner,
    { networks: [], endpoints: [] },
    {
      owner: s.owner,
      table: s.table,
      netnsDir: "/run/netns",
      netnsPrefix: s.netnsPrefix,
    },
  );
  await applyPlan(runner, plan);
}

export const randHex = (bytes: number) => randomBytes(bytes).toString("hex");

/** A new user network of this scope: a fresh id and a /24 no host route uses. */
export async function newNetwork(s: Scope, extra: Partial<BridgeNetwork> = {}): Promise<BridgeNetwork> {
  const id = randHex(32);
  const routes = await hostRoutes(runner);
  const subnet = allocateSubnet([{ base: s.pool, size: 24 }], [], routes);
  const cfg = validateIpamConfig({ subnet });
  return {
    id,
    name: `net-${id.slice(0, 6)}`,
    bridge: bridgeName(id),
    subnet: cfg.subnet,
    gateway: cfg.gateway,
    ...extra,
  };
}

/** Creates `ip netns add <prefix><rand>-<suffix>` and returns its name and path. */
export async function addNetns(s: Scope, suffix: string): Promise<{ name: string; path: string }> {
  const name = `${s.netnsPrefix}${randHex(3)}-${suffix}`;
  await runner.run("ip", ["netns", "add", name]);
  cleanup(() => runner.run("ip", ["netns", "del", name], { allowFailure: true }));
  return { name, path: `/run/netns/${name}` };
}

/** Runs a command inside a netns, bounded by `timeout`; never throws on a non-zero exit. */
export function inNetns(ns: string, argv: readonly string[], seconds = 10): Promise<RunResult> {
  return runner.run("timeout", [String(seconds), "ip", "netns", "exec", ns, ...argv], { allowFailure: true });
}

export const ping = (ns: string, ip: string) => inNetns(ns, ["busybox", "ping", "-c", "1", "-W", "1", ip], 5);

/** Starts a long-running process inside a netns (killed by pid in the after hook). */
export function spawnInNetns(ns: string, argv: readonly string[]): ChildProcess {
  const child = spawn("ip", ["netns", "exec", ns, ...argv], { stdio: "ignore" });
  cleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
  });
  return child;
}

/** A busybox httpd serving `body` at /index.html on `port` inside the netns. */
export async function startHttpd(ns: string, port: number, body: string): Promise<void> {
  const dir = await fs.mkdtemp("/tmp/berth-test-httpd-");
  cleanup(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(`${dir}/index.html`, body);
  spawnInNetns(ns, ["busybox", "httpd", "-f", "-p", String(port), "-h", dir]);
  await waitFor(async () => (await httpGetIn(ns, `http://127.0.0.1:${port}/index.html`)).code === 0);
}

/** busybox wget inside a netns; stdout is the body. */
export function httpGetIn(ns: string, url: string): Promise<RunResult> {
  return inNetns(ns, ["busybox", "wget", "-q", "-O", "-", url], 5);
}

/** Polls `check` every 50 ms for at most `ms`. */
export async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met in time");
}

export async function linkNames(): Promise<string[]> {
  const r = await runner.run("ip", ["-j", "link", "show"]);
  return (JSON.parse(r.stdout) as { ifname: string }[]).map((l) => l.ifname);
}

/** Reads a sysctl and registers its restoration. */
export async function setSysctl(key: string, value: string): Promise<void> {
  const path = `/proc/sys/${key.replaceAll(".", "/")}`;
  const old = (await fs.readFile(path, "utf8")).trim();
  if (old === value) return;
  await fs.writeFile(path, value);
  cleanup(() => fs.writeFile(path, old));
}
