/**
 * The individual build checks of lint.ts. Each rule reads one stage (or the whole file) and calls
 * `report`. Docker's rules keep Docker's names and messages; berth's own rules cover mistakes the
 * getting-started tutorials warn about.
 */
import type { Instruction, RunInstruction } from "./instruction-types.js";
import type { Stage } from "./stages.js";

export interface Located {
  range: { start: { line: number; column: number } };
  comments: string[];
}

export type Report = (code: string, at: Located, message: string, fix: string) => void;

/** A stage with what it inherits from the stage it is built FROM. */
export interface StageInfo {
  stage: Stage;
  /** The chain of stages from the root (first) to this one (last). */
  chain: Stage[];
  /** The root's base is an external image (not scratch, not a stage). */
  externalBase: string | undefined;
}

const INSTALLERS: readonly { re: RegExp; manifests: string }[] = [
  { re: /\bnpm\s+(?:ci|install|i)\b/u, manifests: "package.json package-lock.json" },
  { re: /\bpnpm\s+(?:install|i)\b/u, manifests: "package.json pnpm-lock.yaml" },
  { re: /\byarn(?:\s+install\b|\s*(?:$|&&|;|\|\||--))/mu, manifests: "package.json yarn.lock" },
  { re: /\bpip3?\s+install\b[^&;|\n]*\s(?:-r|--requirement)\b/u, manifests: "requirements.txt" },
  { re: /\bpoetry\s+install\b/u, manifests: "pyproject.toml poetry.lock" },
  { re: /\bgo\s+mod\s+download\b/u, manifests: "go.mod go.sum" },
  { re: /\bbundle\s+install\b/u, manifests: "Gemfile Gemfile.lock" },
  { re: /\bcomposer\s+install\b/u, manifests: "composer.json composer.lock" },
];

function runText(run: RunInstruction): string {
  return [run.command.join(" "), ...run.files.map((f) => f.data)].join("\n");
}

/** COPY . . (or ADD . .) before a dependency install in the same stage. */
export function checkCopyBeforeInstall(stage: Stage, report: Report): void {
  let copyAll: Instruction | undefined;
  for (const cmd of stage.commands) {
    if ((cmd.kind === "COPY" && cmd.from === "") || cmd.kind === "ADD") {
      if (!copyAll && cmd.sources.some((s) => s === "." || s === "./")) copyAll = cmd;
      continue;
    }
    if (cmd.kind !== "RUN" || !copyAll) continue;
    const text = runText(cmd);
    const installer = INSTALLERS.find((i) => i.re.test(text));
    if (!installer) continue;
    report(
      "CopyAllBeforeDependencyInstall",
      copyAll,
      `'${copyAll.original.trim()}' copies the whole build context before the dependency install on line ${cmd.range.start.line}: any source change invalidates the cached install`,
      `Copy only the dependency manifests first (COPY ${installer.manifests} ./), run the install, then copy the rest`,
    );
  }
}

const SECRET_RE =
  /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/iu;
const SECRET_ALLOW_RE = /(?:_|^)(?:public|file|version)(?:_|$)/iu;

/** Docker's SecretsUsedInArgOrEnv. */
export function checkSecretName(ins: Instruction, key: string, report: Report): void {
  if (!SECRET_RE.test(key) || SECRET_ALLOW_RE.test(key)) return;
  report(
    "SecretsUsedInArgOrEnv",
    ins,
    `Do not use ARG or ENV instructions for sensitive data (${ins.kind} ${JSON.stringify(key)})`,
    "Pass secrets with a secret mount (RUN --mount=type=secret,id=...) and `docker build --secret`, which keeps them out of the image and its history",
  );
}

const APT_INSTALL_RE = /\bapt(?:-get)?\s+(?:[-\w=]+\s+)*install\b/u;
const APT_CLEAN_RE = /\brm\s+(?:-[a-zA-Z]+\s+)*\/var\/lib\/apt\/lists/u;

/** apt-get install without removing /var/lib/apt/lists in the same RUN. */
export function checkAptLists(run: RunInstruction, report: Report): void {
  const text = runText(run);
  if (!APT_INSTALL_RE.test(text) || APT_CLEAN_RE.test(text)) return;
  if (run.mounts.some((m) => m.type === "cache" && (m.target ?? "").startsWith("/var/lib/apt"))) return;
  report(
    "AptListsNotRemoved",
    run,
    "apt-get install without removing /var/lib/apt/lists in the same RUN: the package lists stay in the layer",
    "End the same RUN with `&& rm -rf /var/lib/apt/lists/*` (or use a cache mount for /var/lib/apt)",
  );
}

/** The final stage runs as root: no USER in it (or the stages it is built on), or USER root. */
export function checkFinalUser(info: StageInfo, report: Report): void {
  let user: string | undefined;
  for (const s of info.chain) for (const c of s.commands) if (c.kind === "USER") user = c.user;
  const fix =
    "Create an unprivileged user and switch to it before CMD/ENTRYPOINT (e.g. RUN useradd -r app, USER app)";
  const from = info.stage.from;
  if (user === undefined) {
    const hint = info.externalBase ? ` unless the base image ${info.externalBase} sets a user` : "";
    report(
      "RootUserInFinalStage",
      from,
      `The final stage sets no USER: the container runs as root${hint}`,
      fix,
    );
  } else if (/^(?:root|0)(?::.*)?$/u.test(user)) {
    report(
      "RootUserInFinalStage",
      from,
      `The final stage switches to USER ${user}: the container runs as root`,
      fix,
    );
  }
}

/** Docker's JSONArgsRecommended: shell-form CMD/ENTRYPOINT unless a SHELL was set. */
export function checkJsonArgs(info: StageInfo, report: Report): void {
  let shellSet = false;
  for (const s of info.chain) {
    for (const c of s.commands) {
      if (c.kind === "SHELL") shellSet = true;
      if ((c.kind === "CMD" || c.kind === "ENTRYPOINT") && c.shellForm && !shellSet && s === info.stage) {
        report(
          "JSONArgsRecommended",
          c,
          `JSON arguments recommended for ${c.keyword} to prevent unintended behavior related to OS signals`,
          `Use the exec form, e.g. ${c.kind} ${JSON.stringify(c.command[0]?.split(/\s+/u) ?? [])}; the shell form runs the program under /bin/sh -c, which does not forward SIGTERM`,
        );
      }
    }
  }
}

/** Docker's WorkdirRelativePath: the first WORKDIR set in the Dockerfile is relative. */
export function checkWorkdir(info: StageInfo, report: Report): void {
  for (const s of info.chain) {
    for (const c of s.commands) {
      if (c.kind !== "WORKDIR") continue;
      if (s === info.stage && !/^(?:\/|\$|[A-Za-z]:[\\/]|\\)/u.test(c.path)) {
        report(
          "WorkdirRelativePath",
          c,
          `Relative workdir ${JSON.stringify(c.path)} can have unexpected results if the base image changes`,
          `Use an absolute path (WORKDIR /${c.path.replace(/^\.\//u, "")})`,
        );
      }
      return;
    }
  }
}

/** Docker's MultipleInstructionsDisallowed: only the last CMD/ENTRYPOINT/HEALTHCHECK counts. */
export function checkMultiple(stage: Stage, report: Report): void {
  const last = new Map<string, Instruction>();
  for (const c of stage.commands) {
    if (c.kind !== "CMD" && c.kind !== "ENTRYPOINT" && c.kind !== "HEALTHCHECK") continue;
    const prev = last.get(c.kind);
    if (prev) {
      report(
        "MultipleInstructionsDisallowed",
        prev,
        `Multiple ${prev.keyword} instructions should not be used in the same stage because only the last one will be used`,
        `Remove all but the last ${c.kind}`,
      );
    }
    last.set(c.kind, c);
  }
}

/** Docker's casing rules over all instructions: FromAsCasing, StageNameCasing, ConsistentInstructionCasing. */
export function checkCasing(all: readonly Instruction[], report: Report): void {
  const consistent = (s: string) => s === s.toLowerCase() || s === s.toUpperCase();
  let lower = 0;
  let upper = 0;
  for (const c of all) {
    if (!consistent(c.keyword)) continue;
    if (c.keyword === c.keyword.toLowerCase()) lower++;
    else upper++;
  }
  const majorityLower = lower > upper;
  for (const c of all) {
    const want = majorityLower ? c.keyword.toLowerCase() : c.keyword.toUpperCase();
    if (c.keyword !== want) {
      const casing = majorityLower ? "lowercase" : "uppercase";
      report(
        "ConsistentInstructionCasing",
        c,
        `Command '${c.keyword}' should match the case of the command majority (${casing})`,
        `Write ${want}`,
      );
    }
    if (c.kind !== "FROM" || c.asKeyword === "") continue;
    if (c.stageNameAsWritten !== c.stageNameAsWritten.toLowerCase()) {
      report(
        "StageNameCasing",
        c,
        `Stage name '${c.stageNameAsWritten}' should be lowercase`,
        `Write ${c.stageNameAsWritten.toLowerCase()}`,
      );
    }
    const fromLower = c.keyword === c.keyword.toLowerCase();
    if (
      consistent(c.keyword) &&
      c.asKeyword !== (fromLower ? c.asKeyword.toLowerCase() : c.asKeyword.toUpperCase())
    ) {
      report(
        "FromAsCasing",
        c,
        `'${c.asKeyword}' and '${c.keyword}' keywords' casing do not match`,
        `Write ${c.keyword} ... ${fromLower ? "as" : "AS"} ${c.stageName}`,
      );
    }
  }
}

/** Docker's DuplicateStageName and ReservedStageName. */
export function checkStageNames(stages: readonly Stage[], report: Report): void {
  const seen = new Set<string>();
  for (const s of stages) {
    if (s.name === "") continue;
    if (s.name === "context" || s.name === "scratch") {
      report(
        "ReservedStageName",
        s.from,
        `Stage name should not use the same name as reserved stage ${JSON.stringify(s.name)}`,
        "Rename the stage",
      );
    }
    if (seen.has(s.name)) {
      report(
        "DuplicateStageName",
        s.from,
        `Duplicate stage name ${JSON.stringify(s.name)}, stage names should be unique`,
        "Rename one of the stages",
      );
    }
    seen.add(s.name);
  }
}
