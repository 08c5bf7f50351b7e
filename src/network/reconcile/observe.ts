/**
 * Crash recovery (shell): reads the host's links, berth's netns directory and nft tables, and returns
 * the cleanup plan of plan.ts. The caller reviews or logs it, then runs it with `applyPlan`.
 */
import { promises as fs } from "node:fs";
import { errnoCode } from "../../lib/errors.js";
import type { CommandRunner } from "../../lib/exec.js";
import { NETNS_DIR } from "../bridge/netns.js";
import {
  type CleanupPlan,
  type KnownState,
  type ObservedState,
  planReconcile,
  type ReconcileOptions,
} from "./plan.js";

export interface ObserveOptions {
  /** Directory of berth's netns files; default /run/berth/netns. */
  netnsDir?: string;
  /** Only files whose name starts with this count (tests share /run/netns with others). */
  netnsPrefix?: string;
}

export async function observe(runner: CommandRunner, opts: ObserveOptions = {}): Promise<ObservedState> {
  const links = JSON.parse((await runner.run("ip", ["-j", "link", "show"])).stdout || "[]") as {
    ifname: string;
    ifalias?: string;
  }[];
  const dir = opts.netnsDir ?? NETNS_DIR;
  let names: string[] = [];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (errnoCode(err) !== "ENOENT") throw err;
  }
  const tablesOut = await runner.run("nft", ["-j", "list", "tables"], { allowFailure: true });
  const parsed = (tablesOut.code === 0 ? JSON.parse(tablesOut.stdout) : { nftables: [] }) as {
    nftables: { table?: { family: string; name: string } }[];
  };
  return {
    links: links.map((l) => ({ name: l.ifname, ...(l.ifalias !== undefined && { alias: l.ifalias }) })),
    netns: names.filter((n) => n.startsWith(opts.netnsPrefix ?? "")).map((n) => `${dir}/${n}`),
    tables: parsed.nftables.flatMap((e) => (e.table?.family === "inet" ? [e.table.name] : [])),
  };
}

/**
 * What to remove after a crash: berth-owned links, netns files and the nft table that `known` (the
 * daemon's surviving records: networks, and endpoints of containers still running) does not refer to.
 */
export async function reconcile(
  runner: CommandRunner,
  known: KnownState,
  opts: ReconcileOptions & ObserveOptions = {},
): Promise<CleanupPlan> {
  return planReconcile(await observe(runner, opts), known, opts);
}
