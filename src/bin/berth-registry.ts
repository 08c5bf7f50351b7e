/**
 * `berth registry serve|gc`: the registry server runs in the berth process itself, not in berthd.
 * bin/berth.ts imports this module only for `berth registry …`; it is bundled apart (dist/berth-registry.js)
 * so that other commands start as fast as before.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import {
  type CommandUsage,
  defineFlags,
  FlagError,
  parseFlags,
  renderHelp,
  usageErrorText,
} from "../cli/flags.js";
import { formatDuration } from "../cli/formatter/units.js";
import { errnoCode, errorMessage } from "../lib/errors.js";
import { collectGarbage, DEFAULT_GRACE_MS } from "../registry/server/gc.js";
import { parseListenAddress } from "../registry/server/listen-address.js";
import { startRegistryServer } from "../registry/server/server.js";
import { RegistryStorage } from "../registry/server/storage.js";

const DEFAULT_ROOT = "/var/lib/berth/registry";

const SERVE_FLAGS = defineFlags([
  {
    name: "addr",
    type: "string",
    default: "127.0.0.1:5000",
    description: "Address to listen on (HOST:PORT, :PORT for all interfaces; port 0 picks one)",
  },
  { name: "root", type: "string", default: DEFAULT_ROOT, description: "Storage directory" },
  {
    name: "htpasswd",
    type: "string",
    valueName: "file",
    description: "Require basic auth of users in this htpasswd file (bcrypt or {SHA} entries)",
  },
  {
    name: "realm",
    type: "string",
    default: "berth-registry",
    description: "Realm named in the basic auth challenge",
  },
  { name: "read-only", type: "bool", description: "Refuse pushes and deletes (403 DENIED)" },
  { name: "gc-interval", type: "duration", description: "Also collect garbage at this interval (0: never)" },
  {
    name: "gc-grace",
    type: "duration",
    default: DEFAULT_GRACE_MS,
    description: "Spare unreferenced blobs used more recently than this",
  },
  { name: "access-log", type: "bool", description: "Log one line per request on stderr" },
  {
    name: "tls-cert",
    type: "string",
    valueName: "file",
    description: "Serve HTTPS with this certificate (PEM)",
  },
  { name: "tls-key", type: "string", valueName: "file", description: "The certificate's private key (PEM)" },
  {
    name: "tls-client-ca",
    type: "string",
    valueName: "file",
    description: "Require client certificates signed by this CA (PEM)",
  },
]);

const GC_FLAGS = defineFlags([
  { name: "root", type: "string", default: DEFAULT_ROOT, description: "Storage directory" },
  {
    name: "grace",
    type: "duration",
    default: DEFAULT_GRACE_MS,
    description: "Spare unreferenced blobs used more recently than this",
  },
  { name: "dry-run", type: "bool", description: "Report what would be deleted, delete nothing" },
  {
    name: "delete-untagged",
    type: "bool",
    description: "Also delete manifests no tag reaches (directly, as an index entry or as a referrer)",
  },
]);

const SERVE: CommandUsage = {
  path: "berth registry serve",
  usage: "[OPTIONS]",
  description:
    "Serve an OCI distribution registry (pull, push, tags, catalog, referrers, deletes) over plain HTTP",
  flags: SERVE_FLAGS,
};

const GC: CommandUsage = {
  path: "berth registry gc",
  usage: "[OPTIONS]",
  description:
    "Delete blobs that no manifest of any repository references\n\nSafe beside a running server: blobs a push used within the grace period are kept.",
  flags: GC_FLAGS,
};

const GROUP_HELP = `Usage:  berth registry COMMAND

Run a container image registry of berth's own (OCI distribution spec)

Commands:
  serve       ${SERVE.description}
  gc          Delete blobs that no manifest references

Run 'berth registry COMMAND --help' for more information on a command.
`;

export async function registryMain(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    process.stdout.write(GROUP_HELP);
    return 0;
  }
  try {
    if (sub === "serve") return await serve(rest);
    if (sub === "gc") return await gc(rest);
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`${usageErrorText(err, sub === "gc" ? GC : SERVE)}\n`);
      return 125;
    }
    const hint = errnoCode(err) === "EADDRINUSE" ? " (is another registry running? pick another --addr)" : "";
    process.stderr.write(`berth registry ${sub}: ${errorMessage(err)}${hint}\n`);
    return 1;
  }
  process.stderr.write(`berth: 'registry ${sub}' is not a berth command.\n\n${GROUP_HELP}`);
  return 125;
}

async function serve(argv: string[]): Promise<number> {
  const { flags, args, help } = parseFlags({ flags: SERVE_FLAGS }, argv);
  if (help) {
    process.stdout.write(renderHelp(SERVE, process.stdout.columns || 80));
    return 0;
  }
  if (args.length > 0) throw new Error(`unexpected argument "${args[0]}"`);
  const { host, port } = parseListenAddress(flags.addr);
  const stderr = (line: string) => process.stderr.write(`${line}\n`);
  if (Boolean(flags["tls-cert"]) !== Boolean(flags["tls-key"]))
    throw new Error("--tls-cert and --tls-key go together");
  if (flags["tls-client-ca"] && !flags["tls-cert"])
    throw new Error("--tls-client-ca needs --tls-cert and --tls-key");
  const registry = await startRegistryServer({
    ...(flags["tls-cert"]
      ? {
          tls: {
            cert: await fs.readFile(flags["tls-cert"], "utf8"),
            key: await fs.readFile(flags["tls-key"], "utf8"),
            ...(flags["tls-client-ca"]
              ? { clientCa: await fs.readFile(flags["tls-client-ca"], "utf8") }
              : {}),
          },
        }
      : {}),
    root: flags.root,
    host,
    port,
    htpasswd: flags.htpasswd || undefined,
    realm: flags.realm,
    readOnly: flags["read-only"],
    accessLog: flags["access-log"] ? stderr : undefined,
    errorLog: stderr,
  });
  for (const w of registry.warnings) stderr(`warning: ${w}`);
  const auth = flags.htpasswd ? `, basic auth from ${flags.htpasswd}` : "";
  process.stdout.write(
    `berth registry: listening on ${registry.url} (storage ${path.resolve(flags.root)}${auth})\n`,
  );
  let timer: NodeJS.Timeout | undefined;
  if (flags["gc-interval"] > 0) {
    timer = setInterval(() => {
      collectGarbage(registry.storage, { graceMs: flags["gc-grace"], warn: stderr }).then(
        (r) => r.deleted.length > 0 && stderr(`gc: deleted ${r.deleted.length} blobs, ${r.freedBytes} bytes`),
        (err) => stderr(`gc: ${errorMessage(err)}`),
      );
    }, flags["gc-interval"]);
  }
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  if (timer) clearInterval(timer);
  await registry.close();
  process.stdout.write("berth registry: stopped\n");
  return 0;
}

async function gc(argv: string[]): Promise<number> {
  const { flags, args, help } = parseFlags({ flags: GC_FLAGS }, argv);
  if (help) {
    process.stdout.write(renderHelp(GC, process.stdout.columns || 80));
    return 0;
  }
  if (args.length > 0) throw new Error(`unexpected argument "${args[0]}"`);
  const storage = await RegistryStorage.open(flags.root);
  const dryRun = flags["dry-run"];
  const r = await collectGarbage(storage, {
    graceMs: flags.grace,
    dryRun,
    deleteUntagged: flags["delete-untagged"],
    warn: (line) => process.stderr.write(`warning: ${line}\n`),
  });
  const verb = dryRun ? "would delete" : "deleted";
  for (const m of r.manifestsDeleted) process.stdout.write(`${verb} manifest ${m}\n`);
  for (const d of r.deleted) process.stdout.write(`${verb} ${d}\n`);
  process.stdout.write(
    `${r.marked} blobs referenced; ${verb} ${r.manifestsDeleted.length} untagged manifests, ` +
      `${r.deleted.length} blobs (${r.freedBytes} bytes), ` +
      `${r.linksRemoved} repository links, ${r.uploadsRemoved} stale uploads; ` +
      `kept ${r.spared.length} unreferenced blobs used within ${formatDuration(flags.grace)}\n`,
  );
  return 0;
}
