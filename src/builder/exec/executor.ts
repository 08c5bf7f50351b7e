/**
 * Runs a Dockerfile build the way Docker's legacy builder does: each needed stage, each
 * instruction a step that either reuses a cached image ("Using cache") or makes a new image whose
 * parent is the previous one. On a miss the output says why. All I/O goes through BuildBackend.
 * Stages that do not depend on each other run in parallel (at most STAGE_CONCURRENCY at once);
 * their output is held back so the stream reads as if they ran one after the other.
 *
 *   const id = await executeBuild(backend, cache, { dockerfile, contextDir, platform, write });
 */
import type { PlatformSpec } from "../../oci/platform.js";
import type { BuildCache } from "../cache/cache-store.js";
import type { ResolvedStage } from "../dockerfile/index.js";
import { groupStages, parseDockerfile, parseInstructions, planBuild } from "../dockerfile/index.js";
import { DEFAULT_SHELL, nopCreatedBy } from "./apply-metadata.js";
import type { BuildBackend } from "./backend.js";
import type { Build } from "./build-state.js";
import { type ExplainRow, formatExplainTable } from "./explain-table.js";
import type { Exclude } from "./sources.js";
import { nextConfig, type StageState } from "./stage-state.js";
import { onbuildTriggers, runStep, startStage } from "./step.js";

export { RunStepError } from "./errors.js";

/** How many independent stages build at once. */
export const STAGE_CONCURRENCY = 2;

export interface BuildRequest {
  dockerfile: string;
  /** The Dockerfile's name in errors. */
  dockerfileName?: string;
  /** The build context, extracted (or the client's own directory on the local fast path). */
  contextDir: string;
  /** Context paths COPY/ADD must not see (.dockerignore). */
  exclude?: Exclude;
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  /** --label values, set on the final image. */
  labels?: Record<string, string>;
  /** The platform the build runs on (BUILDPLATFORM). */
  platform: { os: string; architecture: string };
  /** `--platform`: the platform the image is for (TARGETPLATFORM, FROM's default); the build's by default. */
  targetPlatform?: PlatformSpec;
  /** Progress text (the legacy builder's stream). */
  write(text: string): void;
  /** Cancels the build (the client went away): no further step starts, a running RUN is killed. */
  signal?: AbortSignal;
  /** Scratch space for RUN mounts (secrets, bind copies); the system temp dir by default. */
  scratchDir?: string;
  /** `RUN --mount=type=secret` values by id. */
  secrets?: Record<string, Buffer>;
  /** Write the cache decision table at the end (and on failure). */
  explain?: boolean;
}

/** Holds back the output of stages that are not first in line yet. */
class OrderedOutput {
  #current = 0;
  readonly #buffers: string[][];
  readonly #finished: boolean[];
  constructor(
    count: number,
    private readonly out: (text: string) => void,
  ) {
    this.#buffers = Array.from({ length: count }, () => []);
    this.#finished = Array.from({ length: count }, () => false);
  }
  writer(i: number): (text: string) => void {
    return (text) => (i === this.#current ? this.out(text) : this.#buffers[i]!.push(text));
  }
  finish(i: number): void {
    this.#finished[i] = true;
    while (this.#current < this.#finished.length && this.#finished[this.#current]) {
      this.#current++;
      if (this.#current < this.#buffers.length)
        for (const t of this.#buffers[this.#current]!.splice(0)) this.out(t);
    }
  }
  /** On failure: everything held back, so the error follows the output that led to it. */
  flush(): void {
    for (let i = this.#current + 1; i < this.#buffers.length; i++)
      for (const t of this.#buffers[i]!.splice(0)) this.out(t);
  }
}

/** A counting semaphore. */
function limiter(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((r) => waiting.push(r));
    else free--;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/** Builds the target stage; the id of its image (untagged: the caller tags). */
export async function executeBuild(
  backend: BuildBackend,
  cache: BuildCache,
  req: BuildRequest,
): Promise<string> {
  const file = req.dockerfileName ?? "Dockerfile";
  const parsed = parseDockerfile(req.dockerfile, { file });
  const stages = groupStages(parseInstructions(parsed.nodes, file), file);
  const plan = planBuild(stages, {
    ...(req.target ? { target: req.target } : {}),
    buildArgs: req.buildArgs ?? {},
    buildPlatform: req.platform,
    ...(req.targetPlatform ? { targetPlatform: req.targetPlatform } : {}),
    escapeToken: parsed.escapeToken,
    file,
  });
  const explain: ExplainRow[] | undefined = req.explain ? [] : undefined;
  const abort = new AbortController();
  const onAbort = () => abort.abort(req.signal?.reason);
  req.signal?.addEventListener("abort", onAbort, { once: true });
  const out = new OrderedOutput(plan.stages.length, req.write);
  const done = new Map<number, Promise<StageState>>();
  const total = plan.stages.reduce((n, r) => n + 1 + r.stage.commands.length, 0);
  const slot = limiter(STAGE_CONCURRENCY);
  let first = 0;
  const buildStage = async (r: ResolvedStage, i: number, offset: number): Promise<StageState> => {
    const b: Build = {
      backend,
      cache,
      req: { ...req, write: out.writer(i), signal: abort.signal },
      done,
      ...(explain ? { explain } : {}),
    };
    // Wait for the stages this one uses before taking a slot (no deadlock under the limit).
    for (const d of r.deps) if (d.source.kind === "stage") await done.get(d.source.index);
    return slot(async () => {
      abort.signal.throwIfAborted();
      let n = offset;
      b.req.write(`Step ${++n}/${total} : ${r.stage.from.original}\n`);
      let st = await startStage(b, r, plan.globalArgs);
      explain?.push({
        step: `${n}/${total}`,
        instruction: r.stage.from.original,
        result: "base",
        key: st.key,
        inputs: "",
        reason: r.baseName || "scratch",
      });
      const triggers = onbuildTriggers(st, file);
      if (triggers.length > 0) {
        b.req.write(`# Executing ${triggers.length} build trigger${triggers.length === 1 ? "" : "s"}\n`);
        const cfg = structuredClone(st.config);
        if (cfg.config) delete cfg.config.OnBuild;
        st = { ...st, config: cfg };
        for (const [k, cmd] of triggers.entries())
          st = await runStep(b, r, st, cmd, {
            step: `${n}/${total} trigger ${k + 1}`,
            instruction: cmd.original,
          });
      }
      for (const cmd of r.stage.commands) {
        b.req.write(`Step ${++n}/${total} : ${cmd.original}\n`);
        st = await runStep(b, r, st, cmd, { step: `${n}/${total}`, instruction: cmd.original });
      }
      out.finish(i);
      return st;
    });
  };
  plan.stages.forEach((r, i) => {
    const p = buildStage(r, i, first);
    p.catch(() => abort.abort());
    done.set(r.stage.index, p);
    first += 1 + r.stage.commands.length;
  });
  const settled = await Promise.allSettled(done.values());
  explain?.sort((x, y) => Number.parseInt(x.step, 10) - Number.parseInt(y.step, 10));
  req.signal?.removeEventListener("abort", onAbort);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    out.flush();
    if (explain) req.write(`\nCache decisions:\n${formatExplainTable(explain)}`);
    // The first failure in plan order, not an abort it caused elsewhere.
    const real = settled.find(
      (s) => s.status === "rejected" && !(s.reason instanceof Error && s.reason.name === "AbortError"),
    );
    throw ((real ?? failed) as PromiseRejectedResult).reason;
  }
  if (explain) req.write(`\nCache decisions:\n${formatExplainTable(explain)}`);
  if (plan.unusedBuildArgs.length) {
    req.write(`[Warning] One or more build-args [${plan.unusedBuildArgs.join(" ")}] were not consumed\n`);
  }
  const final = await done.get(plan.target.stage.index)!;
  const labels = req.labels ?? {};
  if (Object.keys(labels).length > 0) {
    const cfg = structuredClone(final.config.config ?? {});
    cfg.Labels = { ...(cfg.Labels ?? {}), ...labels };
    const text = ` LABEL ${Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`;
    const config = nextConfig(final.config, {
      config: cfg,
      createdBy: nopCreatedBy(cfg.Shell ?? DEFAULT_SHELL, text),
      created: new Date().toISOString(),
    });
    return backend.commit({ parent: final.imageId, config });
  }
  return final.imageId ?? backend.commit({ parent: undefined, config: final.config });
}
