/**
 * A service's config hash as Docker Compose computes it: sha256 of the service's JSON without what
 * does not shape the container (build, pull_policy, scale, deploy.replicas, depends_on, profiles).
 * berth keys the JSON in sorted order so the hash does not depend on how the file was written, and
 * keeps that canonical JSON in the `berth.compose.config` label so a later `up` can say which
 * settings changed, not only that the hash did. (pure)
 */
import { createHash } from "node:crypto";
import type { Service } from "../model.js";

/** The settings that shape a service's containers, with keys sorted at every level. */
export function canonicalService(service: Service): unknown {
  const { build: _b, pull_policy: _p, scale: _s, depends_on: _d, profiles: _pr, ...rest } = service;
  const copy: Record<string, unknown> = { ...rest };
  if (service.deploy) {
    const { replicas: _r, ...deploy } = service.deploy;
    if (Object.keys(deploy).length > 0) copy.deploy = deploy;
    else delete copy.deploy;
  }
  return sortKeys(copy);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

export function canonicalJson(service: Service): string {
  return JSON.stringify(canonicalService(service));
}

/** Hex sha256 of the canonical JSON (the value of com.docker.compose.config-hash). */
export function configHash(service: Service): string {
  return createHash("sha256").update(canonicalJson(service)).digest("hex");
}

/**
 * What differs between two canonical configs, one line per changed setting:
 * `environment.GREETING: "hello" -> "bonjour"`, `ports: added [...]`.
 */
export function diffConfig(before: unknown, after: unknown, at = ""): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (x: unknown): x is Record<string, unknown> =>
    !!x && typeof x === "object" && !Array.isArray(x);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffConfig(before[k], after[k], at === "" ? k : `${at}.${k}`));
  }
  const show = (x: unknown) => (x === undefined ? "(unset)" : short(JSON.stringify(x)));
  return [`${at || "(service)"}: ${show(before)} -> ${show(after)}`];
}

function short(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
