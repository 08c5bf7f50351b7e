/**
 * `version` output: the {Client, Server} object that --format templates see, and the default text
 * in docker's layout (sections, then one aligned block per component). (pure)
 */

import type { ComponentVersion, SystemVersion } from "../../../api/types/system.js";
import { tabwrite } from "../../formatter/table.js";
import { type ClientVersion, reformatDate, withGoNames } from "./_client-version.js";

/** docker's types.Version as the CLI re-encodes it: empty optional fields left out. */
export interface ServerVersionView {
  Platform: { Name: string };
  Components: ComponentVersion[];
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  Experimental?: boolean;
  BuildTime?: string;
}

export interface VersionView {
  Client: ClientVersion;
  Server: ServerVersionView | null;
}

/**
 * The server part as docker's CLI shows it: the Engine component's BuildTime reformatted, and an
 * Engine component made from the top-level fields when the daemon sends none.
 */
export function serverVersionView(sv: SystemVersion): ServerVersionView {
  const components = (sv.Components ?? []).map((c) =>
    c.Name === "Engine" && c.Details && "BuildTime" in c.Details
      ? { ...c, Details: { ...c.Details, BuildTime: reformatDate(c.Details.BuildTime ?? "") } }
      : c,
  );
  if (!components.some((c) => c.Name === "Engine")) {
    components.push({
      Name: "Engine",
      Version: sv.Version,
      Details: {
        ApiVersion: sv.ApiVersion,
        MinAPIVersion: sv.MinAPIVersion,
        GitCommit: sv.GitCommit,
        GoVersion: sv.GoVersion,
        Os: sv.Os,
        Arch: sv.Arch,
        BuildTime: reformatDate(sv.BuildTime ?? ""),
        Experimental: String(sv.Experimental ?? false),
      },
    });
  }
  const view: ServerVersionView = {
    Platform: { Name: sv.Platform?.Name ?? "" },
    Components: components,
    Version: sv.Version,
    ApiVersion: sv.ApiVersion,
    MinAPIVersion: sv.MinAPIVersion,
    GitCommit: sv.GitCommit,
    GoVersion: sv.GoVersion,
    Os: sv.Os,
    Arch: sv.Arch,
  };
  if (sv.KernelVersion) view.KernelVersion = sv.KernelVersion;
  if (sv.Experimental) view.Experimental = true;
  if (sv.BuildTime) view.BuildTime = sv.BuildTime;
  return withGoNames(view, { APIVersion: "ApiVersion" });
}

function componentLines(c: ComponentVersion): string[] {
  const d = c.Details ?? {};
  const get = (k: string) => d[k] ?? "";
  if (c.Name === "Engine") {
    return [
      ` ${c.Name}:`,
      `  Version:\t${c.Version}`,
      `  API version:\t${get("ApiVersion")} (minimum version ${get("MinAPIVersion")})`,
      `  Go version:\t${get("GoVersion")}`,
      `  Git commit:\t${get("GitCommit")}`,
      `  Built:\t${get("BuildTime")}`,
      `  OS/Arch:\t${get("Os")}/${get("Arch")}`,
      `  Experimental:\t${get("Experimental")}`,
    ];
  }
  const keys = Object.keys(d).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [` ${c.Name}:`, `  Version:\t${c.Version}`, ...keys.map((k) => `  ${k}:\t${get(k)}`)];
}

/** The default `version` text: docker's template output through tabwriter(20, 1, 1, ' '). */
export function prettyVersion(v: VersionView): string {
  const c = v.Client;
  const downgraded =
    c.ApiVersion !== undefined && c.ApiVersion !== c.DefaultAPIVersion
      ? ` (downgraded from ${c.DefaultAPIVersion})`
      : "";
  const lines = [
    `Client:${c.Platform?.Name ? ` ${c.Platform.Name}` : ""}`,
    ` Version:\t${c.Version}`,
    ` API version:\t${c.ApiVersion ?? ""}${downgraded}`,
    ` Go version:\t${c.GoVersion}`,
    ` Git commit:\t${c.GitCommit}`,
    ` Built:\t${c.BuildTime}`,
    ` OS/Arch:\t${c.Os}/${c.Arch}`,
    ` Context:\t${c.Context}`,
  ];
  if (v.Server) {
    lines.push("", `Server:${v.Server.Platform.Name ? ` ${v.Server.Platform.Name}` : ""}`);
    for (const comp of v.Server.Components) lines.push(...componentLines(comp));
  }
  return tabwrite(`${lines.join("\n")}\n`, { minWidth: 20, tabWidth: 1, padding: 1, padChar: " " });
}
