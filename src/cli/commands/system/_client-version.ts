/**
 * What `version` and `info` say about the client, shaped as docker's clientVersion so that
 * `--format '{{.Client.APIVersion}}'` and `{{json .Client}}` read the same. (pure apart from
 * reading process.version/platform/arch)
 */

import { API_VERSION_CURRENT } from "../../../api/types/version.js";

/** berth's own version (main.ts prints the same for `berth --version`). */
export const BERTH_CLI_VERSION = "0.1.0";

/** docker/cli's clientVersion, JSON keys in its field order; empty optional fields are left out. */
export interface ClientVersion {
  Platform?: { Name: string };
  Version: string;
  ApiVersion?: string;
  DefaultAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  BuildTime: string;
  Context: string;
}

const GO_ARCH: Readonly<Record<string, string>> = {
  x64: "amd64",
  ia32: "386",
  ppc64: "ppc64le",
  mipsel: "mipsle",
};

/** Node's process.arch in Go's GOARCH spelling ("x64" → "amd64"). */
export function goArch(arch: string = process.arch): string {
  return GO_ARCH[arch] ?? arch;
}

/**
 * The client's facts. `apiVersion` is the negotiated one (left out when not known, as `docker info`
 * leaves it out); Node's version stands where docker prints Go's. Builds carry no commit or date yet.
 */
export function clientVersion(apiVersion?: string): ClientVersion {
  const v: ClientVersion = {
    Platform: { Name: "berth" },
    Version: BERTH_CLI_VERSION,
    DefaultAPIVersion: API_VERSION_CURRENT,
    GitCommit: "unknown",
    GoVersion: `node ${process.version}`,
    Os: process.platform,
    Arch: goArch(),
    BuildTime: "unknown",
    Context: "default",
  };
  if (apiVersion !== undefined) {
    const { Platform, Version, ...rest } = v;
    return withGoNames({ Platform, Version, ApiVersion: apiVersion, ...rest }, { APIVersion: "ApiVersion" });
  }
  return withGoNames(v, { APIVersion: "ApiVersion" });
}

/**
 * Adds Go field names that differ from the JSON keys (`APIVersion` for "ApiVersion") as
 * non-enumerable properties: templates find them, `{{json .}}` does not print them.
 */
export function withGoNames<T extends object>(o: T, names: Readonly<Record<string, string>>): T {
  for (const [goName, jsonKey] of Object.entries(names)) {
    if (Object.hasOwn(o, goName)) continue;
    Object.defineProperty(o, goName, {
      get: () => (o as Record<string, unknown>)[jsonKey] ?? "",
      enumerable: false,
    });
  }
  return o;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * docker's reformatDate: an RFC 3339 build time becomes Go's ANSIC layout in the zone it was written
 * in ("Mon Jan  2 15:04:05 2006"); anything else is returned unchanged.
 */
export function reformatDate(buildTime: string): string {
  const m = RFC3339.exec(buildTime);
  if (!m) return buildTime;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return buildTime;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[mo - 1]} ${String(d).padStart(2, " ")} ${pad(h)}:${pad(mi)}:${pad(s)} ${y}`;
}
