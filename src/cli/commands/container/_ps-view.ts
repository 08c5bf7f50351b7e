/**
 * The rows of `ps` as docker's ContainerContext presents them to --format templates: ID, Image,
 * Command (quoted, cut to 20 columns with …), CreatedAt, RunningFor, Ports, State, Status, Size,
 * Labels, Label "key", Mounts, LocalVolumes, Networks, Names. (pure: `now` is a parameter)
 */
import type { ContainerSummary } from "../../../api/types/containers.js";
import { familiarString, parseReference, trimReference } from "../../../oci/reference.js";
import { displayWidth } from "../../formatter/table.js";
import { ago, humanSize } from "../../formatter/units.js";
import { goQuote } from "../../go-strconv.js";

export const PS_DEFAULT_TABLE =
  "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

export const PS_HEADERS: Readonly<Record<string, string>> = {
  ID: "CONTAINER ID",
  Names: "NAMES",
  Image: "IMAGE",
  Command: "COMMAND",
  CreatedAt: "CREATED AT",
  RunningFor: "CREATED",
  Ports: "PORTS",
  State: "STATE",
  Status: "STATUS",
  Size: "SIZE",
  Labels: "LABELS",
  Mounts: "MOUNTS",
  LocalVolumes: "LOCAL VOLUMES",
  Networks: "NETWORKS",
  Platform: "PLATFORM",
};

/** stringid.TruncateID: drop any "algo:" prefix, keep 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(":");
  return (colon >= 0 ? id.slice(colon + 1) : id).slice(0, 12);
}

/** docker's formatter.Ellipsis: cut to `max` terminal columns, the last one an ellipsis. */
export function ellipsis(s: string, max: number): string {
  if (max <= 0) return "";
  const chars = [...s];
  if (max === 1) return chars[0] ?? "";
  if (displayWidth(s) <= max) return s;
  let out = "";
  let width = 0;
  for (const ch of chars) {
    const w = displayWidth(ch);
    if (width + w > max - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

type Port = ContainerSummary["Ports"][number];

function joinHostPort(host: string, port: string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function comparePorts(a: Port, b: Port): number {
  if (a.PrivatePort !== b.PrivatePort) return a.PrivatePort - b.PrivatePort;
  if ((a.IP ?? "") !== (b.IP ?? "")) return (a.IP ?? "") < (b.IP ?? "") ? -1 : 1;
  if ((a.PublicPort ?? 0) !== (b.PublicPort ?? 0)) return (a.PublicPort ?? 0) - (b.PublicPort ?? 0);
  return a.Type < b.Type ? -1 : a.Type > b.Type ? 1 : 0;
}

function formGroup(key: string, first: number, last: number): string {
  const slash = key.lastIndexOf("/");
  const ip = slash >= 0 ? key.slice(0, slash) : "";
  const type = slash >= 0 ? key.slice(slash + 1) : key;
  let group = first === last ? String(first) : `${first}-${last}`;
  if (ip !== "") group = `${joinHostPort(ip, group)}->${group}`;
  return `${group}/${type}`;
}

/**
 * docker's DisplayablePorts: "0.0.0.0:8080->80/tcp, 443/tcp"; consecutive ports published to the
 * same port numbers collapse into ranges ("0.0.0.0:8000-8001->8000-8001/tcp").
 */
export function displayablePorts(ports: readonly Port[]): string {
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  for (const p of [...ports].sort(comparePorts)) {
    const current = p.PrivatePort;
    let key = p.Type;
    if (p.IP) {
      if (p.PublicPort !== current) {
        hostMappings.push(`${joinHostPort(p.IP, String(p.PublicPort ?? 0))}->${p.PrivatePort}/${p.Type}`);
        continue;
      }
      key = `${p.IP}/${p.Type}`;
    }
    const group = groups.get(key);
    if (!group) groups.set(key, { first: current, last: current });
    else if (current === group.last + 1) group.last = current;
    else {
      result.push(formGroup(key, group.first, group.last));
      groups.set(key, { first: current, last: current });
    }
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...hostMappings].join(", ");
}

function imageName(c: ContainerSummary, trunc: boolean): string {
  if (c.Image === "") return "<no image>";
  if (!trunc) return c.Image;
  const short = truncateId(c.ImageID);
  if (short === truncateId(c.Image)) return short;
  try {
    const ref = parseReference(c.Image);
    return familiarString(
      ref.tag !== undefined ? { ...trimReference(ref), tag: ref.tag } : trimReference(ref),
    );
  } catch {
    return c.Image;
  }
}

/** One `ps` row. Fields are own properties (for `json`); Label is a method, as in docker. */
export class ContainerRow {
  readonly ID: string;
  readonly Names: string;
  readonly Image: string;
  readonly Command: string;
  readonly CreatedAt: string;
  readonly RunningFor: string;
  readonly Ports: string;
  readonly State: string;
  readonly Status: string;
  readonly Size: string;
  readonly Labels: string;
  readonly Mounts: string;
  readonly LocalVolumes: string;
  readonly Networks: string;
  /** The image manifest's platform; the list endpoint does not report it (docker prints <nil>). */
  readonly Platform: null = null;
  readonly #labels: Readonly<Record<string, string>>;

  constructor(c: ContainerSummary, trunc: boolean, now: number) {
    const names = c.Names.map((n) => n.slice(1));
    const shown = trunc ? (names.find((n) => !n.includes("/")) ?? names.join(",")) : names.join(",");
    this.ID = trunc ? truncateId(c.Id) : c.Id;
    this.Names = shown;
    this.Image = imageName(c, trunc);
    this.Command = goQuote(trunc ? ellipsis(c.Command, 20) : c.Command);
    this.CreatedAt = new Date(c.Created * 1000)
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, " +0000 UTC");
    this.RunningFor = ago(c.Created * 1000, now);
    this.Ports = displayablePorts(c.Ports ?? []);
    this.State = c.State;
    this.Status = c.Status;
    const rw = humanSize(c.SizeRw ?? 0);
    this.Size = (c.SizeRootFs ?? 0) > 0 ? `${rw} (virtual ${humanSize(c.SizeRootFs ?? 0)})` : rw;
    this.#labels = c.Labels ?? {};
    this.Labels = Object.entries(this.#labels)
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(",");
    this.Mounts = (c.Mounts ?? [])
      .map((m) => (trunc ? ellipsis(m.Name || m.Source, 15) : m.Name || m.Source))
      .join(",");
    this.LocalVolumes = String((c.Mounts ?? []).filter((m) => m.Driver === "local").length);
    this.Networks = Object.keys(c.NetworkSettings?.Networks ?? {}).join(",");
  }

  Label(name: string): string {
    return this.#labels[name] ?? "";
  }
}
