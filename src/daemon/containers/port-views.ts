import type { ContainerSummary, PortBinding } from "../../api/types/containers.js";
import type { ContainerRecord } from "./record.js";

/** The published ports of a running container's default-route endpoint (none when stopped). */
function mappings(c: ContainerRecord, running: boolean) {
  return running ? (c.endpoints?.[0]?.ports ?? []) : [];
}

const hostIpOf = (ip: string) => (ip === "" ? "0.0.0.0" : ip);

/** NetworkSettings.Ports: every exposed or bound port, with its host bindings (null: not published). */
export function inspectPorts(c: ContainerRecord, running: boolean): Record<string, PortBinding[] | null> {
  if (!running) return {};
  const out: Record<string, PortBinding[] | null> = {};
  const keys = [...Object.keys(c.config.ExposedPorts ?? {}), ...Object.keys(c.hostConfig.PortBindings ?? {})];
  for (const k of keys) out[k.includes("/") ? k : `${k}/tcp`] = null;
  for (const m of mappings(c, running)) {
    const key = `${m.containerPort}/${m.proto}`;
    out[key] = [...(out[key] ?? []), { HostIp: hostIpOf(m.hostIp), HostPort: String(m.hostPort) }];
  }
  return out;
}

/** ps's Ports: published ports with their host side, exposed ones without. */
export function summaryPorts(c: ContainerRecord, running: boolean): ContainerSummary["Ports"] {
  const out: ContainerSummary["Ports"] = [];
  const seen = new Set<string>();
  for (const m of mappings(c, running)) {
    seen.add(`${m.containerPort}/${m.proto}`);
    out.push({ IP: hostIpOf(m.hostIp), PrivatePort: m.containerPort, PublicPort: m.hostPort, Type: m.proto });
  }
  for (const k of Object.keys(c.config.ExposedPorts ?? {})) {
    const [port = "", proto = "tcp"] = k.split("/");
    if (!seen.has(`${port}/${proto}`) && /^\d+$/.test(port))
      out.push({ PrivatePort: Number(port), Type: proto });
  }
  return out;
}
