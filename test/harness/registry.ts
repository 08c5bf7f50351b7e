import { type ChildProcess, spawn } from "node:child_process";
import { promises as fs, openSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { freePort } from "./http.js";

/** Debian's Distribution registry (`docker-registry serve`) on 127.0.0.1, filesystem storage in `dir`. */
export class DistributionRegistry {
  readonly host: string;
  readonly #child: ChildProcess;
  private constructor(host: string, child: ChildProcess) {
    this.host = host;
    this.#child = child;
  }

  static async start(
    dir: string,
    opts: {
      htpasswd?: string;
      /** Bearer tokens from this realm, signed by a key whose certificate is in rootCertBundle. */
      token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
    } = {},
  ): Promise<DistributionRegistry> {
    await fs.mkdir(dir, { recursive: true });
    const port = await freePort();
    const t = opts.token;
    const auth = opts.htpasswd
      ? `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${opts.htpasswd}\n`
      : t
        ? `auth:\n  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${t.rootCertBundle}\n`
        : "";
    const config = path.join(dir, "config.yml");
    await fs.writeFile(
      config,
      `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, "data")}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
    );
    const log = openSync(path.join(dir, "registry.log"), "a");
    const child = spawn("/usr/bin/docker-registry", ["serve", config], { stdio: ["ignore", log, log] });
    const reg = new DistributionRegistry(`127.0.0.1:${port}`, child);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      if (await answers(port)) return reg;
      await new Promise((r) => setTimeout(r, 50));
    }
    await reg.stop();
    throw new Error(
      `docker-registry did not start: ${await fs.readFile(path.join(dir, "registry.log"), "utf8")}`,
    );
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise((r) => this.#child.once("exit", r));
    this.#child.kill("SIGTERM");
    const t = setTimeout(() => this.#child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(t);
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/v2/", timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}
