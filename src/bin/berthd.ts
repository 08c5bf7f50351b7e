/**
 * berthd: the daemon. Flags win over the JSON config file (daemon.json's keys), which wins over
 * the defaults. SIGTERM/SIGINT shut down cleanly; containers (later) outlive the daemon.
 */
import { promises as fs } from "node:fs";
import { authRoutes } from "../api/server/routes/auth.js";
import { buildRoutes } from "../api/server/routes/build.js";
import { containerFsRoutes } from "../api/server/routes/container-fs.js";
import { containerIoRoutes } from "../api/server/routes/container-io.js";
import { containerStatsRoutes } from "../api/server/routes/container-stats.js";
import { containerRoutes } from "../api/server/routes/containers.js";
import { imageRoutes } from "../api/server/routes/images.js";
import { networkRoutes } from "../api/server/routes/networks.js";
import { systemRoutes } from "../api/server/routes/system.js";
import { systemDfRoutes } from "../api/server/routes/system-df.js";
import { volumeRoutes } from "../api/server/routes/volumes.js";
import { createApiServer } from "../api/server/server.js";
import { defineFlags, parseFlags, renderHelp } from "../cli/flags.js";
import { type DaemonConfig, DEFAULT_CONFIG_FILE, resolveConfig, socketFromHost } from "../daemon/config.js";
import { API_VERSIONS, BERTH_VERSION, openEngine } from "../daemon/daemon.js";
import { errnoCode, errorMessage } from "../lib/errors.js";
import { log, setLogLevel } from "../lib/log.js";

const FLAGS = defineFlags([
  { name: "data-root", type: "string", description: "Root directory of persistent state", default: "" },
  { name: "exec-root", type: "string", description: "Root directory for runtime state", default: "" },
  {
    name: "host",
    short: "H",
    type: "string",
    description: "Socket to listen on (unix:///path)",
    default: "",
  },
  {
    name: "config-file",
    type: "string",
    description: "Daemon configuration file (empty: none)",
    default: DEFAULT_CONFIG_FILE,
  },
  { name: "log-level", short: "l", type: "string", description: "debug, info, warn or error", default: "" },
]);

async function main(): Promise<number> {
  const { flags, help, changed } = parseFlags({ flags: FLAGS }, process.argv.slice(2));
  if (help) {
    process.stdout.write(
      renderHelp({
        path: "berthd",
        usage: "[OPTIONS]",
        description: "The berth container engine daemon",
        flags: FLAGS,
      }),
    );
    return 0;
  }
  let file: Record<string, unknown> | undefined;
  const configFile = flags["config-file"];
  if (configFile !== "") {
    try {
      file = JSON.parse(await fs.readFile(configFile, "utf8")) as Record<string, unknown>;
    } catch (err) {
      // The default file is optional; one named on the command line must exist.
      if (!(errnoCode(err) === "ENOENT" && !changed.has("config-file"))) {
        throw new Error(`reading ${configFile}: ${errorMessage(err)}`);
      }
    }
  }
  const fromFlags: Partial<DaemonConfig> = {};
  if (flags["data-root"]) fromFlags.dataRoot = flags["data-root"];
  if (flags["exec-root"]) fromFlags.execRoot = flags["exec-root"];
  if (flags.host) fromFlags.socket = socketFromHost(flags.host);
  if (flags["log-level"]) fromFlags.logLevel = flags["log-level"] as DaemonConfig["logLevel"];
  const config = resolveConfig(file, fromFlags, configFile);
  setLogLevel(config.logLevel);

  const engine = await openEngine(config);
  const server = createApiServer({
    routes: [
      ...systemRoutes(engine.system),
      ...imageRoutes(engine.images),
      ...authRoutes(engine.images),
      ...containerRoutes(engine.containers),
      ...containerIoRoutes(engine.containers),
      ...containerFsRoutes(engine.containers),
      ...containerStatsRoutes(engine.containers),
      ...volumeRoutes(engine.volumes),
      ...networkRoutes(engine.networks),
      ...systemDfRoutes(engine.df),
      ...buildRoutes(engine.builds),
    ],
    version: API_VERSIONS,
    socketPath: config.socket,
    serverVersion: BERTH_VERSION,
  });
  try {
    await server.start();
  } catch (err) {
    await engine.close();
    throw err;
  }
  log.info("berthd listening", { socket: config.socket });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    await server.close();
    await engine.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    process.stderr.write(`berthd: ${errorMessage(err)}\n`);
    process.exit(1);
  },
);
