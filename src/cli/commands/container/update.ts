import { type UpdateConfig, update } from "../../../api/client/containers.js";
import { defineCommand } from "../../command.js";
import { defineFlags, FlagError, type FlagValues, invalidFlagValue } from "../../flags.js";
import { parseMemory } from "../../formatter/units.js";
import { parsePublish } from "./_opts-ports.js";
import { parseCpus, parseRestartPolicy } from "./_opts-values.js";
import { errorLine, usageError } from "./_shared.js";

const FLAGS = defineFlags([
  {
    name: "blkio-weight",
    type: "int",
    valueName: "uint16",
    description: "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)",
  },
  { name: "cpu-period", type: "int", description: "Limit CPU CFS (Completely Fair Scheduler) period" },
  { name: "cpu-quota", type: "int", description: "Limit CPU CFS (Completely Fair Scheduler) quota" },
  { name: "cpu-rt-period", type: "int", description: "Limit the CPU real-time period in microseconds" },
  { name: "cpu-rt-runtime", type: "int", description: "Limit the CPU real-time runtime in microseconds" },
  { name: "cpu-shares", short: "c", type: "int", description: "CPU shares (relative weight)" },
  { name: "cpus", type: "string", valueName: "decimal", description: "Number of CPUs" },
  { name: "cpuset-cpus", type: "string", description: "CPUs in which to allow execution (0-3, 0,1)" },
  { name: "cpuset-mems", type: "string", description: "MEMs in which to allow execution (0-3, 0,1)" },
  { name: "memory", short: "m", type: "string", valueName: "bytes", description: "Memory limit" },
  { name: "memory-reservation", type: "string", valueName: "bytes", description: "Memory soft limit" },
  {
    name: "memory-swap",
    type: "string",
    valueName: "bytes",
    description: "Swap limit equal to memory plus swap: -1 to enable unlimited swap",
  },
  { name: "pids-limit", type: "int", description: "Tune container pids limit (set -1 for unlimited)" },
  {
    name: "publish-add",
    type: "stringArray",
    valueName: "list",
    description: "Publish a container's port to the host, live (berth only)",
  },
  {
    name: "publish-rm",
    type: "stringArray",
    valueName: "list",
    description: "Stop publishing a port, live; without a host port, all of that container port (berth only)",
  },
  { name: "restart", type: "string", description: "Restart policy to apply when a container exits" },
]);

type Flags = typeof FLAGS;
const spec = (name: string) => FLAGS.find((f) => f.name === name)!;

function bytes(name: string, value: string): number | undefined {
  if (value === "") return undefined;
  if (name === "memory-swap" && value === "-1") return -1;
  try {
    return parseMemory(value);
  } catch (err) {
    throw invalidFlagValue(spec(name), value, err);
  }
}

function publishFlag(name: string, values: readonly string[]) {
  try {
    return parsePublish(values).bindings;
  } catch (err) {
    throw invalidFlagValue(spec(name), values.join(","), err);
  }
}

/** The update body: only what was given (the daemon leaves the rest as it is). */
export function updateConfig(f: FlagValues<Flags>): UpdateConfig {
  let nano: number | undefined;
  if (f.cpus !== "") {
    try {
      nano = parseCpus(f.cpus);
    } catch (err) {
      throw invalidFlagValue(spec("cpus"), f.cpus, err);
    }
  }
  const config: UpdateConfig = {
    BlkioWeight: f["blkio-weight"] || undefined,
    CpuPeriod: f["cpu-period"] || undefined,
    CpuQuota: f["cpu-quota"] || undefined,
    CpuRealtimePeriod: f["cpu-rt-period"] || undefined,
    CpuRealtimeRuntime: f["cpu-rt-runtime"] || undefined,
    CpuShares: f["cpu-shares"] || undefined,
    NanoCpus: nano,
    CpusetCpus: f["cpuset-cpus"] || undefined,
    CpusetMems: f["cpuset-mems"] || undefined,
    Memory: bytes("memory", f.memory),
    MemoryReservation: bytes("memory-reservation", f["memory-reservation"]),
    MemorySwap: bytes("memory-swap", f["memory-swap"]),
    PidsLimit: f["pids-limit"] !== 0 ? f["pids-limit"] : undefined,
  };
  if (f.restart !== "") config.RestartPolicy = parseRestartPolicy(f.restart);
  // berth's extension: the daemon edits PortBindings and re-publishes a running container at once.
  if (f["publish-add"].length) config.BerthPortBindingsAdd = publishFlag("publish-add", f["publish-add"]);
  if (f["publish-rm"].length) config.BerthPortBindingsRemove = publishFlag("publish-rm", f["publish-rm"]);
  return config;
}

export const updateCommand = defineCommand({
  path: "container update",
  aliases: ["update"],
  usage: "[OPTIONS] CONTAINER [CONTAINER...]",
  description: "Update configuration of one or more containers",
  flags: FLAGS,
  args: { min: 1 },
  async run(ctx, { flags, args, changed }): Promise<number> {
    if (changed.size === 0) {
      ctx.stderr.write("you must provide one or more flags when using this command\n");
      return 1;
    }
    let config: UpdateConfig;
    try {
      config = updateConfig(flags);
    } catch (err) {
      if (err instanceof FlagError) return usageError(ctx, updateCommand, err);
      ctx.stderr.write(`${(err as Error).message}\n`);
      return 1;
    }
    const client = await ctx.client();
    const warnings: string[] = [];
    const errors: string[] = [];
    for (const name of args) {
      try {
        const r = await update(client, name, config);
        warnings.push(...(r.Warnings ?? []));
        ctx.stdout.write(`${name}\n`);
      } catch (err) {
        errors.push(errorLine(err));
      }
    }
    if (warnings.length > 0) ctx.stdout.write(`${warnings.join("\n")}\n`);
    if (errors.length > 0) ctx.stderr.write(`${errors.join("\n")}\n`);
    return errors.length > 0 ? 1 : 0;
  },
});
