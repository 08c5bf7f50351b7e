/**
 * Build arguments and the per-stage variable scope, with BuildKit's rules:
 *
 * - Global scope: the automatic platform args (BUILDPLATFORM, TARGETPLATFORM, TARGETOS, ...,
 *   TARGETSTAGE) plus the ARGs before the first FROM, overridden by --build-arg values. Global
 *   values are visible in FROM lines only.
 * - Stage scope: starts from the base image's Env (PATH defaulted) or the parent stage's scope.
 *   `ARG NAME` brings in the --build-arg value, else its default (expanded in the stage), else the
 *   global value of the same name. ENV sets persisted variables. Later definitions win.
 * - Proxy args (HTTP_PROXY, https_proxy, NO_PROXY, ...) need no ARG: given as --build-arg they reach
 *   RUN's environment but are neither expanded in instructions nor kept in the image or its cache key.
 *
 *   const globals = resolveGlobalArgs(metaArgs, { buildArgs, buildPlatform });
 *   const scope = new StageScope({ globalArgs: globals, buildArgs });
 *   scope.applyArg(argInstruction); scope.applyEnv(envInstruction);
 *   scope.expandWord("$GOPATH/bin");
 */
import { locate } from "./errors.js";
import type { ArgDefinition, ArgInstruction, EnvInstruction, KeyValue } from "./instruction-types.js";
import type { ShellExpansion } from "./shell-words.js";
import { shellExpand } from "./shell-words.js";

/** A platform as the automatic platform args describe it. */
export interface ArgPlatform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface BuildArgOptions {
  /** --build-arg values. */
  buildArgs?: Readonly<Record<string, string>>;
  /** The platform the build runs on. */
  buildPlatform: ArgPlatform;
  /** The platform the image is for; the build platform by default. */
  targetPlatform?: ArgPlatform;
  /** TARGETSTAGE: the target stage name ("default" when empty). */
  targetStage?: string;
  escapeToken?: string;
  /** Names the Dockerfile in errors. */
  file?: string;
}

/** The predefined proxy args: usable as --build-arg without an ARG instruction. */
export const PROXY_ARGS: readonly string[] = [
  "HTTP_PROXY",
  "http_proxy",
  "HTTPS_PROXY",
  "https_proxy",
  "FTP_PROXY",
  "ftp_proxy",
  "NO_PROXY",
  "no_proxy",
  "ALL_PROXY",
  "all_proxy",
];

/** The automatic platform args. */
export const PLATFORM_ARGS: readonly string[] = [
  "BUILDPLATFORM",
  "BUILDOS",
  "BUILDOSVERSION",
  "BUILDARCH",
  "BUILDVARIANT",
  "TARGETPLATFORM",
  "TARGETOS",
  "TARGETOSVERSION",
  "TARGETARCH",
  "TARGETVARIANT",
  "TARGETSTAGE",
];

/** Default PATH of a Linux stage whose image does not set one (BuildKit's system.DefaultPathEnv). */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Args that are never put into the environment. */
const NON_ENV_ARGS = new Set(["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"]);

function formatPlatform(p: ArgPlatform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** The automatic platform args; --build-arg values override them. */
export function platformArgs(options: BuildArgOptions): Map<string, string> {
  const bp = options.buildPlatform;
  const tp = options.targetPlatform ?? bp;
  const values: [string, string][] = [
    ["BUILDPLATFORM", formatPlatform(bp)],
    ["BUILDOS", bp.os],
    ["BUILDOSVERSION", ""],
    ["BUILDARCH", bp.architecture],
    ["BUILDVARIANT", bp.variant ?? ""],
    ["TARGETPLATFORM", formatPlatform(tp)],
    ["TARGETOS", tp.os],
    ["TARGETOSVERSION", ""],
    ["TARGETARCH", tp.architecture],
    ["TARGETVARIANT", tp.variant ?? ""],
    ["TARGETSTAGE", options.targetStage || "default"],
  ];
  const overrides = options.buildArgs ?? {};
  return new Map(values.map(([k, v]) => [k, Object.hasOwn(overrides, k) ? overrides[k]! : v]));
}

/** The proxy variables among the build args (keys matched case-insensitively, sorted). */
export function proxyEnv(buildArgs: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const lower = new Set(PROXY_ARGS.map((p) => p.toLowerCase()));
  for (const key of Object.keys(buildArgs).sort()) {
    if (lower.has(key.toLowerCase())) out[key] = buildArgs[key]!;
  }
  return out;
}

/**
 * The global scope: platform args, then the ARGs before the first FROM in order (a --build-arg
 * wins over the default, a default is expanded against the globals so far).
 */
export function resolveGlobalArgs(
  metaArgs: readonly ArgInstruction[],
  options: BuildArgOptions,
): Map<string, string> {
  const args = platformArgs(options);
  const buildArgs = options.buildArgs ?? {};
  for (const cmd of metaArgs) {
    for (const def of cmd.args) {
      if (Object.hasOwn(buildArgs, def.key)) args.set(def.key, buildArgs[def.key]!);
      else if (def.value !== undefined) {
        try {
          args.set(def.key, shellExpand(def.value, args, { escapeToken: options.escapeToken }).result);
        } catch (err) {
          throw locate(err, options.file ?? "Dockerfile", cmd.range);
        }
      }
    }
  }
  return args;
}

export interface StageScopeOptions {
  /** The global scope (resolveGlobalArgs). */
  globalArgs: ReadonlyMap<string, string>;
  buildArgs?: Readonly<Record<string, string>>;
  /** The base image's config Env ("KEY=VALUE"); ignored when `parent` is given. */
  imageEnv?: readonly string[];
  /** The scope of the stage this stage is built FROM. */
  parent?: StageScope;
  /** The stage's OS: PATH is defaulted except on Windows. */
  os?: string;
  escapeToken?: string;
  file?: string;
}

/** The variables of one stage while its instructions are processed in order. */
export class StageScope {
  #env: Map<string, string>;
  #config: Map<string, string>;
  #declaredArgs: Map<string, ArgDefinition>;
  #globals: ReadonlyMap<string, string>;
  #buildArgs: Readonly<Record<string, string>>;
  #escape: string | undefined;
  #file: string;

  constructor(options: StageScopeOptions) {
    this.#globals = options.globalArgs;
    this.#buildArgs = options.buildArgs ?? {};
    this.#escape = options.escapeToken;
    this.#file = options.file ?? "Dockerfile";
    if (options.parent) {
      const p = options.parent;
      this.#env = new Map(p.#env);
      this.#config = new Map(p.#config);
      this.#declaredArgs = new Map(p.#declaredArgs);
      return;
    }
    this.#env = new Map();
    this.#config = new Map();
    this.#declaredArgs = new Map();
    for (const kv of options.imageEnv ?? []) {
      const eq = kv.indexOf("=");
      const key = eq < 0 ? kv : kv.slice(0, eq);
      this.#env.set(key, eq < 0 ? "" : kv.slice(eq + 1));
      this.#config.set(key, eq < 0 ? "" : kv.slice(eq + 1));
    }
    if (!this.#env.has("PATH") && options.os !== "windows") {
      this.#env.set("PATH", DEFAULT_PATH);
      this.#config.set("PATH", DEFAULT_PATH);
    }
  }

  /** Expands a word against the current variables (ProcessWord / ProcessWords). */
  expand(word: string): ShellExpansion {
    return shellExpand(word, this.#env, { escapeToken: this.#escape });
  }

  expandWord(word: string): string {
    return this.expand(word).result;
  }

  /** A heredoc body with an unquoted delimiter: variables expanded, quotes kept as written. */
  expandHeredoc(body: string): string {
    return shellExpand(body, this.#env, { escapeToken: this.#escape, skipProcessQuotes: true }).result;
  }

  expandWords(word: string): string[] {
    return this.expand(word).words;
  }

  get(name: string): string | undefined {
    return this.#env.get(name);
  }

  /** Applies `ARG` (BuildKit's dispatchArg); returns the resulting values (undefined = unset). */
  applyArg(cmd: ArgInstruction): { key: string; value?: string }[] {
    const out: { key: string; value?: string }[] = [];
    for (const def of cmd.args) {
      let value: string | undefined;
      if (Object.hasOwn(this.#buildArgs, def.key)) value = this.#buildArgs[def.key];
      else if (def.value !== undefined) {
        try {
          value = this.expandWord(def.value);
        } catch (err) {
          throw locate(err, this.#file, cmd.range);
        }
      } else value = this.#globals.get(def.key);
      if (value !== undefined && !NON_ENV_ARGS.has(def.key)) this.#env.set(def.key, value);
      this.#declaredArgs.set(def.key, def);
      out.push(value === undefined ? { key: def.key } : { key: def.key, value });
    }
    return out;
  }

  /** Applies `ENV`: every pair is expanded against the variables before the instruction. */
  applyEnv(cmd: EnvInstruction): KeyValue[] {
    let expanded: KeyValue[];
    try {
      expanded = cmd.env.map((kv) => ({
        ...kv,
        key: this.expandWord(kv.key),
        value: this.expandWord(kv.value),
      }));
    } catch (err) {
      throw locate(err, this.#file, cmd.range);
    }
    for (const kv of expanded) {
      this.#env.set(kv.key, kv.value);
      this.#config.set(kv.key, kv.value);
    }
    return expanded;
  }

  /** Everything visible to RUN (image env, ARG and ENV values), plus proxy build args. */
  runEnv(): Map<string, string> {
    const env = new Map(this.#env);
    for (const [k, v] of Object.entries(proxyEnv(this.#buildArgs))) if (!env.has(k)) env.set(k, v);
    return env;
  }

  /** The variables persisted into the image config Env ("KEY=VALUE"). */
  imageEnv(): string[] {
    return [...this.#config].map(([k, v]) => `${k}=${v}`);
  }

  /** The ARGs declared in this stage (and its parents), by name. */
  declaredArgs(): ReadonlyMap<string, ArgDefinition> {
    return this.#declaredArgs;
  }
}
