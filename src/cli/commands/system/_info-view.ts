/**
 * `info` output: the object --format templates see (the daemon's /info fields at the top level plus
 * ClientInfo, as docker's dockerInfo embeds system.Info) and the default text in docker's layout.
 * Labels and their order follow docker's, "Docker Root Dir" included: scripts grep for them. (pure)
 */

import type { SystemInfo } from "../../../api/types/system.js";
import { bytesSize } from "../../formatter/units.js";
import { type ClientVersion, clientVersion, withGoNames } from "./_client-version.js";

/** docker's clientInfo: Debug, the client version fields, plugins (berth has none) and warnings. */
export type ClientInfo = { Debug: boolean } & ClientVersion & {
    Plugins: unknown[];
    Warnings: string[] | null;
  };

export type InfoView = Partial<SystemInfo> & {
  ServerErrors?: string[];
  ClientInfo: ClientInfo;
  ClientErrors?: string[];
};

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function clientInfo(debug: boolean): ClientInfo {
  const info = { Debug: debug, ...clientVersion(), Plugins: [], Warnings: null };
  return withGoNames(info, { APIVersion: "ApiVersion" });
}

/** The template object; Go field names that differ from the JSON keys are added as hidden aliases. */
export function infoView(
  server: SystemInfo | undefined,
  client: ClientInfo,
  serverErrors: string[] = [],
): InfoView {
  const errors = serverErrors.length > 0 ? { ServerErrors: serverErrors } : {};
  // Re-encoded as docker's CLI does: Go maps (Runtimes) and RegistryConfig come out with sorted keys.
  const sorted: Partial<SystemInfo> = {};
  if (server?.Runtimes) sorted.Runtimes = sortKeys(server.Runtimes);
  if (server?.RegistryConfig) sorted.RegistryConfig = sortKeysDeep(server.RegistryConfig);
  const view: InfoView = { ...server, ...sorted, ...errors, ClientInfo: client };
  withGoNames(view, { HTTPProxy: "HttpProxy", HTTPSProxy: "HttpsProxy" });
  // docker embeds system.Info, so `{{.Info.ID}}` works as well as `{{.ID}}`.
  Object.defineProperty(view, "Info", { value: server ?? {}, enumerable: false });
  return view;
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.keys(o)
      .sort(byKey)
      .map((k) => [k, (o as Record<string, unknown>)[k]]),
  ) as T;
}

/** docker's CLI prints RegistryConfig with every object's keys sorted, whatever order the daemon sent. */
function sortKeysDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeysDeep) as T;
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort(byKey)
      .map((k) => [k, sortKeysDeep(o[k])]),
  ) as T;
}

/** system.DecodeSecurityOptions: "name=seccomp,profile=default" → {name, options}. */
function decodeSecurityOptions(opts: readonly string[]): { name: string; options: [string, string][] }[] {
  return opts.map((opt) => {
    if (!opt.includes("=")) return { name: opt, options: [] };
    const so = { name: "", options: [] as [string, string][] };
    for (const s of opt.split(",")) {
      const eq = s.indexOf("=");
      if (eq < 0) throw new Error(`invalid security option "${s}"`);
      const [k, v] = [s.slice(0, eq), s.slice(eq + 1)];
      if (k === "" || v === "") throw new Error("invalid empty security option");
      if (k === "name") so.name = v;
      else so.options.push([k, v]);
    }
    return so;
  });
}

/** Go's fmt.Println of a label and values. */
function ln(out: string[], ...parts: unknown[]): void {
  out.push(parts.map((p) => (p === undefined || p === null ? "" : String(p))).join(" "));
}

function lnNonEmpty(out: string[], label: string, value: string | undefined): void {
  if (value) out.push(`${label} ${value}`);
}

function swarmLines(out: string[], s: SystemInfo["Swarm"]): void {
  if (!s || s.LocalNodeState === "inactive" || s.LocalNodeState === "locked") return;
  ln(out, "  NodeID:", s.NodeID);
  if (s.Error) ln(out, "  Error:", s.Error);
  ln(out, "  Is Manager:", s.ControlAvailable);
  ln(out, "  Node Address:", s.NodeAddr);
}

function registryLines(out: string[], info: SystemInfo): void {
  const rc = info.RegistryConfig;
  if (!rc) return;
  const indexes = Object.keys(rc.IndexConfigs ?? {}).sort(byKey);
  const cidrs = rc.InsecureRegistryCIDRs ?? [];
  if (cidrs.length > 0 || indexes.length > 0) {
    ln(out, " Insecure Registries:");
    for (const k of indexes)
      if (rc.IndexConfigs[k] && !rc.IndexConfigs[k].Secure) ln(out, `  ${rc.IndexConfigs[k].Name}`);
    for (const c of cidrs) ln(out, `  ${c}`);
  }
  if ((rc.Mirrors ?? []).length > 0) {
    ln(out, " Registry Mirrors:");
    for (const m of rc.Mirrors) ln(out, `  ${m}`);
  }
}

/** The lines after "Server:"; errors (bad security options) are returned, not thrown. */
function serverLines(info: SystemInfo, clientDebug: boolean, errors: string[]): string[] {
  const out: string[] = [];
  ln(out, " Containers:", info.Containers);
  ln(out, "  Running:", info.ContainersRunning);
  ln(out, "  Paused:", info.ContainersPaused);
  ln(out, "  Stopped:", info.ContainersStopped);
  ln(out, " Images:", info.Images);
  lnNonEmpty(out, " Server Version:", info.ServerVersion);
  lnNonEmpty(out, " Storage Driver:", info.Driver);
  for (const [k, v] of info.DriverStatus ?? []) ln(out, `  ${k}: ${v}`);
  lnNonEmpty(out, " Logging Driver:", info.LoggingDriver);
  lnNonEmpty(out, " Cgroup Driver:", info.CgroupDriver);
  lnNonEmpty(out, " Cgroup Version:", info.CgroupVersion);
  const plugins = info.Plugins ?? { Volume: [], Network: [], Authorization: null, Log: [] };
  ln(out, " Plugins:");
  ln(out, "  Volume:", (plugins.Volume ?? []).join(" "));
  ln(out, "  Network:", (plugins.Network ?? []).join(" "));
  if ((plugins.Authorization ?? []).length > 0) ln(out, "  Authorization:", plugins.Authorization!.join(" "));
  ln(out, "  Log:", (plugins.Log ?? []).join(" "));
  if ((info.CDISpecDirs ?? []).length > 0) {
    ln(out, " CDI spec directories:");
    for (const d of info.CDISpecDirs) ln(out, `  ${d}`);
  }
  ln(out, " Swarm:", info.Swarm?.LocalNodeState ?? "");
  swarmLines(out, info.Swarm);
  const runtimes = Object.keys(info.Runtimes ?? {}).sort(byKey);
  if (runtimes.length > 0) {
    ln(out, " Runtimes:", runtimes.join(" "));
    ln(out, " Default Runtime:", info.DefaultRuntime);
  }
  if (info.OSType === "linux") {
    ln(out, " Init Binary:", info.InitBinary);
    ln(out, " containerd version:", info.ContainerdCommit?.ID);
    ln(out, " runc version:", info.RuncCommit?.ID);
    ln(out, " init version:", info.InitCommit?.ID);
    if ((info.SecurityOptions ?? []).length > 0) {
      try {
        const decoded = decodeSecurityOptions(info.SecurityOptions);
        ln(out, " Security Options:");
        for (const so of decoded) {
          ln(out, `  ${so.name}`);
          for (const [k, v] of so.options) if (k === "profile") ln(out, "   Profile:", v);
        }
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
  }
  if (info.OSType === "windows") ln(out, " Default Isolation:", info.Isolation);
  lnNonEmpty(out, " Kernel Version:", info.KernelVersion);
  lnNonEmpty(out, " Operating System:", info.OperatingSystem);
  lnNonEmpty(out, " OSType:", info.OSType);
  lnNonEmpty(out, " Architecture:", info.Architecture);
  ln(out, " CPUs:", info.NCPU);
  ln(out, " Total Memory:", bytesSize(info.MemTotal ?? 0));
  lnNonEmpty(out, " Name:", info.Name);
  lnNonEmpty(out, " ID:", info.ID);
  ln(out, " Docker Root Dir:", info.DockerRootDir);
  ln(out, " Debug Mode:", info.Debug);
  if (info.Debug || clientDebug) {
    ln(out, "  File Descriptors:", info.NFd);
    ln(out, "  Goroutines:", info.NGoroutines);
    ln(out, "  System Time:", info.SystemTime);
    ln(out, "  EventsListeners:", info.NEventsListener);
  }
  lnNonEmpty(out, " HTTP Proxy:", info.HttpProxy);
  lnNonEmpty(out, " HTTPS Proxy:", info.HttpsProxy);
  lnNonEmpty(out, " No Proxy:", info.NoProxy);
  if ((info.Labels ?? []).length > 0) {
    ln(out, " Labels:");
    for (const l of info.Labels) ln(out, `  ${l}`);
  }
  ln(out, " Experimental:", info.ExperimentalBuild);
  registryLines(out, info);
  ln(out, " Live Restore Enabled:", info.LiveRestoreEnabled);
  const license = (info as { ProductLicense?: string }).ProductLicense;
  if (license) ln(out, " Product License:", license);
  if ((info.DefaultAddressPools ?? []).length > 0) {
    ln(out, " Default Address Pools:");
    for (const p of info.DefaultAddressPools!) out.push(`   Base: ${p.Base}, Size: ${p.Size}`);
  }
  out.push("");
  return out;
}

export interface PrettyInfo {
  readonly stdout: string;
  /** The daemon's warnings and any "ERROR: " lines, for stderr. */
  readonly stderr: string;
  /** True when something could not be printed (docker then exits 1). */
  readonly failed: boolean;
}

/** The default `info` text: "Client:" section, then "Server:" and the daemon's facts when there are any. */
export function prettyInfo(view: InfoView, server: SystemInfo | undefined): PrettyInfo {
  const c = view.ClientInfo;
  const out: string[] = [c.Platform?.Name ? `Client: ${c.Platform.Name}` : "Client:"];
  lnNonEmpty(out, " Version:   ", c.Version);
  ln(out, " Context:   ", c.Context);
  ln(out, " Debug Mode:", c.Debug);
  out.push("", "Server:");
  const errors: string[] = [];
  let warnings: string[] = [];
  if (server) {
    out.push(...serverLines(server, c.Debug, errors));
    warnings = server.Warnings ?? [];
  }
  const stderr = [...warnings, ...errors.map((e) => `ERROR: ${e}`)].map((l) => `${l}\n`).join("");
  return { stdout: `${out.join("\n")}\n`, stderr, failed: errors.length > 0 };
}
