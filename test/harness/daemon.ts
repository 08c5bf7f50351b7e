import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs, openSync, readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const BERTH = path.join(REPO, "dist", "berth.js");
export const BERTHD = path.join(REPO, "dist", "berthd.js");
export const DOCKER = "/usr/local/bin/docker";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A real berthd on a temporary root and socket, for one test file. */
export class TestDaemon {
  readonly dir: string;
  readonly root: string;
  readonly execRoot: string;
  readonly socket: string;
  #child?: ChildProcess;
  readonly #stopping = new WeakSet<ChildProcess>();

  private constructor(dir: string) {
    this.dir = dir;
    this.root = path.join(dir, "root");
    this.execRoot = path.join(dir, "run");
    this.socket = path.join(this.execRoot, "berth.sock");
  }

  /** `config`: more daemon.json keys (registry settings, timeouts) for this daemon. */
  static async start(opts: { config?: Record<string, unknown> } = {}): Promise<TestDaemon> {
    const d = new TestDaemon(await fs.mkdtemp(path.join(os.tmpdir(), "berth-test-")));
    await fs.writeFile(d.configFile, JSON.stringify({ ...d.network.daemonJson, ...opts.config }));
    await d.startProcess();
    return d;
  }

  /**
   * This daemon's own default bridge, owner tag and nft table, so test daemons running side by
   * side (and a developer's berthd) never touch each other's links, rules or addresses.
   */
  readonly network = testNetwork();

  get configFile(): string {
    return path.join(this.dir, "test-daemon.json");
  }

  get host(): string {
    return `unix://${this.socket}`;
  }

  async startProcess(): Promise<void> {
    const log = openSync(path.join(this.dir, "berthd.log"), "a");
    this.#child = spawn(
      process.execPath,
      [
        BERTHD,
        "--data-root",
        this.root,
        "--exec-root",
        this.execRoot,
        `--config-file=${this.configFile}`,
        "--log-level",
        "debug",
      ],
      { stdio: ["ignore", log, log] },
    );
    const child = this.#child;
    child.once("exit", (code, signal) => {
      if (this.#stopping.has(child)) return;
      // Nothing asked it to stop: say so with the log's tail, which a CI run would otherwise lose.
      const tail = readFileSync(path.join(this.dir, "berthd.log"), "utf8").split("\n").slice(-60).join("\n");
      process.stderr.write(
        `\n[test harness] berthd (pid ${child.pid}) exited on its own: code ${code} signal ${signal}\n--- berthd.log tail ---\n${tail}\n---\n`,
      );
    });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (this.#child.exitCode !== null) break;
      if (await ping(this.socket)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(
      `berthd did not start; log:\n${await fs.readFile(path.join(this.dir, "berthd.log"), "utf8")}`,
    );
  }

  /** SIGTERM and wait; SIGKILL after 10 s. */
  async stopProcess(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    this.#stopping.add(child);
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  async log(): Promise<string> {
    return fs.readFile(path.join(this.dir, "berthd.log"), "utf8").catch(() => "");
  }

  /** Stops the daemon and removes everything it made, mounts included. */
  async cleanup(): Promise<void> {
    await this.stopProcess();
    unmountUnder(this.dir);
    removeTestNetwork(this.network);
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  berth(
    args: string[],
    opts: { input?: string | Buffer; env?: Record<string, string> } = {},
  ): Promise<RunResult> {
    return run(process.execPath, ["--", BERTH, ...args], {
      input: opts.input,
      env: { ...process.env, BERTH_HOST: this.host, ...opts.env },
    });
  }

  docker(
    args: string[],
    opts: { input?: string | Buffer; env?: Record<string, string> } = {},
  ): Promise<RunResult> {
    return run(DOCKER, args, {
      input: opts.input,
      env: {
        ...process.env,
        DOCKER_HOST: this.host,
        DOCKER_BUILDKIT: "0",
        DOCKER_CONFIG: path.join(this.dir, "docker-config"),
        ...opts.env,
      },
    });
  }
}

export interface TestNetwork {
  bridge: string;
  owner: string;
  table: string;
  /** "198.18.<n>.0/24" */
  subnet: string;
  /** This daemon's slice of 198.19.0.0/18 for user-defined networks: "198.19.<16k>.0/20". */
  pool: string;
  /** A /24 of the pool for tests that pass --subnet (counted from the top; the daemon allocates from the bottom). */
  userSubnet(i: number): string;
  daemonJson: Record<string, unknown>;
}

/**
 * A fresh bridge name, owner tag and /24 in 198.18.128.0/17 that no host route uses yet, and a /20
 * of 198.19.0.0/18 for user networks (test/network uses 198.19.192.0/18). The embedded DNS forwards
 * nothing ("dns-upstream": []), so no test query leaves the machine.
 */
export function testNetwork(): TestNetwork {
  const tag = randomBytes(4).toString("hex");
  const routes = spawnSync("ip", ["-4", "route", "show"], { encoding: "utf8" }).stdout ?? "";
  let third = 128;
  for (let i = 0; i < 64; i++) {
    third = 128 + Math.floor(Math.random() * 128);
    if (!routes.includes(`198.18.${third}.`)) break;
  }
  const inUse = (k: number) =>
    Array.from({ length: 16 }, (_, j) => `198.19.${16 * k + j}.`).some((p) => routes.includes(p));
  let slice = Math.floor(Math.random() * 12);
  for (let i = 0; i < 24 && inUse(slice); i++) slice = Math.floor(Math.random() * 12);
  const owner = `berthtest-${tag}`;
  const bridge = `bt${tag}`;
  const pool = `198.19.${16 * slice}.0/20`;
  return {
    bridge,
    owner,
    table: owner.replace(/-/g, "_"),
    subnet: `198.18.${third}.0/24`,
    pool,
    userSubnet: (i: number) => `198.19.${16 * slice + 15 - i}.0/24`,
    daemonJson: {
      bridge,
      bip: `198.18.${third}.1/24`,
      "berth-network-owner": owner,
      "default-address-pools": [{ base: pool, size: 24 }],
      "dns-upstream": [],
    },
  };
}

/** Removes the test daemon's bridge, its tagged veths and its nft table (all tolerant). */
export function removeTestNetwork(n: TestNetwork): void {
  const links = spawnSync("ip", ["-j", "link", "show"], { encoding: "utf8" }).stdout ?? "[]";
  for (const l of JSON.parse(links || "[]") as { ifname: string; ifalias?: string }[]) {
    if (l.ifalias?.startsWith(`${n.owner}:`)) spawnSync("ip", ["link", "del", "dev", l.ifname]);
  }
  spawnSync("ip", ["link", "del", "dev", n.bridge]);
  spawnSync("nft", ["delete", "table", "inet", n.table]);
}

/** Unmounts, deepest first, every mount below dir (leftovers of a failed test or a killed run). */
export function unmountUnder(dir: string): void {
  const mounts = spawnSync("findmnt", ["-rn", "-o", "TARGET"], { encoding: "utf8" })
    .stdout.split("\n")
    .filter((m) => m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) spawnSync("umount", ["-l", m]);
}

export function run(
  file: string,
  args: string[],
  opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? 128,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath: socket, path: "/_ping", method: "GET", timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}
