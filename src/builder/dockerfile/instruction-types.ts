/**
 * Typed Dockerfile instructions (BuildKit's instructions/commands.go). Values are as written in
 * the Dockerfile: quotes and variables are not yet processed, because expansion needs the stage
 * environment (see stages.ts `StageScope.expand`). Exec-form commands are final.
 */
import type { Range } from "./errors.js";
import type { RunMount } from "./run-mount.js";

export interface InstructionBase {
  /** The keyword as written ("RUN", "run"). */
  keyword: string;
  range: Range;
  /** Comment lines directly above. */
  comments: string[];
  /** The logical source line. */
  original: string;
}

export interface KeyValue {
  key: string;
  value: string;
  /** Written in the legacy `KEY name value` form (LegacyKeyValueFormat). */
  legacy: boolean;
}

export interface FromInstruction extends InstructionBase {
  kind: "FROM";
  /** The base: an image reference, a stage name or "scratch" (variables from global ARGs allowed). */
  image: string;
  /** The stage name in lowercase, "" when there is no AS clause. */
  stageName: string;
  /** The stage name and the AS keyword as written, for the casing checks. */
  stageNameAsWritten: string;
  asKeyword: string;
  /** --platform as written, "" when absent. */
  platform: string;
}

/** A heredoc attached to RUN (the shell reads it on the given descriptor). */
export interface HeredocFile {
  name: string;
  data: string;
  chomp: boolean;
  expand: boolean;
  fileDescriptor: number;
}

export type NetworkMode = "default" | "none" | "host";
export type SecurityMode = "sandbox" | "insecure";

/** RUN, CMD and ENTRYPOINT share the command shape. */
export interface CommandLine {
  /** Exec form: the argv. Shell form: one element, the joined command line. */
  command: string[];
  /** Shell form: the command is run by the stage's SHELL (["/bin/sh", "-c"] by default). */
  shellForm: boolean;
}

export interface RunInstruction extends InstructionBase, CommandLine {
  kind: "RUN";
  files: HeredocFile[];
  mounts: RunMount[];
  network: NetworkMode;
  security: SecurityMode;
  /** --device values as written (BuildKit labs). */
  devices: string[];
  flagsUsed: string[];
}

export interface CmdInstruction extends InstructionBase, CommandLine {
  kind: "CMD";
}

/** `ENTRYPOINT []` (command empty) resets the entrypoint. */
export interface EntrypointInstruction extends InstructionBase, CommandLine {
  kind: "ENTRYPOINT";
}

export interface LabelInstruction extends InstructionBase {
  kind: "LABEL";
  labels: KeyValue[];
}

export interface ExposeInstruction extends InstructionBase {
  kind: "EXPOSE";
  /** Sorted, as BuildKit does; each may still need expansion into several words. */
  ports: string[];
}

export interface EnvInstruction extends InstructionBase {
  kind: "ENV";
  env: KeyValue[];
}

/** An ADD/COPY source given inline as a heredoc (`COPY <<EOF /dest`). */
export interface InlineSource {
  /** The heredoc name, used as the file name. */
  path: string;
  /** The body (chomped for `<<-`). */
  data: string;
  expand: boolean;
}

export interface SourcesAndDest {
  sources: string[];
  inline: InlineSource[];
  dest: string;
}

export interface AddInstruction extends InstructionBase, SourcesAndDest {
  kind: "ADD";
  chown: string;
  chmod: string;
  checksum: string;
  /** Undefined when --keep-git-dir was not given. */
  keepGitDir?: boolean;
  /** Undefined when --unpack was not given. */
  unpack?: boolean;
  link: boolean;
  excludes: string[];
}

export interface CopyInstruction extends InstructionBase, SourcesAndDest {
  kind: "COPY";
  /** --from: a stage name, a stage index or an image reference; "" for the build context. */
  from: string;
  chown: string;
  chmod: string;
  link: boolean;
  parents: boolean;
  excludes: string[];
}

export interface VolumeInstruction extends InstructionBase {
  kind: "VOLUME";
  volumes: string[];
}

export interface UserInstruction extends InstructionBase {
  kind: "USER";
  user: string;
}

export interface WorkdirInstruction extends InstructionBase {
  kind: "WORKDIR";
  path: string;
}

export interface ArgDefinition {
  key: string;
  /** The default as written; undefined for `ARG NAME`. */
  value?: string;
}

export interface ArgInstruction extends InstructionBase {
  kind: "ARG";
  args: ArgDefinition[];
}

export interface OnbuildInstruction extends InstructionBase {
  kind: "ONBUILD";
  /** The trigger as stored in the image config (heredoc bodies appended). */
  expression: string;
  trigger: Instruction;
}

export interface StopsignalInstruction extends InstructionBase {
  kind: "STOPSIGNAL";
  signal: string;
}

/** Docker's image-config Healthcheck; durations in nanoseconds, 0 = inherit/default. */
export interface HealthConfig {
  /** ["NONE"], ["CMD", ...argv] or ["CMD-SHELL", command]. */
  test: string[];
  interval: number;
  timeout: number;
  startPeriod: number;
  startInterval: number;
  retries: number;
}

export interface HealthcheckInstruction extends InstructionBase {
  kind: "HEALTHCHECK";
  health: HealthConfig;
}

export interface ShellInstruction extends InstructionBase {
  kind: "SHELL";
  shell: string[];
}

/** Deprecated; accepted (MaintainerDeprecated). */
export interface MaintainerInstruction extends InstructionBase {
  kind: "MAINTAINER";
  maintainer: string;
}

export type Instruction =
  | FromInstruction
  | RunInstruction
  | CmdInstruction
  | EntrypointInstruction
  | LabelInstruction
  | ExposeInstruction
  | EnvInstruction
  | AddInstruction
  | CopyInstruction
  | VolumeInstruction
  | UserInstruction
  | WorkdirInstruction
  | ArgInstruction
  | OnbuildInstruction
  | StopsignalInstruction
  | HealthcheckInstruction
  | ShellInstruction
  | MaintainerInstruction;

export type InstructionKind = Instruction["kind"];

/** Every instruction keyword, uppercase. */
export const INSTRUCTION_KINDS: readonly InstructionKind[] = [
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
];
