import type { PortBindingsMap } from "../../api/types/container-update.js";
import type { HostConfig } from "../../api/types/containers.js";
import { type PortBindings, requestsFromBindings } from "../../network/portmap/spec.js";

type Binding = { HostIp?: string; HostPort?: string };

/**
 * berth's live port update (pure): PortBindings with `add` appended and `remove` taken out. A
 * removal naming no host port removes every binding of its container port; keys are normalised to
 * "<port>/<proto>" (tcp by default). Throws invalid-argument for malformed bindings.
 */
export function editPortBindings(
  current: HostConfig["PortBindings"],
  add: PortBindingsMap = {},
  remove: PortBindingsMap = {},
): Record<string, Binding[]> {
  const key = (k: string) => (k.includes("/") ? k.toLowerCase() : `${k}/tcp`);
  const same = (a: Binding, b: Binding) =>
    (a.HostIp ?? "") === (b.HostIp ?? "") && (a.HostPort ?? "") === (b.HostPort ?? "");
  const out: Record<string, Binding[]> = {};
  for (const [k, v] of Object.entries((current ?? {}) as Record<string, Binding[] | null>))
    out[key(k)] = [...(v ?? [])];
  for (const [k, v] of Object.entries(remove)) {
    const list = out[key(k)];
    if (!list) continue;
    const drop = v ?? [];
    const kept = drop.some((b) => (b.HostPort ?? "") !== "")
      ? list.filter((b) => !drop.some((d) => same(b, { HostIp: d.HostIp ?? "", HostPort: d.HostPort ?? "" })))
      : [];
    if (kept.length) out[key(k)] = kept;
    else delete out[key(k)];
  }
  for (const [k, v] of Object.entries(add)) {
    const list = out[key(k)] ?? [];
    for (const b of v ?? [{ HostIp: "", HostPort: "" }]) {
      const norm = { HostIp: b.HostIp ?? "", HostPort: b.HostPort ?? "" };
      if (!list.some((x) => same(x, norm))) list.push(norm);
    }
    out[key(k)] = list;
  }
  requestsFromBindings(out as PortBindings);
  return out;
}
