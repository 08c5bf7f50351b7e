import { ApiClient, DEFAULT_HOST } from "../api/client/client.js";
import { BerthError, errorMessage, isKind } from "../lib/errors.js";
import type { CliContext, Command } from "./command.js";
import { usageOf } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { FlagError, parseFlags, renderHelp, usageErrorText } from "./flags.js";

const VERSION = "0.1.0";

/** Global options come before the command, as with docker: `berth -H unix:///x.sock images`. */
function splitGlobals(argv: string[]): {
  host?: string;
  debug: boolean;
  rest: string[];
  version: boolean;
  help: boolean;
} {
  let host: string | undefined;
  let debug = false;
  let version = false;
  let help = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-H" || a === "--host") host = argv[++i];
    else if (a.startsWith("--host=")) host = a.slice(7);
    else if (a.startsWith("-H") && a.length > 2) host = a.slice(2);
    else if (a === "-D" || a === "--debug") debug = true;
    else if (a === "-v" || a === "--version") version = true;
    else if (a === "-h" || a === "--help") help = true;
    else break;
  }
  return { host, debug, version, help, rest: argv.slice(i) };
}

/** Finds the longest command path that prefixes the arguments ("image ls" before "image"). */
function findCommand(words: string[]): { cmd: Command; consumed: number } | undefined {
  let best: { cmd: Command; consumed: number } | undefined;
  for (const cmd of COMMANDS) {
    for (const spelling of [cmd.path, ...(cmd.aliases ?? [])]) {
      const parts = spelling.split(" ");
      if (parts.length <= words.length && parts.every((p, i) => words[i] === p)) {
        if (!best || parts.length > best.consumed) best = { cmd, consumed: parts.length };
      }
    }
  }
  return best;
}

function topHelp(): string {
  const lines = COMMANDS.filter((c) => !c.path.includes(" ")).map(
    (c) => `  ${c.path.padEnd(12)}${c.description.split("\n")[0]}`,
  );
  const groups = [...new Set(COMMANDS.filter((c) => c.path.includes(" ")).map((c) => c.path.split(" ")[0]))];
  return `Usage:  berth [OPTIONS] COMMAND

A container engine that speaks Docker's Engine API

Commands:
${lines.join("\n")}

Management Commands:
${[...groups, "registry"].map((g) => `  ${g}`).join("\n")}

Global Options:
  -H, --host string   Daemon socket to connect to (default $BERTH_HOST or ${DEFAULT_HOST})
  -D, --debug         Enable debug mode
  -v, --version       Print version information and quit

Run 'berth COMMAND --help' for more information on a command.
`;
}

export async function main(argv: string[]): Promise<number> {
  const g = splitGlobals(argv);
  if (g.version) {
    process.stdout.write(`berth version ${VERSION}\n`);
    return 0;
  }
  if (g.rest.length === 0 || (g.help && g.rest.length === 0)) {
    process.stdout.write(topHelp());
    return g.rest.length === 0 && !g.help ? 0 : 0;
  }
  const found = findCommand(g.rest);
  if (!found) {
    const group = COMMANDS.filter((c) => c.path.split(" ")[0] === g.rest[0]);
    if (group.length > 0) {
      process.stdout.write(
        `Usage:  berth ${g.rest[0]} COMMAND\n\nCommands:\n${group.map((c) => `  ${c.path.split(" ").slice(1).join(" ").padEnd(10)}${c.description}`).join("\n")}\n`,
      );
      return g.rest.length === 1 ? 0 : 125;
    }
    process.stderr.write(`berth: '${g.rest[0]}' is not a berth command.\nSee 'berth --help'\n`);
    return 125;
  }
  const { cmd, consumed } = found;
  const usage = usageOf(cmd);
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags({ flags: cmd.flags, interspersed: cmd.interspersed ?? true }, g.rest.slice(consumed));
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`${usageErrorText(err, usage)}\n`);
      return 125;
    }
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(renderHelp(usage, process.stdout.columns || 80));
    return 0;
  }
  const n = parsed.args.length;
  const { min = 0, max = Number.POSITIVE_INFINITY } = cmd.args ?? {};
  if (n < min || n > max) {
    const need =
      min === max
        ? `exactly ${min} argument${min === 1 ? "" : "s"}`
        : n < min
          ? `at least ${min} argument${min === 1 ? "" : "s"}`
          : `at most ${max} argument${max === 1 ? "" : "s"}`;
    process.stderr.write(
      `"berth ${cmd.path}" requires ${need}.\nSee 'berth ${cmd.path} --help'.\n\nUsage:  berth ${cmd.path} ${cmd.usage}\n\n${cmd.description.split("\n")[0]}\n`,
    );
    return 1;
  }

  const explicitHost = g.host ?? process.env.BERTH_HOST;
  const host = explicitHost ?? DEFAULT_HOST;
  let client: ApiClient | undefined;
  const ctx: CliContext = {
    async client() {
      if (client) return client;
      if (!explicitHost) {
        const { ensureDaemon } = await import("./daemon-autostart.js");
        const probe = new ApiClient({ host });
        try {
          await ensureDaemon(probe, host.slice("unix://".length));
        } finally {
          probe.close();
        }
      }
      client = new ApiClient({ host, headers: { "User-Agent": `berth-cli/${VERSION}` } });
      return client;
    },
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    columns: process.stdout.columns || 80,
  };
  try {
    return await cmd.run(ctx, parsed as never);
  } catch (err) {
    process.stderr.write(`${describeError(err, g.debug)}\n`);
    if (err instanceof FlagError) return 125;
    return isKind(err, "invalid-argument") && !(err instanceof BerthError && "status" in err) ? 125 : 1;
  } finally {
    client?.close();
  }
}

/** Daemon errors read as docker prints them: "Error response from daemon: …". */
function describeError(err: unknown, debug: boolean): string {
  const msg = errorMessage(err);
  const fromDaemon = err instanceof BerthError && "status" in err;
  const text = fromDaemon
    ? `Error response from daemon: ${msg}`
    : isKind(err, "unavailable")
      ? msg
      : `Error: ${msg}`;
  return debug && err instanceof Error && err.stack ? `${text}\n${err.stack}` : text;
}
