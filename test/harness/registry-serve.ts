/** `berth registry serve` as a child process for tests: started on a free port, stopped with SIGTERM. */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { BERTH } from "./daemon.js";

export interface Served {
  child: ChildProcess;
  hostPort: string;
  stdout: () => string;
  stderr: () => string;
}

/** `node dist/berth.js registry serve --addr 127.0.0.1:0 …`, waiting for its "listening on" line. */
export async function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BERTH, "registry", "serve", "--addr", "127.0.0.1:0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stderr!.on("data", (b: Buffer) => {
    err += b.toString();
  });
  const hostPort = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`registry did not start: ${out}${err}`)), 20_000);
    const check = () => {
      const m = /listening on https?:\/\/(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`registry exited ${code}: ${out}${err}`));
    });
  });
  return { child, hostPort, stdout: () => out, stderr: () => err };
}

export async function stop(s: Served | undefined): Promise<number | null> {
  if (!s || s.child.exitCode !== null) return s?.child.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => s.child.once("exit", (code) => resolve(code)));
  s.child.kill("SIGTERM");
  const timer = setTimeout(() => s.child.kill("SIGKILL"), 10_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
