/**
 * Shared fixtures of the API server tests: a fake SystemBackend, routes that exercise the server
 * machinery (bodies, errors, streams, hijack), raw HTTP helpers, and a throwaway server on a temp socket.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { type Agent, type IncomingHttpHeaders, request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BerthError } from "../../lib/errors.js";
import { exactMatch, validateFilters } from "../types/filters.js";
import type { EventMessage, SystemInfo, SystemVersion } from "../types/system.js";
import { MULTIPLEXED_STREAM } from "./context.js";
import { beginJsonStream, sendJson, writeJsonLine } from "./respond.js";
import type { Route } from "./router.js";
import { type EventSource, type SystemBackend, systemRoutes } from "./routes/system.js";
import { type ApiServer, type ApiServerOptions, createApiServer } from "./server.js";

export const DOCKER = "/usr/local/bin/docker";

// ---- a fake backend ---------------------------------------------------------------------------

export class FakeEvents implements EventSource {
  readonly log: { nanos: bigint; event: EventMessage }[] = [];
  readonly listeners = new Set<(e: EventMessage) => void>();
  #t = 1_700_000_000n * 1_000_000_000n;

  publish(type: EventMessage["Type"], action: string, id: string): void {
    this.#t += 1_000_000_000n;
    const event: EventMessage = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: { name: id } },
      scope: "local",
      time: Number(this.#t / 1_000_000_000n),
      timeNano: Number(this.#t),
    };
    this.log.push({ nanos: this.#t, event });
    for (const l of this.listeners) l(event);
  }

  subscribe(
    options: { since?: bigint; until?: bigint; filters: Readonly<Record<string, readonly string[]>> },
    onEvent: (e: EventMessage) => void,
  ) {
    validateFilters(options.filters, ["type", "event"]);
    const pass = (e: EventMessage) =>
      exactMatch(options.filters, "type", e.Type) && exactMatch(options.filters, "event", e.Action);
    const replay = options.since !== undefined || options.until !== undefined;
    const history = replay
      ? this.log
          .filter(
            (x) =>
              x.nanos >= (options.since ?? 0n) && (options.until === undefined || x.nanos <= options.until),
          )
          .map((x) => x.event)
          .filter(pass)
      : [];
    const listener = (e: EventMessage) => {
      if (pass(e)) onEvent(e);
    };
    this.listeners.add(listener);
    return { history, close: () => this.listeners.delete(listener) };
  }
}

export const fakeVersion: SystemVersion = {
  Platform: { Name: "berth" },
  Components: [
    {
      Name: "Engine",
      Version: "9.8.7-test",
      Details: {
        ApiVersion: "1.50",
        Arch: "amd64",
        BuildTime: "2024-01-01T00:00:00.000000000+00:00",
        Experimental: "false",
        GitCommit: "feedbee",
        GoVersion: `node ${process.version}`,
        KernelVersion: "6.1.0",
        MinAPIVersion: "1.24",
        Os: "linux",
      },
    },
  ],
  Version: "9.8.7-test",
  ApiVersion: "1.50",
  MinAPIVersion: "1.24",
  GitCommit: "feedbee",
  GoVersion: `node ${process.version}`,
  Os: "linux",
  Arch: "amd64",
  KernelVersion: "6.1.0",
  BuildTime: "2024-01-01T00:00:00.000000000+00:00",
};

export function fakeInfo(): SystemInfo {
  return {
    ID: "TEST-DAEMON-ID",
    Containers: 3,
    ContainersRunning: 1,
    ContainersPaused: 0,
    ContainersStopped: 2,
    Images: 4,
    Driver: "overlayfs",
    DriverStatus: [],
    Plugins: {
      Volume: ["local"],
      Network: ["bridge", "host", "null"],
      Authorization: null,
      Log: ["json-file"],
    },
    MemoryLimit: true,
    SwapLimit: true,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    IPv4Forwarding: true,
    Debug: false,
    NFd: 0,
    OomKillDisable: false,
    NGoroutines: 0,
    SystemTime: "2024-01-01T00:00:00.000000000Z",
    LoggingDriver: "json-file",
    CgroupDriver: "cgroupfs",
    CgroupVersion: "1",
    NEventsListener: 0,
    KernelVersion: "6.1.0",
    OperatingSystem: "Test OS",
    OSVersion: "1",
    OSType: "linux",
    Architecture: "x86_64",
    IndexServerAddress: "https://index.docker.io/v1/",
    RegistryConfig: {
      InsecureRegistryCIDRs: ["127.0.0.0/8"],
      IndexConfigs: { "docker.io": { Name: "docker.io", Mirrors: [], Secure: true, Official: true } },
      Mirrors: [],
    },
    NCPU: 2,
    MemTotal: 2 * 1024 ** 3,
    GenericResources: null,
    DockerRootDir: "/var/lib/berth-test",
    HttpProxy: "",
    HttpsProxy: "",
    NoProxy: "",
    Name: "test-host",
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: "9.8.7-test",
    Runtimes: { runc: { path: "runc" } },
    DefaultRuntime: "runc",
    Swarm: {
      NodeID: "",
      NodeAddr: "",
      LocalNodeState: "inactive",
      ControlAvailable: false,
      Error: "",
      RemoteManagers: null,
    },
    LiveRestoreEnabled: true,
    Isolation: "",
    InitBinary: "catatonit",
    ContainerdCommit: { ID: "" },
    RuncCommit: { ID: "" },
    InitCommit: { ID: "" },
    SecurityOptions: [],
    CDISpecDirs: [],
    Warnings: null,
  };
}

// ---- test routes that exercise the server machinery --------------------------------------------

export const testRoutes: Route[] = [
  {
    method: "POST",
    path: "/echo",
    handler: async (ctx) => sendJson(ctx.res, 200, { got: await ctx.json(), version: ctx.apiVersion }),
  },
  {
    method: "GET",
    path: "/images/{name}/json",
    handler: async (ctx) => sendJson(ctx.res, 200, { name: ctx.params.name }),
  },
  {
    method: "GET",
    path: "/boom",
    handler: async () => {
      throw new Error("kaboom");
    },
  },
  {
    method: "GET",
    path: "/missing",
    handler: async () => {
      throw new BerthError("not-found", "No such thing: x");
    },
  },
  {
    method: "GET",
    path: "/stream-fail",
    handler: async ({ res }) => {
      beginJsonStream(res);
      writeJsonLine(res, { status: "working" });
      await new Promise((r) => setTimeout(r, 10));
      throw new BerthError("internal", "layer broke");
    },
  },
  {
    method: "GET",
    path: "/silent",
    handler: async () => {},
  },
  {
    // attach: echoes stdin back, prefixed, until the client half-closes
    method: "POST",
    path: "/containers/{id}/attach",
    handler: async (ctx) => {
      const conn = await ctx.hijack(MULTIPLEXED_STREAM);
      conn.write(`hello ${ctx.params.id}\n`);
      conn.on("data", (b: Buffer) => conn.write(`echo:${b.toString()}`));
      conn.on("end", () => conn.end());
    },
  },
  {
    // exec start: a JSON body on an upgrade request, then the raw stream
    method: "POST",
    path: "/exec/{id}/start",
    handler: async (ctx) => {
      const body = await ctx.json<{ Detach: boolean; Tty: boolean }>();
      const conn = await ctx.hijack();
      conn.write(`body:${JSON.stringify(body)}\n`);
      conn.on("data", (b: Buffer) => conn.write(`stdin:${b.toString()}`));
      conn.on("end", () => conn.end());
    },
  },
  {
    method: "GET",
    path: "/wait",
    handler: async (ctx) => {
      beginJsonStream(ctx.res);
      await new Promise<void>((resolve) => ctx.signal?.addEventListener("abort", () => resolve()));
      ctx.res.end();
    },
  },
];

// ---- helpers ------------------------------------------------------------------------------------

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function httpCall(
  sock: string,
  method: string,
  path: string,
  body?: string,
  agent?: Agent,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: sock, method, path, agent: agent ?? false }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        data += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body !== undefined) req.setHeader("Content-Type", "application/json");
    req.end(body);
  });
}

/** Opens a raw connection to the socket. */
export function rawConnect(sock: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(sock);
    s.once("connect", () => resolve(s));
    s.once("error", reject);
  });
}

/** Collects what the server sends until `done(text)` holds (rejects if the connection ends first). */
export function readUntil(s: Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (b: Buffer) => {
      text += b.toString("latin1");
      if (done(text)) {
        s.off("data", onData);
        s.off("end", onEnd);
        resolve(text);
      }
    };
    const onEnd = () => {
      s.off("data", onData);
      if (done(text)) resolve(text);
      else reject(new Error(`connection ended early; got: ${JSON.stringify(text)}`));
    };
    s.on("data", onData);
    s.once("end", onEnd);
    s.once("error", reject);
  });
}

export interface TestServer {
  readonly dir: string;
  readonly sock: string;
  readonly server: ApiServer;
  readonly events: FakeEvents;
  stop(): Promise<void>;
}

/** A started server with the system routes (fake backend) and the test routes, in a fresh temp dir. */
export async function startTestServer(options: Partial<ApiServerOptions> = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), "berth-api-"));
  const sock = join(dir, "berth.sock");
  const events = new FakeEvents();
  const backend: SystemBackend = { version: () => fakeVersion, info: async () => fakeInfo(), events };
  const server = createApiServer({
    socketPath: sock,
    routes: [...systemRoutes(backend), ...testRoutes],
    version: { current: "1.50", min: "1.24" },
    serverVersion: "9.8.7-test",
    closeGraceMs: 200,
    ...options,
  });
  await server.start();
  return {
    dir,
    sock,
    server,
    events,
    async stop() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
