/**
 * What the executor's step planners share: the backend, the cache, the request, the stages built
 * so far, and one step's plan (its cache identity, next config, history text and layer work).
 */
import { invalidArgument } from "../../lib/errors.js";
import type { StepIdentity } from "../cache/cache-key.js";
import type { BuildCache } from "../cache/cache-store.js";
import type { Source } from "../dockerfile/index.js";
import type { BuildBackend, Layer } from "./backend.js";
import type { BuildRequest } from "./executor.js";
import type { ExplainRow } from "./explain-table.js";
import type { StageState } from "./stage-state.js";

export interface Step {
  identity: StepIdentity;
  config: NonNullable<StageState["config"]["config"]>;
  createdBy: string;
  /** Layer-producing work; metadata steps have none. */
  action?: (parent: string | undefined) => Promise<Layer | undefined>;
  /** Whether `action` needs an image to run on (RUN). */
  needsImage?: boolean;
}

export interface Build {
  backend: BuildBackend;
  cache: BuildCache;
  req: BuildRequest;
  /** Finished stages by index; a stage still building is a pending promise. */
  done: Map<number, Promise<StageState>>;
  /** `--explain`: every cache decision, in the order made. */
  explain?: ExplainRow[];
}

export const short = (id: string) => id.replace(/^sha256:/, "").slice(0, 12);

/** The image a COPY --from or RUN --mount from= names: an earlier stage's result or a local image. */
export async function imageOfSource(b: Build, source: Source): Promise<string> {
  if (source.kind === "scratch") throw invalidArgument("--from names nothing to copy from");
  if (source.kind === "image") {
    const platform = b.req.targetPlatform;
    return (await b.backend.image(source.ref, platform ? { platform } : {})).id;
  }
  const pending = b.done.get(source.index);
  if (!pending) throw invalidArgument(`stage ${source.index} was not built`);
  const st = await pending;
  if (!st.imageId) st.imageId = await b.backend.commit({ parent: undefined, config: st.config });
  return st.imageId;
}
