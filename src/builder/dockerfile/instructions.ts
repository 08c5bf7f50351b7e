/**
 * AST → typed instructions (BuildKit's instructions/parse.go), with BuildKit's validation and
 * messages. Every error is a DockerfileError located at the instruction.
 *
 *   const { nodes } = parseDockerfile(text);
 *   const instructions = parseInstructions(nodes, "Dockerfile");
 */
import { invalidArgument } from "../../lib/errors.js";
import type { FlagSpec, ParsedFlags } from "./_flags.js";
import { parseFlags } from "./_flags.js";
import { goParseUint32, parseGoDuration, withSuggestion } from "./_go.js";
import { locate } from "./errors.js";
import { chompHeredocContent, parseHeredoc } from "./heredoc.js";
import type {
  AddInstruction,
  ArgDefinition,
  CommandLine,
  FromInstruction,
  HealthConfig,
  InlineSource,
  Instruction,
  InstructionBase,
  KeyValue,
  NetworkMode,
  SecurityMode,
  SourcesAndDest,
} from "./instruction-types.js";
import { INSTRUCTION_KINDS } from "./instruction-types.js";
import type { Node } from "./parser.js";
import { nodeArgs } from "./parser.js";
import { parseMount } from "./run-mount.js";

const STAGE_NAME_RE = /^[a-z][a-z0-9\-_.]*$/;

/** Parses all nodes of a Dockerfile; `file` names the Dockerfile in errors. */
export function parseInstructions(nodes: readonly Node[], file = "Dockerfile"): Instruction[] {
  return nodes.map((n) => parseInstruction(n, file));
}

/** Parses one node. Unknown instructions fail with a "did you mean" suggestion. */
export function parseInstruction(node: Node, file = "Dockerfile"): Instruction {
  try {
    return parseNode(node, file);
  } catch (err) {
    throw locate(err, file, node.range);
  }
}

function base(node: Node): InstructionBase {
  return { keyword: node.keyword, range: node.range, comments: node.comments, original: node.original };
}

const NO_FLAGS: FlagSpec = {};

function parseNode(node: Node, file: string): Instruction {
  const args = nodeArgs(node);
  const b = base(node);
  const flags = (spec: FlagSpec): ParsedFlags => parseFlags(node.flags, spec);
  const kind = node.keyword.toUpperCase();
  switch (kind) {
    case "ENV":
      flags(NO_FLAGS);
      return { kind, ...b, env: parseKvps(args, "ENV") };
    case "LABEL":
      flags(NO_FLAGS);
      return { kind, ...b, labels: parseKvps(args, "LABEL") };
    case "MAINTAINER":
      exactlyOne(args, kind);
      flags(NO_FLAGS);
      return { kind, ...b, maintainer: args[0]! };
    case "FROM":
      return parseFrom(node, args, b);
    case "ADD":
    case "COPY":
      return parseAddCopy(node, args, b, kind);
    case "ONBUILD":
      return parseOnbuild(node, args, b, file);
    case "WORKDIR":
      exactlyOne(args, kind);
      flags(NO_FLAGS);
      return { kind, ...b, path: args[0]! };
    case "USER":
      exactlyOne(args, kind);
      flags(NO_FLAGS);
      return { kind, ...b, user: args[0]! };
    case "RUN":
      return parseRun(node, args, b);
    case "CMD":
      flags(NO_FLAGS);
      return { kind, ...b, ...commandLine(node, args) };
    case "ENTRYPOINT":
      flags(NO_FLAGS);
      return { kind, ...b, ...commandLine(node, args) };
    case "HEALTHCHECK":
      return { kind, ...b, health: parseHealthcheck(node, args) };
    case "EXPOSE":
      atLeastOne(args, kind);
      flags(NO_FLAGS);
      return { kind, ...b, ports: [...args].sort() };
    case "VOLUME":
      atLeastOne(args, kind);
      flags(NO_FLAGS);
      return { kind, ...b, volumes: args.map(volumePath) };
    case "STOPSIGNAL":
      exactlyOne(args, kind);
      return { kind, ...b, signal: args[0]! };
    case "ARG":
      atLeastOne(args, kind);
      return { kind, ...b, args: args.map(parseArgDefinition) };
    case "SHELL": {
      flags(NO_FLAGS);
      if (args.length === 0) throw errAtLeastOne(kind);
      if (!node.json) throw invalidArgument("SHELL requires the arguments to be in JSON form");
      return { kind, ...b, shell: args };
    }
  }
  throw invalidArgument(
    withSuggestion(`unknown instruction: ${node.keyword}`, node.keyword, INSTRUCTION_KINDS, false),
  );
}

function errAtLeastOne(cmd: string): Error {
  return invalidArgument(`${cmd} requires at least one argument`);
}

function atLeastOne(args: readonly string[], cmd: string): void {
  if (args.length === 0) throw errAtLeastOne(cmd);
}

function exactlyOne(args: readonly string[], cmd: string): void {
  if (args.length !== 1) throw invalidArgument(`${cmd} requires exactly one argument`);
}

function volumePath(v: string): string {
  const p = v.trim();
  if (p === "") throw invalidArgument("VOLUME specified can not be an empty string");
  return p;
}

function parseKvps(args: readonly string[], cmd: string): KeyValue[] {
  if (args.length === 0) throw errAtLeastOne(cmd);
  if (args.length % 3 !== 0) throw invalidArgument(`Bad input to ${cmd}, too many arguments`);
  const out: KeyValue[] = [];
  for (let i = 0; i < args.length; i += 3) {
    if (args[i] === "") throw invalidArgument(`${cmd} names can not be blank`);
    out.push({ key: args[i]!, value: args[i + 1]!, legacy: args[i + 2] === "" });
  }
  return out;
}

function parseArgDefinition(arg: string): ArgDefinition {
  const eq = arg.indexOf("=");
  if (eq < 0) return { key: arg };
  if (eq === 0) throw invalidArgument("ARG names can not be blank");
  return { key: arg.slice(0, eq), value: arg.slice(eq + 1) };
}

function parseFrom(node: Node, args: readonly string[], b: InstructionBase): FromInstruction {
  let stageName = "";
  if (args.length === 3 && args[1]!.toLowerCase() === "as") {
    stageName = args[2]!.toLowerCase();
    if (!STAGE_NAME_RE.test(stageName)) {
      throw invalidArgument(
        `invalid name for build stage: ${JSON.stringify(args[2])}, name can't start with a number or contain symbols`,
      );
    }
  } else if (args.length !== 1) throw invalidArgument("FROM requires either one or three arguments");
  const f = parseFlags(node.flags, { platform: "string" });
  return {
    kind: "FROM",
    ...b,
    image: args[0]!,
    stageName,
    stageNameAsWritten: args[2] ?? "",
    asKeyword: args[1] ?? "",
    platform: f.string("platform"),
  };
}

function commandLine(node: Node, args: readonly string[]): CommandLine {
  if (node.json) return { command: [...args], shellForm: false };
  return { command: args.length === 0 ? [] : [args.join(" ")], shellForm: true };
}

function parseRun(node: Node, args: readonly string[], b: InstructionBase): Instruction {
  const f = parseFlags(node.flags, {
    mount: "strings",
    network: "string",
    security: "string",
    device: "strings",
  });
  const network = (f.used.has("network") ? f.string("network") : "default") as NetworkMode;
  if (!["default", "none", "host"].includes(network)) {
    throw invalidArgument(`invalid network mode ${JSON.stringify(network)}`);
  }
  const security = (f.used.has("security") ? f.string("security") : "sandbox") as SecurityMode;
  if (security !== "sandbox" && security !== "insecure") {
    throw invalidArgument(`security ${JSON.stringify(security)} is not valid`);
  }
  return {
    kind: "RUN",
    ...b,
    ...commandLine(node, args),
    files: node.heredocs.map((h) => ({
      name: h.name,
      data: h.content,
      chomp: h.chomp,
      expand: h.expand,
      fileDescriptor: h.fileDescriptor,
    })),
    mounts: f.strings("mount").map((m) => parseMount(m)),
    network,
    security,
    devices: f.strings("device"),
    flagsUsed: [...f.used].sort(),
  };
}

function parseSourcesAndDest(node: Node, args: readonly string[], cmd: string): SourcesAndDest {
  if (args.length < 2) {
    throw invalidArgument(
      `${cmd} requires at least two arguments, but only one was provided. Destination could not be determined`,
    );
  }
  const dest = args[args.length - 1]!;
  if (parseHeredoc(dest)) throw invalidArgument(`${cmd} cannot accept a heredoc as a destination`);
  const bodies = new Map(node.heredocs.map((h) => [h.name, h]));
  const sources: string[] = [];
  const inline: InlineSource[] = [];
  for (const src of args.slice(0, -1)) {
    const doc = parseHeredoc(src);
    if (!doc) {
      sources.push(src);
      continue;
    }
    const content = bodies.get(doc.name)?.content ?? "";
    inline.push({
      path: doc.name,
      data: doc.chomp ? chompHeredocContent(content) : content,
      expand: doc.expand,
    });
  }
  return { sources, inline, dest };
}

/** How ADD fetches a source: an HTTP(S) URL, a Git repository, or a path in the context. */
export function addSourceKind(src: string): "http" | "git" | "local" {
  if (/^(git@[^:]+:|git:\/\/|ssh:\/\/)/u.test(src)) return "git";
  if (/^https?:\/\//u.test(src)) {
    const [path = ""] = src.split("#");
    return /\.git\/?$/u.test(path) ? "git" : "http";
  }
  return "local";
}

function parseAddCopy(
  node: Node,
  args: readonly string[],
  b: InstructionBase,
  kind: "ADD" | "COPY",
): Instruction {
  if (args.length < 2) parseSourcesAndDest(node, args, kind);
  const common = { chown: "string", chmod: "string", link: "bool", exclude: "strings" } as const;
  if (kind === "COPY") {
    const f = parseFlags(node.flags, { ...common, from: "string", parents: "bool" });
    const sd = parseSourcesAndDest(node, args, kind);
    if (sd.sources.some((s) => addSourceKind(s) === "http"))
      throw invalidArgument("source can't be a URL for COPY");
    return {
      kind,
      ...b,
      ...sd,
      from: f.string("from"),
      chown: f.string("chown"),
      chmod: checkChmod(f.string("chmod")),
      link: f.bool("link"),
      parents: f.bool("parents"),
      excludes: f.strings("exclude"),
    };
  }
  const f = parseFlags(node.flags, { ...common, "keep-git-dir": "bool", checksum: "string", unpack: "bool" });
  const sd = parseSourcesAndDest(node, args, kind);
  const checksum = f.string("checksum");
  if (checksum !== "" && !sd.sources.some((s) => s.includes("$"))) {
    if (sd.sources.length !== 1) throw invalidArgument("checksum can't be specified for multiple sources");
    if (addSourceKind(sd.sources[0]!) === "local")
      throw invalidArgument("checksum requires HTTP(S) or Git sources");
  }
  const add: AddInstruction = {
    kind,
    ...b,
    ...sd,
    chown: f.string("chown"),
    chmod: checkChmod(f.string("chmod")),
    checksum,
    link: f.bool("link"),
    excludes: f.strings("exclude"),
  };
  if (f.used.has("keep-git-dir")) add.keepGitDir = f.bool("keep-git-dir");
  if (f.used.has("unpack")) add.unpack = f.bool("unpack");
  return add;
}

/** Octal modes are checked now; symbolic modes (u+x) and variables are checked when applied. */
function checkChmod(mode: string): string {
  if (/^[0-9]+$/u.test(mode) && (goParseUint32(mode, 8) ?? 0o10000) > 0o7777) {
    throw invalidArgument(
      `invalid chmod parameter: '${mode}'. it should be octal string and between 0 and 07777`,
    );
  }
  return mode;
}

function parseOnbuild(node: Node, args: readonly string[], b: InstructionBase, file: string): Instruction {
  if (args.length === 0 || !node.sub) throw errAtLeastOne("ONBUILD");
  parseFlags(node.flags, NO_FLAGS);
  const trigger = args[0]!.trim().toUpperCase();
  if (trigger === "ONBUILD") throw invalidArgument("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (trigger === "MAINTAINER" || trigger === "FROM") {
    throw invalidArgument(`${trigger} isn't allowed as an ONBUILD trigger`);
  }
  let expression = node.original.replace(/^\s*ONBUILD\s*/iu, "");
  for (const h of node.heredocs) expression += `\n${h.content}${h.name}`;
  return { kind: "ONBUILD", ...b, expression, trigger: parseInstruction(node.sub, file) };
}

function interval(f: ParsedFlags, name: string): number {
  const s = f.string(name);
  if (s === "") return 0;
  const d = parseGoDuration(s);
  if (d === 0) return 0;
  if (d < 1e6) throw invalidArgument(`Interval ${JSON.stringify(name)} cannot be less than 1ms`);
  return d;
}

function parseHealthcheck(node: Node, args: readonly string[]): HealthConfig {
  if (args.length === 0) throw errAtLeastOne("HEALTHCHECK");
  const typ = args[0]!.toUpperCase();
  const rest = args.slice(1);
  const health: HealthConfig = {
    test: [],
    interval: 0,
    timeout: 0,
    startPeriod: 0,
    startInterval: 0,
    retries: 0,
  };
  if (typ === "NONE") {
    if (rest.length !== 0) throw invalidArgument("HEALTHCHECK NONE takes no arguments");
    health.test = ["NONE"];
    return health;
  }
  const f = parseFlags(node.flags, {
    interval: "string",
    timeout: "string",
    "start-period": "string",
    "start-interval": "string",
    retries: "string",
  });
  if (typ !== "CMD") throw invalidArgument(`Unknown type ${JSON.stringify(typ)} in HEALTHCHECK (try CMD)`);
  const cmd = commandLine(node, rest).command;
  if (cmd.length === 0) throw invalidArgument("Missing command after HEALTHCHECK CMD");
  health.test = [node.json ? "CMD" : "CMD-SHELL", ...cmd];
  health.interval = interval(f, "interval");
  health.timeout = interval(f, "timeout");
  health.startPeriod = interval(f, "start-period");
  health.startInterval = interval(f, "start-interval");
  const retries = f.string("retries");
  if (retries !== "") {
    const n = /^[+-]?\d+$/u.test(retries) ? Number(retries) : Number.NaN;
    if (!Number.isSafeInteger(n) || n > 2 ** 31 - 1 || n < -(2 ** 31)) {
      throw invalidArgument(
        `strconv.ParseInt: parsing ${JSON.stringify(retries)}: ${Number.isNaN(n) ? "invalid syntax" : "value out of range"}`,
      );
    }
    if (n < 0) throw invalidArgument(`--retries cannot be negative (${n})`);
    health.retries = n;
  }
  return health;
}
