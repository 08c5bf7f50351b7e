/** What the volume commands share: the ls row view, the map-flag reader, and error lines. */
import type { Volume } from "../../../api/types/volumes.js";
import { humanSize } from "../../formatter/units.js";

/** `key=value` flag values as a map (docker's opts.MapOpts); a bare key maps to "". */
export function keyValues(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf("=");
    out[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? "" : v.slice(eq + 1);
  }
  return out;
}

export const VOLUME_HEADERS: Readonly<Record<string, string>> = {
  Name: "VOLUME NAME",
  Driver: "DRIVER",
  Scope: "SCOPE",
  Mountpoint: "MOUNTPOINT",
  Labels: "LABELS",
  Links: "LINKS",
  Size: "SIZE",
  Group: "GROUP",
  Availability: "AVAILABILITY",
  Status: "STATUS",
};

/** One row of `volume ls` and of the df volume table, as docker's volumeContext shows it. */
export class VolumeRow {
  readonly Name: string;
  readonly Driver: string;
  readonly Scope: string;
  readonly Mountpoint: string;
  readonly Labels: string;
  readonly Links: string;
  readonly Size: string;
  readonly Group = "";
  readonly Availability = "N/A";
  readonly Status = "N/A";
  readonly #labels: Readonly<Record<string, string>>;

  constructor(v: Volume) {
    this.Name = v.Name;
    this.Driver = v.Driver;
    this.Scope = v.Scope;
    this.Mountpoint = v.Mountpoint;
    this.#labels = v.Labels ?? {};
    this.Labels = Object.entries(this.#labels)
      .map(([k, val]) => `${k}=${val}`)
      .join(",");
    this.Links = v.UsageData ? String(v.UsageData.RefCount) : "N/A";
    this.Size = v.UsageData && v.UsageData.Size >= 0 ? humanSize(v.UsageData.Size) : "N/A";
  }

  Label(name: string): string {
    return this.#labels[name] ?? "";
  }
}

/** Natural order of names, as docker sorts volumes (digits compared as numbers). */
export function naturalLess(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
