/**
 * Platforms as in the OCI image index (`os`/`architecture`/`variant`), normalised and ranked the way
 * containerd's `platforms` package does (Docker uses it to pick a manifest from an index):
 *
 *   normalizePlatform  x86_64 → amd64, aarch64 → arm64 (variant v8 → ""), armhf → arm/v7, arm → arm/v7
 *   platformRank       0 for an exact match, higher for compatible fallbacks, undefined if incompatible:
 *                      amd64/v3 accepts v2, v1 and 386; arm/v7 accepts v6, v5; arm64 accepts arm/v8…v5.
 */
import { invalidArgument } from "../lib/errors.js";

export interface Platform {
  architecture: string;
  os: string;
  "os.version"?: string;
  "os.features"?: string[];
  variant?: string;
  /** Reserved by the OCI spec. */
  features?: string[];
}

/** The part of a platform that selection looks at. */
export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

const KNOWN_OS = new Set([
  "aix",
  "android",
  "darwin",
  "dragonfly",
  "freebsd",
  "hurd",
  "illumos",
  "ios",
  "js",
  "linux",
  "nacl",
  "netbsd",
  "openbsd",
  "plan9",
  "solaris",
  "windows",
  "zos",
]);

const KNOWN_ARCH = new Set([
  "386",
  "amd64",
  "amd64p32",
  "arm",
  "armbe",
  "arm64",
  "arm64be",
  "loong64",
  "mips",
  "mipsle",
  "mips64",
  "mips64le",
  "mips64p32",
  "mips64p32le",
  "ppc",
  "ppc64",
  "ppc64le",
  "riscv",
  "riscv64",
  "s390",
  "s390x",
  "sparc",
  "sparc64",
  "wasm",
]);

function normalizeOs(os: string): string {
  const o = os.toLowerCase();
  return o === "macos" ? "darwin" : o;
}

function normalizeArch(arch: string, variant: string): [string, string] {
  const a = arch.toLowerCase();
  const v = variant.toLowerCase();
  switch (a) {
    case "i386":
      return ["386", ""];
    case "x86_64":
    case "x86-64":
    case "amd64":
      return ["amd64", v === "v1" ? "" : v];
    case "aarch64":
    case "arm64": {
      const [major = "", minor] = v.split(".", 2);
      const m = major.startsWith("v") ? major.slice(1) : major;
      const hasMinor = minor !== undefined && minor !== "0";
      if ((m === "" || m === "8") && !hasMinor) return ["arm64", ""];
      return ["arm64", `v${m}${hasMinor ? `.${minor}` : ""}`];
    }
    case "armhf":
      return ["arm", "v7"];
    case "armel":
      return ["arm", "v6"];
    case "arm":
      if (v === "" || v === "7") return ["arm", "v7"];
      if (v === "5" || v === "6" || v === "8") return ["arm", `v${v}`];
      return ["arm", v];
    default:
      return [a, v];
  }
}

/** Canonical spelling: lowercase, amd64 v1 and arm64 v8 without variant, arm always with one (v7 default). */
export function normalizePlatform(p: PlatformSpec): PlatformSpec {
  const [architecture, variant] = normalizeArch(p.architecture, p.variant ?? "");
  const out: PlatformSpec = { os: normalizeOs(p.os), architecture };
  if (variant !== "") out.variant = variant;
  return out;
}

/** "linux/arm64", "linux/arm/v7". */
export function formatPlatform(p: PlatformSpec): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

const COMPONENT_RE = /^[A-Za-z0-9_.-]+$/;

/**
 * Parses "os[/arch[/variant]]" (Docker's `--platform`, the API's `platform` query parameter) into a
 * normalised platform. A single component may be an OS or an architecture; the missing half comes
 * from `host`.
 */
export function parsePlatform(specifier: string, host: PlatformSpec): PlatformSpec {
  const parts = specifier.split("/");
  for (const part of parts) {
    if (!COMPONENT_RE.test(part)) {
      throw invalidArgument(
        `"${part}" is an invalid component of "${specifier}": platform specifier component must match "${COMPONENT_RE.source}"`,
      );
    }
  }
  const [first = "", second, third] = parts;
  if (parts.length === 1) {
    const os = normalizeOs(first);
    if (KNOWN_OS.has(os)) return normalizePlatform({ ...host, os });
    const arch = normalizePlatform({ os: host.os, architecture: first });
    if (KNOWN_ARCH.has(arch.architecture)) return arch;
    throw invalidArgument(`"${specifier}": unknown operating system or architecture`);
  }
  if (parts.length === 2) return normalizePlatform({ os: first, architecture: second ?? "" });
  if (parts.length === 3) return normalizePlatform({ os: first, architecture: second ?? "", variant: third });
  throw invalidArgument(`"${specifier}": cannot parse platform specifier`);
}

/**
 * The platforms `want` can run, best first (containerd's platformVector), all normalised.
 */
export function compatiblePlatforms(want: PlatformSpec): PlatformSpec[] {
  const p = normalizePlatform(want);
  const out: PlatformSpec[] = [p];
  const variantNumber = (v: string | undefined) => Number.parseInt((v ?? "").replace(/^v/, ""), 10);
  switch (p.architecture) {
    case "amd64": {
      const n = variantNumber(p.variant);
      for (let i = Number.isNaN(n) ? 1 : n - 1; i >= 1; i--) {
        out.push(normalizePlatform({ os: p.os, architecture: "amd64", variant: `v${i}` }));
      }
      out.push({ os: p.os, architecture: "386" });
      break;
    }
    case "arm": {
      const n = variantNumber(p.variant);
      for (let i = n - 1; i >= 5; i--) out.push({ os: p.os, architecture: "arm", variant: `v${i}` });
      break;
    }
    case "arm64": {
      // arm64 v8.x/v9.x: fall back to plain v8, then to 32-bit arm v8 and below.
      if (p.variant !== undefined) out.push({ os: p.os, architecture: "arm64" });
      for (let i = 8; i >= 5; i--) out.push({ os: p.os, architecture: "arm", variant: `v${i}` });
      break;
    }
  }
  // amd64 v1 normalises to "", which the loop above may add a second time.
  return out.filter((c, i) => out.findIndex((d) => formatPlatform(d) === formatPlatform(c)) === i);
}

/** 0 when `have` is exactly `want`, k when it is the k-th fallback, undefined when `want` cannot run it. */
export function platformRank(want: PlatformSpec, have: PlatformSpec): number | undefined {
  const h = formatPlatform(normalizePlatform(have));
  const i = compatiblePlatforms(want).findIndex((c) => formatPlatform(c) === h);
  return i === -1 ? undefined : i;
}
