/**
 * Build checks: Docker's own (same names and messages: SecretsUsedInArgOrEnv, JSONArgsRecommended,
 * FromAsCasing, StageNameCasing, DuplicateStageName, ReservedStageName, MaintainerDeprecated,
 * UndefinedVar, UndefinedArgInFrom, WorkdirRelativePath, LegacyKeyValueFormat,
 * MultipleInstructionsDisallowed, ConsistentInstructionCasing, RedundantTargetPlatform,
 * NoEmptyContinuation) and berth's (CopyAllBeforeDependencyInstall, AptListsNotRemoved,
 * RootUserInFinalStage).
 *
 * `# check=skip=Rule1,Rule2` (or skip=all) silences rules; `# check=error=true` turns findings
 * into an error. A `# check=skip=...` comment right above an instruction applies to it alone.
 *
 * UndefinedVar needs the base image's environment; give `imageEnv` for exact results. Without it a
 * stage built on an external image assumes that image defines common variables (HOME, LANG,
 * *_VERSION, *_HOME, ...), so only obviously undefined names are reported.
 */
import type { BerthError } from "../../lib/errors.js";
import { invalidArgument } from "../../lib/errors.js";
import { suggest } from "./_go.js";
import type { Located, StageInfo } from "./_lint-rules.js";
import {
  checkAptLists,
  checkCasing,
  checkCopyBeforeInstall,
  checkFinalUser,
  checkJsonArgs,
  checkMultiple,
  checkSecretName,
  checkStageNames,
  checkWorkdir,
} from "./_lint-rules.js";
import type { CheckOptions } from "./directives.js";
import { parseCheckOptions } from "./directives.js";
import type { Instruction } from "./instruction-types.js";
import { parseInstructions } from "./instructions.js";
import { parseDockerfile } from "./parser.js";
import { parseCsvRecord } from "./run-mount.js";
import { shellExpand } from "./shell-words.js";
import { PLATFORM_ARGS } from "./stage-scope.js";
import type { Stage } from "./stages.js";
import { groupStages } from "./stages.js";

export interface LintWarning {
  code: string;
  message: string;
  /** How to fix it. */
  fix: string;
  line: number;
  column?: number;
  /** Docker's documentation of the rule. */
  url?: string;
}

export interface LintReport {
  warnings: LintWarning[];
  /** Set when `# check=error=true` and there are warnings: "lint violation found for rules: ...". */
  error?: BerthError;
}

export interface LintOptions {
  file?: string;
  /** The stage that is built (the last by default): RootUserInFinalStage looks at it. */
  target?: string;
  /** Config Env ("KEY=VALUE") of an external base image, when known. */
  imageEnv?: (ref: string) => readonly string[] | undefined;
  /** Overrides the `# check=` directive (like the BUILDKIT_DOCKERFILE_CHECK build arg). */
  check?: string;
}

const BERTH_RULES = new Set(["CopyAllBeforeDependencyInstall", "AptListsNotRemoved", "RootUserInFinalStage"]);

function ruleUrl(code: string): string | undefined {
  if (BERTH_RULES.has(code)) return undefined;
  const slug = code.replace(/([a-z])([A-Z])/gu, "$1-$2").replace(/JSONArgs/u, "JSON-Args");
  return `https://docs.docker.com/go/dockerfile/rule/${slug.toLowerCase()}/`;
}

function commentChecks(comments: readonly string[]): CheckOptions | undefined {
  for (const c of comments) {
    const m = /^check\s*=\s*(.+?)\s*$/iu.exec(c);
    if (!m) continue;
    try {
      return parseCheckOptions(m[1]!);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Parses and checks a Dockerfile; syntax errors are thrown (DockerfileError). */
export function lintDockerfile(text: string, options: LintOptions = {}): LintReport {
  const file = options.file ?? "Dockerfile";
  const parsed = parseDockerfile(text, { file });
  const instructions = parseInstructions(parsed.nodes, file);
  const df = groupStages(instructions, file);
  const checkValue = options.check ?? parsed.directives.find((d) => d.name === "check")?.value ?? "";
  const config = parseCheckOptions(checkValue);
  const warnings: LintWarning[] = [];
  const report = (code: string, at: Located, message: string, fix: string) => {
    const local = commentChecks(at.comments);
    if (config.skipAll || config.skip.includes(code) || local?.skipAll || local?.skip.includes(code)) return;
    const w: LintWarning = { code, message, fix, line: at.range.start.line, column: at.range.start.column };
    const url = ruleUrl(code);
    if (url) w.url = url;
    warnings.push(w);
  };

  for (const w of parsed.warnings) {
    if (w.code !== "NoEmptyContinuation") continue;
    report(
      "NoEmptyContinuation",
      { range: { start: { line: w.line, column: 1 } }, comments: [] },
      "Empty continuation line",
      "Remove the empty line or end it with the escape character; empty continuation lines will become errors",
    );
  }
  checkCasing(instructions, report);
  checkStageNames(df.stages, report);
  const globals = new Set<string>(PLATFORM_ARGS);
  for (const cmd of df.metaArgs) {
    for (const a of cmd.args) {
      checkSecretName(cmd, a.key, report);
      globals.add(a.key);
    }
  }
  const infos = stageInfos(df.stages);
  const targetName = options.target?.toLowerCase();
  const final = infos.find((i) => targetName && i.stage.name === targetName) ?? infos[infos.length - 1]!;
  for (const info of infos) {
    checkFrom(info.stage, globals, report);
    checkStage(info, report);
    checkUndefinedVars(info, options.imageEnv, report);
  }
  checkFinalUser(final, report);

  warnings.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  const result: LintReport = { warnings };
  if (config.error && warnings.length > 0) {
    const rules = [...new Set(warnings.map((w) => w.code))];
    result.error = invalidArgument(`lint violation found for rules: ${rules.join(", ")}`);
  }
  return result;
}

function stageInfos(stages: readonly Stage[]): StageInfo[] {
  const infos: StageInfo[] = [];
  const byName = new Map<string, StageInfo>();
  for (const stage of stages) {
    const image = stage.from.image;
    const parent = image.includes("$") ? undefined : byName.get(image.toLowerCase());
    const info: StageInfo = parent
      ? { stage, chain: [...parent.chain, stage], externalBase: parent.externalBase }
      : { stage, chain: [stage], externalBase: image === "scratch" ? undefined : image };
    infos.push(info);
    if (stage.name !== "") byName.set(stage.name, info);
  }
  return infos;
}

function checkFrom(stage: Stage, globals: ReadonlySet<string>, report: LintReportFn): void {
  const from = stage.from;
  const platform = from.platform;
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile spelling of the variable
  if (platform === "$TARGETPLATFORM" || platform === "${TARGETPLATFORM}") {
    report(
      "RedundantTargetPlatform",
      from,
      `Setting platform to predefined ${platform} in FROM is redundant as this is the default behavior`,
      "Remove the --platform flag",
    );
  }
  for (const word of [from.image, platform]) {
    for (const name of unmatched(word, (n) => globals.has(n))) {
      const hint = suggest(name, [...globals], true);
      report(
        "UndefinedArgInFrom",
        from,
        `FROM argument '${name}' is not declared${hint ? ` (did you mean ${hint}?)` : ""}`,
        `Declare it with ARG ${name} before the first FROM`,
      );
    }
  }
}

type LintReportFn = (code: string, at: Located, message: string, fix: string) => void;

function checkStage(info: StageInfo, report: LintReportFn): void {
  const stage = info.stage;
  checkCopyBeforeInstall(stage, report);
  checkMultiple(stage, report);
  checkJsonArgs(info, report);
  checkWorkdir(info, report);
  for (const c of stage.commands) {
    if (c.kind === "ARG") for (const a of c.args) checkSecretName(c, a.key, report);
    if (c.kind === "ENV") for (const kv of c.env) checkSecretName(c, kv.key, report);
    if (c.kind === "RUN") checkAptLists(c, report);
    if (c.kind === "MAINTAINER") {
      report(
        "MaintainerDeprecated",
        c,
        "Maintainer instruction is deprecated in favor of using label",
        `Use LABEL org.opencontainers.image.authors=${JSON.stringify(c.maintainer)}`,
      );
    }
    if (
      (c.kind === "ENV" || c.kind === "LABEL") &&
      (c.kind === "ENV" ? c.env : c.labels).some((kv) => kv.legacy)
    ) {
      report(
        "LegacyKeyValueFormat",
        c,
        `"${c.kind} key=value" should be used instead of legacy "${c.kind} key value" format`,
        `Write ${c.kind} key=value`,
      );
    }
  }
}

/** Names an expansion looked up that `known` does not know; syntax errors yield nothing. */
function unmatched(word: string, known: (name: string) => boolean): string[] {
  if (!word.includes("$")) return [];
  try {
    return [...shellExpand(word, (n) => (known(n) ? "" : undefined)).unmatched];
  } catch {
    return [];
  }
}

const COMMON_IMAGE_ENV =
  /^(?:HOME|HOSTNAME|LANG|LANGUAGE|LC_ALL|TERM|USER|PWD|SHELL|TZ|GOPATH|GOROOT)$|_(?:VERSION|HOME|PATH)$/u;

/** The words BuildKit expands (and checks) for an instruction. */
function expandedWords(c: Instruction): string[] {
  switch (c.kind) {
    case "ENV":
      return c.env.flatMap((kv) => [kv.key, kv.value]);
    case "LABEL":
      return c.labels.flatMap((kv) => [kv.key, kv.value]);
    case "ADD":
      return [...c.sources, c.dest, c.chown, c.chmod, c.checksum];
    case "COPY":
      return [...c.sources, c.dest, c.chown, c.chmod];
    case "WORKDIR":
      return [c.path];
    case "USER":
      return [c.user];
    case "VOLUME":
      return c.volumes;
    case "STOPSIGNAL":
      return [c.signal];
    case "EXPOSE":
      return c.ports;
    case "RUN":
      return c.mounts.flatMap((m) => parseCsvRecord(m.raw).map((f) => f.slice(f.indexOf("=") + 1)));
    default:
      return [];
  }
}

function checkUndefinedVars(info: StageInfo, imageEnv: LintOptions["imageEnv"], report: LintReportFn): void {
  const defined = new Set<string>(["PATH"]);
  const env = info.externalBase ? imageEnv?.(info.externalBase) : [];
  for (const kv of env ?? []) defined.add(kv.split("=")[0]!);
  const known = (n: string) => defined.has(n) || (env === undefined && COMMON_IMAGE_ENV.test(n));
  const flag = (c: Instruction, names: string[]) => {
    for (const name of names) {
      const hint = suggest(name, [...defined], true);
      report(
        "UndefinedVar",
        c,
        `Usage of undefined variable '$${name}'${hint ? ` (did you mean $${hint}?)` : ""}`,
        `Declare it with ARG ${name} or ENV ${name}=... before this instruction`,
      );
    }
  };
  for (const s of info.chain) {
    const check = s === info.stage;
    for (const c of s.commands) {
      if (c.kind === "ARG") {
        for (const a of c.args) {
          if (check && a.value !== undefined) flag(c, unmatched(a.value, known));
          defined.add(a.key);
        }
        continue;
      }
      if (check) flag(c, [...new Set(expandedWords(c).flatMap((w) => unmatched(w, known)))]);
      if (c.kind === "ENV") for (const kv of c.env) defined.add(kv.key);
    }
  }
}
