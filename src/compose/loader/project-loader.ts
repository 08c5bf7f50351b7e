/**
 * The loader's core: options and a FileSource in, the resolved project out. Steps: pick the files,
 * build the interpolation environment (.env / --env-file under the shell's), parse each file to
 * canonical form with its `extends` resolved, merge them, bring in `include`s, resolve paths and
 * service environments, name the project, apply profiles and defaults, check references.
 */
import type { LoadedProject } from "../model.js";
import { DotenvError, parseDotenv } from "./dotenv.js";
import { resolveServiceEnvironment } from "./environment.js";
import { composeError } from "./errors.js";
import { resolveExtends } from "./extends.js";
import { finalizeProject } from "./finalize.js";
import { findComposeFiles } from "./find-files.js";
import { isPlainObject } from "./interpolate.js";
import { mergeDocuments } from "./merge.js";
import { type ParsedFile, parseComposeFile } from "./parse-file.js";
import { resolveResourcePaths, resolveServicePaths } from "./paths.js";
import { projectName } from "./project-name.js";
import { checkProject, type Origin } from "./semantic.js";
import type { FileSource } from "./source.js";
import { dirname, joinPath } from "./volumes.js";

type Obj = Record<string, unknown>;

export interface LoadProjectOptions {
  /** -f files as given (relative to workingDir); "-" is stdin. Empty or absent: look them up. */
  files?: string[];
  /** -p */
  projectName?: string;
  /** --project-directory */
  projectDirectory?: string;
  /** --env-file (several); absent: `.env` in the project directory if present. */
  envFiles?: string[];
  /** --profile (several); absent: COMPOSE_PROFILES. */
  profiles?: string[];
  /** Services named on the command line (enabled whatever their profiles, with their dependencies). */
  services?: string[];
  workingDir: string;
  /** The shell environment. */
  environment: Record<string, string | undefined>;
}

interface Model {
  dict: Obj;
  origin: Map<string, Origin>;
}

export function loadProjectFrom(opts: LoadProjectOptions, source: FileSource): LoadedProject {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  const shell = definedOnly(opts.environment);
  const fileArgs = opts.files?.length
    ? opts.files
    : shell.COMPOSE_FILE
      ? shell.COMPOSE_FILE.split(shell.COMPOSE_PATH_SEPARATOR ?? ":").filter(Boolean)
      : undefined;
  const files = fileArgs
    ? fileArgs.map((f) => (f === "-" ? "-" : joinPath(opts.workingDir, f)))
    : findComposeFiles(
        opts.projectDirectory ? joinPath(opts.workingDir, opts.projectDirectory) : opts.workingDir,
        source,
        warn,
      );
  const first = files.find((f) => f !== "-");
  const projectDir = opts.projectDirectory
    ? joinPath(opts.workingDir, opts.projectDirectory)
    : first
      ? dirname(first)
      : opts.workingDir;
  const envFiles = opts.envFiles?.length ? opts.envFiles.map((f) => joinPath(opts.workingDir, f)) : undefined;
  const env = projectEnvironment(
    shell,
    envFiles ?? [joinPath(projectDir, ".env")],
    envFiles !== undefined,
    source,
  );

  const model = loadModel(files, projectDir, env, source, warn, []);
  const name = projectName({
    flag: opts.projectName,
    env: env.COMPOSE_PROJECT_NAME,
    fileName: typeof model.dict.name === "string" && model.dict.name !== "" ? model.dict.name : undefined,
    projectDir,
  });
  const profiles = opts.profiles?.length
    ? opts.profiles
    : (env.COMPOSE_PROFILES ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean);
  const {
    project,
    disabled,
    warnings: notes,
  } = finalizeProject(model.dict, { name, profiles, services: opts.services });
  checkProject({ project, disabled, origin: (s) => model.origin.get(s) });
  return {
    project,
    meta: {
      workingDir: projectDir,
      configFiles: files,
      profiles,
      disabledServices: disabled,
      environment: env,
      warnings: [...new Set([...warnings, ...notes])],
    },
  };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/** .env / --env-file values under the shell's (the shell wins, as in Compose). */
function projectEnvironment(
  shell: Record<string, string>,
  envFiles: string[],
  explicit: boolean,
  source: FileSource,
): Record<string, string> {
  const fromFiles: Record<string, string> = {};
  for (const f of envFiles) {
    const text = source.read(f);
    if (text === undefined) {
      if (explicit) throw composeError({}, `couldn't find env file: ${f}`);
      continue;
    }
    try {
      Object.assign(
        fromFiles,
        parseDotenv(text, (k) => shell[k] ?? fromFiles[k]),
      );
    } catch (e) {
      if (e instanceof DotenvError) throw composeError({ file: f, line: e.line }, e.message);
      throw e;
    }
  }
  return { ...fromFiles, ...shell };
}

function loadModel(
  files: string[],
  projectDir: string,
  env: Record<string, string>,
  source: FileSource,
  warn: (m: string) => void,
  includeChain: string[],
): Model {
  const cache = new Map<string, ParsedFile>();
  const load = (file: string): ParsedFile => {
    let parsed = cache.get(file);
    if (!parsed) {
      const text = source.read(file);
      if (text === undefined) throw composeError({}, `open ${file}: no such file or directory`);
      parsed = parseComposeFile(file === "-" ? "(stdin)" : file, text, (k) => env[k], warn);
      cache.set(file, parsed);
    }
    return parsed;
  };
  const home = env.HOME;
  let dict: Obj = {};
  const origin = new Map<string, Origin>();
  for (const file of files) {
    const parsed = load(file);
    const services = resolveExtends(parsed, { load, home });
    for (const s of Object.keys(services)) if (!origin.has(s)) origin.set(s, parsed);
    dict = mergeDocuments(dict, { ...parsed.dict, services });
  }
  const services = (isPlainObject(dict.services) ? dict.services : {}) as Record<string, Obj>;
  for (const [name, svc] of Object.entries(services)) {
    services[name] = resolveServiceEnvironment(name, resolveServicePaths(svc, projectDir, home), env, source);
  }
  dict.services = services;
  for (const top of ["secrets", "configs"]) {
    if (!isPlainObject(dict[top])) continue;
    for (const [k, r] of Object.entries(dict[top] as Obj)) {
      (dict[top] as Obj)[k] = resolveResourcePaths(r as Obj, projectDir, home);
    }
  }
  if (Array.isArray(dict.include)) {
    for (const [i, inc] of dict.include.entries()) {
      includeInto(dict, origin, inc, i, { projectDir, env, source, warn, includeChain });
    }
  }
  delete dict.include;
  return { dict, origin };
}

interface IncludeCtx {
  projectDir: string;
  env: Record<string, string>;
  source: FileSource;
  warn: (m: string) => void;
  includeChain: string[];
}

function includeInto(
  dict: Obj,
  origin: Map<string, Origin>,
  inc: unknown,
  index: number,
  ctx: IncludeCtx,
): void {
  const spec = (typeof inc === "string" ? { path: inc } : inc) as {
    path: string | string[];
    project_directory?: string;
    env_file?: string | string[];
  };
  const paths = (Array.isArray(spec.path) ? spec.path : [spec.path]).map((p) => joinPath(ctx.projectDir, p));
  const where = { path: ["include", index] };
  if (paths.some((p) => ctx.includeChain.includes(p))) {
    throw composeError(where, `include cycle: ${[...ctx.includeChain, paths[0]].join(" -> ")}`);
  }
  const dir = spec.project_directory ? joinPath(ctx.projectDir, spec.project_directory) : dirname(paths[0]!);
  const envFiles = spec.env_file
    ? (Array.isArray(spec.env_file) ? spec.env_file : [spec.env_file]).map((f) => joinPath(ctx.projectDir, f))
    : [joinPath(dir, ".env")];
  const env = projectEnvironment(ctx.env, envFiles, spec.env_file !== undefined, ctx.source);
  const sub = loadModel(paths, dir, env, ctx.source, ctx.warn, [...ctx.includeChain, ...paths]);
  for (const top of ["services", "networks", "volumes", "secrets", "configs"]) {
    const theirs = sub.dict[top];
    if (!isPlainObject(theirs)) continue;
    const ours = (isPlainObject(dict[top]) ? dict[top] : {}) as Obj;
    for (const [k, v] of Object.entries(theirs)) {
      if (Object.hasOwn(ours, k)) {
        if (JSON.stringify(ours[k]) === JSON.stringify(v)) continue;
        throw composeError(
          where,
          `${top}.${k} from ${paths.join(", ")} conflicts with the ${top.slice(0, -1)} of the same name in the project (Compose does not merge included resources; rename one)`,
        );
      }
      ours[k] = v;
      const from = sub.origin.get(k);
      if (top === "services" && from) origin.set(k, from);
    }
    dict[top] = ours;
  }
}
