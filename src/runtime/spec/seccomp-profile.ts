/**
 * Seccomp profiles in Docker's JSON format (`--security-opt seccomp=profile.json`) and their
 * compilation to the OCI `linux.seccomp` section. Docker's format extends the OCI one with
 * `archMap` (per-architecture sub-architectures), `name` (legacy single name), `comment`, and
 * conditional rules: `includes`/`excludes` on the container's capabilities, the host architecture
 * and the host kernel version. Compiling resolves those conditions for one container, as moby's
 * profiles/seccomp setupSeccomp does.
 */
import { invalidArgument } from "../../lib/errors.js";
import type {
  LinuxSeccomp,
  LinuxSeccompArg,
  LinuxSyscall,
  SeccompAction,
  SeccompOperator,
} from "./runtime-spec.js";

export interface SeccompFilter {
  /** All must be in (includes) / any in (excludes) the container's bounding set. */
  caps?: string[];
  /** libseccomp native names: "amd64", "x86", "x32", "arm64", "arm", "s390x", … */
  arches?: string[];
  /** "<kernel>.<major>", e.g. "4.8". */
  minKernel?: string;
}

export interface SeccompRule {
  names?: string[];
  /** Legacy single-name form; exclusive with `names`. */
  name?: string;
  action: SeccompAction;
  errnoRet?: number;
  args?: LinuxSeccompArg[];
  comment?: string;
  includes?: SeccompFilter;
  excludes?: SeccompFilter;
}

export interface SeccompArchMapEntry {
  architecture: string;
  subArchitectures: string[] | null;
}

export interface SeccompProfile {
  defaultAction: SeccompAction | "";
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: SeccompArchMapEntry[];
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: SeccompRule[];
}

export interface SeccompContext {
  /** The container's bounding capabilities ("CAP_SYS_ADMIN", …). */
  capabilities: readonly string[];
  /** Host architecture, Go or Node spelling: "amd64"/"x64", "arm64", "386"/"ia32", "arm", … */
  arch: string;
  /** Host kernel release (uname -r), e.g. "6.1.0-18-amd64"; absent → minKernel conditions hold. */
  kernelVersion?: string;
}

/** Go/Node architecture name → libseccomp native name (moby's goToNative, plus Node's names). */
const NATIVE_ARCH: Record<string, string> = {
  "386": "x86",
  ia32: "x86",
  amd64: "amd64",
  x64: "amd64",
  arm: "arm",
  arm64: "arm64",
  loong64: "loongarch64",
  mips64: "mips64",
  mips64le: "mipsel64",
  mipsle: "mipsel",
  ppc: "ppc",
  ppc64: "ppc64",
  ppc64le: "ppc64le",
  riscv64: "riscv64",
  s390: "s390",
  s390x: "s390x",
};

/** libseccomp native name → OCI architecture constant (moby's nativeToSeccomp). */
const SECCOMP_ARCH: Record<string, string> = {
  x86: "SCMP_ARCH_X86",
  amd64: "SCMP_ARCH_X86_64",
  arm: "SCMP_ARCH_ARM",
  arm64: "SCMP_ARCH_AARCH64",
  loongarch64: "SCMP_ARCH_LOONGARCH64",
  mips64: "SCMP_ARCH_MIPS64",
  mipsel64: "SCMP_ARCH_MIPSEL64",
  mipsel: "SCMP_ARCH_MIPSEL",
  ppc: "SCMP_ARCH_PPC",
  ppc64: "SCMP_ARCH_PPC64",
  ppc64le: "SCMP_ARCH_PPC64LE",
  riscv64: "SCMP_ARCH_RISCV64",
  s390: "SCMP_ARCH_S390",
  s390x: "SCMP_ARCH_S390X",
};

/** The libseccomp native name of a Go or Node architecture name (unknown names pass through). */
export function seccompNativeArch(arch: string): string {
  return NATIVE_ARCH[arch] ?? arch;
}

/**
 * Resolves a Docker-format profile for one container. Returns undefined for a profile with neither
 * a default action nor rules (Docker's "seccomp disabled"). Throws invalidArgument for a profile
 * that sets both `architectures` and `archMap`, or both `name` and `names` in a rule.
 */
export function compileSeccomp(profile: SeccompProfile, ctx: SeccompContext): LinuxSeccomp | undefined {
  const rules = profile.syscalls ?? [];
  if (profile.defaultAction === "" && rules.length === 0) return undefined;
  if (profile.defaultAction === "") throw invalidArgument("seccomp profile: defaultAction is required");
  if ((profile.architectures?.length ?? 0) > 0 && (profile.archMap?.length ?? 0) > 0) {
    throw invalidArgument(
      "both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'",
    );
  }
  const arch = seccompNativeArch(ctx.arch);
  const out: LinuxSeccomp = { defaultAction: profile.defaultAction };
  if (profile.defaultErrnoRet !== undefined) out.defaultErrnoRet = profile.defaultErrnoRet;
  const architectures = [...(profile.architectures ?? [])];
  const ociArch = SECCOMP_ARCH[arch];
  const entry = profile.archMap?.find((a) => a.architecture === ociArch);
  if (entry !== undefined) architectures.push(entry.architecture, ...(entry.subArchitectures ?? []));
  if (architectures.length > 0) out.architectures = architectures;
  if (profile.flags !== undefined && profile.flags.length > 0) out.flags = [...profile.flags];
  if (profile.listenerPath) out.listenerPath = profile.listenerPath;
  if (profile.listenerMetadata) out.listenerMetadata = profile.listenerMetadata;

  const syscalls: LinuxSyscall[] = [];
  for (const rule of rules) {
    if (rule.name !== undefined && rule.name !== "" && (rule.names?.length ?? 0) > 0) {
      throw invalidArgument(
        "both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'",
      );
    }
    if (!ruleApplies(rule, arch, ctx)) continue;
    const names = rule.name ? [rule.name] : [...(rule.names ?? [])];
    const call: LinuxSyscall = { names, action: rule.action };
    if (rule.errnoRet !== undefined) call.errnoRet = rule.errnoRet;
    if (rule.args !== undefined && rule.args.length > 0) call.args = rule.args.map((a) => ({ ...a }));
    syscalls.push(call);
  }
  if (syscalls.length > 0) out.syscalls = syscalls;
  return out;
}

function ruleApplies(rule: SeccompRule, arch: string, ctx: SeccompContext): boolean {
  const ex = rule.excludes;
  if (ex !== undefined) {
    if (ex.arches?.includes(arch)) return false;
    if (ex.caps?.some((c) => ctx.capabilities.includes(c))) return false;
    if (ex.minKernel && kernelAtLeast(ctx.kernelVersion, ex.minKernel)) return false;
  }
  const inc = rule.includes;
  if (inc !== undefined) {
    if (inc.arches !== undefined && inc.arches.length > 0 && !inc.arches.includes(arch)) return false;
    if (inc.caps?.some((c) => !ctx.capabilities.includes(c))) return false;
    if (inc.minKernel && !kernelAtLeast(ctx.kernelVersion, inc.minKernel)) return false;
  }
  return true;
}

function parseKernel(text: string, what: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(text);
  if (m === null) throw invalidArgument(`invalid kernel version ${JSON.stringify(text)} in ${what}`);
  return [Number(m[1]), Number(m[2])];
}

/** True when the host kernel is at least `min`; an unknown host kernel counts as new enough. */
function kernelAtLeast(host: string | undefined, min: string): boolean {
  if (host === undefined) return true;
  const [k, major] = parseKernel(host, "kernel release");
  const [mk, mmajor] = parseKernel(min, "seccomp profile minKernel");
  return k > mk || (k === mk && major >= mmajor);
}

const ACTIONS: readonly string[] = [
  "SCMP_ACT_KILL",
  "SCMP_ACT_KILL_PROCESS",
  "SCMP_ACT_KILL_THREAD",
  "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO",
  "SCMP_ACT_TRACE",
  "SCMP_ACT_ALLOW",
  "SCMP_ACT_LOG",
  "SCMP_ACT_NOTIFY",
];

const OPERATORS: readonly string[] = [
  "SCMP_CMP_NE",
  "SCMP_CMP_LT",
  "SCMP_CMP_LE",
  "SCMP_CMP_EQ",
  "SCMP_CMP_GE",
  "SCMP_CMP_GT",
  "SCMP_CMP_MASKED_EQ",
];

type Obj = Record<string, unknown>;

function fail(msg: string): never {
  throw invalidArgument(`Decoding seccomp profile failed: ${msg}`);
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(`${path} must be an object`);
  return v as Obj;
}

function optStr(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") fail(`${path} must be a string`);
  return v;
}

function optUint(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) fail(`${path} must be a non-negative integer`);
  return v;
}

function optStrings(v: unknown, path: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) fail(`${path} must be an array of strings`);
  return [...(v as string[])];
}

function action(v: unknown, path: string): SeccompAction {
  if (typeof v !== "string" || !ACTIONS.includes(v)) fail(`${path}: unknown action ${JSON.stringify(v)}`);
  return v as SeccompAction;
}

function filter(v: unknown, path: string): SeccompFilter | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v, path);
  const f: SeccompFilter = {};
  const caps = optStrings(o.caps, `${path}.caps`);
  if (caps !== undefined) f.caps = caps;
  const arches = optStrings(o.arches, `${path}.arches`);
  if (arches !== undefined) f.arches = arches;
  const minKernel = optStr(o.minKernel, `${path}.minKernel`);
  if (minKernel) {
    if (!/^\d+\.\d+$/.test(minKernel)) {
      fail(`invalid kernel version: ${JSON.stringify(minKernel)}, expected "<kernel>.<major>"`);
    }
    f.minKernel = minKernel;
  }
  return f;
}

function arg(v: unknown, path: string): LinuxSeccompArg {
  const o = obj(v, path);
  const index = optUint(o.index, `${path}.index`) ?? 0;
  const value = optUint(o.value, `${path}.value`) ?? 0;
  if (typeof o.op !== "string" || !OPERATORS.includes(o.op))
    fail(`${path}: unknown operator ${JSON.stringify(o.op)}`);
  const a: LinuxSeccompArg = { index, value, op: o.op as SeccompOperator };
  const valueTwo = optUint(o.valueTwo, `${path}.valueTwo`);
  if (valueTwo !== undefined && valueTwo !== 0) a.valueTwo = valueTwo;
  return a;
}

function rule(v: unknown, path: string): SeccompRule {
  const o = obj(v, path);
  const r: SeccompRule = { action: action(o.action, `${path}.action`) };
  const names = optStrings(o.names, `${path}.names`);
  if (names !== undefined) r.names = names;
  const name = optStr(o.name, `${path}.name`);
  if (name) r.name = name;
  const errnoRet = optUint(o.errnoRet, `${path}.errnoRet`);
  if (errnoRet !== undefined) r.errnoRet = errnoRet;
  if (o.args !== undefined && o.args !== null) {
    if (!Array.isArray(o.args)) fail(`${path}.args must be an array`);
    r.args = o.args.map((a, i) => arg(a, `${path}.args[${i}]`));
  }
  const comment = optStr(o.comment, `${path}.comment`);
  if (comment) r.comment = comment;
  const includes = filter(o.includes, `${path}.includes`);
  if (includes !== undefined) r.includes = includes;
  const excludes = filter(o.excludes, `${path}.excludes`);
  if (excludes !== undefined) r.excludes = excludes;
  return r;
}

/**
 * Validates a parsed Docker-format profile (JSON.parse output) and returns it typed. Errors are
 * invalidArgument("Decoding seccomp profile failed: …").
 */
export function parseSeccompProfile(value: unknown): SeccompProfile {
  const o = obj(value, "profile");
  const defaultAction =
    o.defaultAction === undefined || o.defaultAction === null || o.defaultAction === ""
      ? ""
      : action(o.defaultAction, "defaultAction");
  const p: SeccompProfile = { defaultAction };
  const defaultErrnoRet = optUint(o.defaultErrnoRet, "defaultErrnoRet");
  if (defaultErrnoRet !== undefined) p.defaultErrnoRet = defaultErrnoRet;
  const architectures = optStrings(o.architectures, "architectures");
  if (architectures !== undefined) p.architectures = architectures;
  if (o.archMap !== undefined && o.archMap !== null) {
    if (!Array.isArray(o.archMap)) fail("archMap must be an array");
    p.archMap = o.archMap.map((e, i) => {
      const a = obj(e, `archMap[${i}]`);
      const architecture = optStr(a.architecture, `archMap[${i}].architecture`);
      if (!architecture) fail(`archMap[${i}].architecture is required`);
      return {
        architecture,
        subArchitectures: optStrings(a.subArchitectures, `archMap[${i}].subArchitectures`) ?? null,
      };
    });
  }
  const flags = optStrings(o.flags, "flags");
  if (flags !== undefined) p.flags = flags;
  const listenerPath = optStr(o.listenerPath, "listenerPath");
  if (listenerPath) p.listenerPath = listenerPath;
  const listenerMetadata = optStr(o.listenerMetadata, "listenerMetadata");
  if (listenerMetadata) p.listenerMetadata = listenerMetadata;
  if (o.syscalls !== undefined && o.syscalls !== null) {
    if (!Array.isArray(o.syscalls)) fail("syscalls must be an array");
    p.syscalls = o.syscalls.map((r, i) => rule(r, `syscalls[${i}]`));
  }
  return p;
}
