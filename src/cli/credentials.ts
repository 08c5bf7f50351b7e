/**
 * Registry credentials kept as the docker CLI keeps them, in `$DOCKER_CONFIG/config.json`
 * (default ~/.docker/config.json), so berth and docker share logins:
 *
 *   { "auths": { "127.0.0.1:5000": { "auth": base64("user:password") },
 *                "https://index.docker.io/v1/": { … } },
 *     "credsStore": "pass",                        all registries through docker-credential-pass
 *     "credHelpers": { "reg.example": "secretservice" } }   one registry through its own helper
 *
 * With a helper, config.json only gets an empty `auths` entry and the secret goes to
 * `docker-credential-<name> store|get|erase` (JSON on stdin/stdout, the helpers' protocol).
 * Other keys of config.json are kept as they are.
 */
import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AuthConfig } from "../api/types/registry-auth.js";

export const DOCKER_HUB_KEY = "https://index.docker.io/v1/";

interface ConfigFile {
  auths?: Record<string, { auth?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

export function configDir(): string {
  return process.env.DOCKER_CONFIG || path.join(os.homedir(), ".docker");
}

/** The config.json key of a registry: Docker Hub's legacy URL, else host[:port]. */
export function registryKey(registry: string): string {
  const host = registry.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (host === "" || host === "docker.io" || host === "index.docker.io" || host === "registry-1.docker.io") {
    return DOCKER_HUB_KEY;
  }
  return host;
}

function hostOf(key: string): string {
  return key === DOCKER_HUB_KEY ? DOCKER_HUB_KEY : key.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
}

async function readConfig(): Promise<ConfigFile> {
  try {
    const doc = JSON.parse(await fs.readFile(path.join(configDir(), "config.json"), "utf8")) as unknown;
    return typeof doc === "object" && doc !== null ? (doc as ConfigFile) : {};
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return {};
    throw new Error(`reading ${path.join(configDir(), "config.json")}: ${(err as Error).message}`);
  }
}

async function writeConfig(doc: ConfigFile): Promise<void> {
  const dir = configDir();
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, "config.json");
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(doc, null, "\t")}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

function helperFor(doc: ConfigFile, key: string): string | undefined {
  return doc.credHelpers?.[hostOf(key)] ?? doc.credHelpers?.[key] ?? doc.credsStore;
}

function runHelper(helper: string, action: "get" | "store" | "erase", input: string): string {
  const r = spawnSync(`docker-credential-${helper}`, [action], { input, encoding: "utf8", timeout: 30_000 });
  if (r.error) throw new Error(`credential helper docker-credential-${helper}: ${r.error.message}`);
  if (r.status !== 0) {
    const msg = (r.stdout || r.stderr).trim();
    if (action === "get" && /credentials not found/i.test(msg)) return "";
    throw new Error(`credential helper docker-credential-${helper} ${action}: ${msg || `exit ${r.status}`}`);
  }
  return r.stdout;
}

/** Stored credentials for a registry, or undefined (anonymous). */
export async function credentialsFor(registry: string): Promise<AuthConfig | undefined> {
  const doc = await readConfig();
  const key = registryKey(registry);
  const helper = helperFor(doc, key);
  if (helper) {
    const out = runHelper(helper, "get", key);
    if (out.trim() === "") return undefined;
    const got = JSON.parse(out) as { Username?: string; Secret?: string };
    if (got.Username === "<token>") return { identitytoken: got.Secret, serveraddress: key };
    return { username: got.Username, password: got.Secret, serveraddress: key };
  }
  const entry = Object.entries(doc.auths ?? {}).find(([k]) => k === key || hostOf(k) === hostOf(key))?.[1];
  if (!entry) return undefined;
  if (entry.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: key };
  if (!entry.auth) return undefined;
  const plain = Buffer.from(entry.auth, "base64").toString("utf8");
  const colon = plain.indexOf(":");
  if (colon <= 0) return undefined;
  return { username: plain.slice(0, colon), password: plain.slice(colon + 1), serveraddress: key };
}

/** Every stored credential by registry key, as the docker CLI sends them with a build. */
export async function allCredentials(): Promise<Record<string, AuthConfig>> {
  const doc = await readConfig();
  const keys = new Set(Object.keys(doc.auths ?? {}));
  for (const k of Object.keys(doc.credHelpers ?? {})) keys.add(k);
  const out: Record<string, AuthConfig> = {};
  for (const key of keys) {
    const auth = await credentialsFor(key).catch(() => undefined);
    if (auth) out[key] = auth;
  }
  return out;
}

/** Saves credentials (after the daemon accepted them); returns the file or helper used. */
export async function storeCredentials(
  registry: string,
  username: string,
  password: string,
): Promise<string> {
  const doc = await readConfig();
  const key = registryKey(registry);
  const helper = helperFor(doc, key);
  doc.auths ??= {};
  if (helper) {
    runHelper(helper, "store", JSON.stringify({ ServerURL: key, Username: username, Secret: password }));
    doc.auths[key] = {};
    await writeConfig(doc);
    return `docker-credential-${helper}`;
  }
  doc.auths[key] = { auth: Buffer.from(`${username}:${password}`).toString("base64") };
  await writeConfig(doc);
  return path.join(configDir(), "config.json");
}

/** Forgets a registry's credentials; false when there were none. */
export async function eraseCredentials(registry: string): Promise<boolean> {
  const doc = await readConfig();
  const key = registryKey(registry);
  const helper = helperFor(doc, key);
  const keys = Object.keys(doc.auths ?? {}).filter((k) => k === key || hostOf(k) === hostOf(key));
  if (helper) runHelper(helper, "erase", key);
  if (keys.length === 0 && !helper) return false;
  for (const k of keys) delete doc.auths![k];
  await writeConfig(doc);
  return true;
}
