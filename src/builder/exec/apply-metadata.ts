/**
 * The metadata instructions (pure): each changes only the image config and records a history
 * entry with Docker's legacy `created_by` ("/bin/sh -c #(nop)  ENV A=b"). Values arrive expanded.
 */
import { invalidArgument } from "../../lib/errors.js";
import type { ContainerConfig } from "../../oci/image-config.js";
import type { StageCommand } from "../dockerfile/index.js";
import type { StageScope } from "../dockerfile/stage-scope.js";

export const DEFAULT_SHELL: readonly string[] = ["/bin/sh", "-c"];

export interface MetadataResult {
  /** The words that follow "#(nop) " in created_by, and make the step's cache identity. */
  text: string;
}

const quoteJson = (a: readonly string[]) => JSON.stringify(a);

function commandOf(cmd: { command: string[]; shellForm: boolean }, shell: readonly string[]): string[] {
  return cmd.shellForm ? [...shell, cmd.command.join(" ")] : [...cmd.command];
}

/** Docker's `#(nop)` prefix for a metadata step. */
export function nopCreatedBy(shell: readonly string[], text: string): string {
  return `${shell.join(" ")} #(nop) ${text}`;
}

/** The absolute WORKDIR after `WORKDIR p` (relative paths join the current one). */
export function resolveWorkdir(current: string | undefined, p: string): string {
  const joined = p.startsWith("/") ? p : `${current || "/"}/${p}`;
  const parts: string[] = [];
  for (const seg of joined.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join("/")}`;
}

/**
 * Applies a metadata instruction to `config` in place (ARG is handled by the scope; RUN, COPY and
 * ADD are not metadata). Returns undefined for instructions it does not handle.
 */
export function applyMetadata(
  config: ContainerConfig,
  ins: StageCommand,
  scope: StageScope,
): MetadataResult | undefined {
  const shell = config.Shell ?? DEFAULT_SHELL;
  switch (ins.kind) {
    case "ENV": {
      const kvs = scope.applyEnv(ins);
      config.Env = scope.imageEnv();
      return { text: ` ENV ${kvs.map((kv) => `${kv.key}=${kv.value}`).join(" ")}` };
    }
    case "LABEL": {
      const labels = ins.labels.map((kv) => ({
        key: scope.expandWord(kv.key),
        value: scope.expandWord(kv.value),
      }));
      config.Labels = { ...(config.Labels ?? {}) };
      for (const l of labels) config.Labels[l.key] = l.value;
      return { text: ` LABEL ${labels.map((l) => `${l.key}=${l.value}`).join(" ")}` };
    }
    case "EXPOSE": {
      const ports = ins.ports.flatMap((p) => scope.expandWords(p));
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}) };
      for (const p of ports) config.ExposedPorts[p.includes("/") ? p : `${p}/tcp`] = {};
      return { text: ` EXPOSE ${ports.map((p) => (p.includes("/") ? p : `${p}/tcp`)).join(" ")}` };
    }
    case "WORKDIR": {
      config.WorkingDir = resolveWorkdir(config.WorkingDir, scope.expandWord(ins.path));
      return { text: `WORKDIR ${config.WorkingDir}` };
    }
    case "USER": {
      config.User = scope.expandWord(ins.user);
      return { text: ` USER ${config.User}` };
    }
    case "CMD": {
      config.Cmd = commandOf(ins, shell);
      return { text: ` CMD ${quoteJson(config.Cmd)}` };
    }
    case "ENTRYPOINT": {
      const ep = commandOf(ins, shell);
      if (ep.length === 0) delete config.Entrypoint;
      else config.Entrypoint = ep;
      // Docker: a new ENTRYPOINT resets an inherited CMD.
      delete config.Cmd;
      return { text: ` ENTRYPOINT ${quoteJson(ep)}` };
    }
    case "VOLUME": {
      const vols = ins.volumes.flatMap((v) => scope.expandWords(v));
      for (const v of vols)
        if (v.trim() === "") throw invalidArgument("VOLUME specified can not be an empty string");
      config.Volumes = { ...(config.Volumes ?? {}) };
      for (const v of vols) config.Volumes[v] = {};
      return { text: ` VOLUME ${quoteJson(vols)}` };
    }
    case "STOPSIGNAL": {
      config.StopSignal = scope.expandWord(ins.signal);
      return { text: ` STOPSIGNAL ${config.StopSignal}` };
    }
    case "HEALTHCHECK": {
      const h = ins.health;
      config.Healthcheck = {
        Test: h.test,
        ...(h.interval ? { Interval: h.interval } : {}),
        ...(h.timeout ? { Timeout: h.timeout } : {}),
        ...(h.startPeriod ? { StartPeriod: h.startPeriod } : {}),
        ...(h.startInterval ? { StartInterval: h.startInterval } : {}),
        ...(h.retries ? { Retries: h.retries } : {}),
      };
      return { text: ` HEALTHCHECK &{${quoteJson(h.test)} ${h.interval} ${h.timeout} ${h.retries}}` };
    }
    case "SHELL": {
      config.Shell = [...ins.shell];
      return { text: ` SHELL ${quoteJson(ins.shell)}` };
    }
    case "ONBUILD": {
      config.OnBuild = [...(config.OnBuild ?? []), ins.expression];
      return { text: ` ONBUILD ${ins.expression}` };
    }
    case "MAINTAINER":
      return { text: ` MAINTAINER ${scope.expandWord(ins.maintainer)}` };
    default:
      return undefined;
  }
}

/** The argv of RUN: exec form as is, shell form through the stage's SHELL. */
export function runArgv(ins: { command: string[]; shellForm: boolean }, config: ContainerConfig): string[] {
  return commandOf(ins, config.Shell ?? DEFAULT_SHELL);
}
