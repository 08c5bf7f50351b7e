/**
 * `down`: the project's containers (dependents first), then its networks, and with -v its named
 * volumes and containers' anonymous volumes; --rmi removes images. An unknown project is no error:
 * there is simply nothing to remove, as with Docker Compose.
 */
import * as images from "../../api/client/images.js";
import { isKind } from "../../lib/errors.js";
import { orphans } from "../plan/converge.js";
import { imageName, L } from "../plan/labels.js";
import { type ComposeContext, event } from "./context.js";
import { nameOf, projectContainers } from "./project-containers.js";
import { removeNetworks, removeVolumes } from "./resources.js";
import { removeContainers } from "./stop.js";

export interface DownOptions {
  volumes?: boolean;
  rmi?: "local" | "all";
  removeOrphans?: boolean;
  timeout?: number;
}

export async function down(ctx: ComposeContext, opts: DownOptions = {}): Promise<void> {
  const { project } = ctx;
  const all = await projectContainers(ctx.client, project.name, { all: true });
  const lost = new Set(orphans(project, all).map((c) => c.Id));
  const doomed = all.filter((c) => !lost.has(c.Id) || opts.removeOrphans);
  if (lost.size > 0 && !opts.removeOrphans)
    ctx.progress(
      `WARN[0000] Found orphan containers ([${all
        .filter((c) => lost.has(c.Id))
        .map(nameOf)
        .join(
          " ",
        )}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`,
    );
  await removeContainers(ctx, doomed, { volumes: opts.volumes, timeout: opts.timeout });
  await removeNetworks(ctx, Object.keys(project.networks ?? {}));
  if (opts.volumes) await removeVolumes(ctx, Object.keys(project.volumes ?? {}));
  if (opts.rmi) {
    const refs = new Set<string>();
    for (const [name, svc] of Object.entries(project.services)) {
      if (opts.rmi === "all" || !svc.image) refs.add(imageName(project.name, name, svc));
    }
    for (const c of doomed) if (opts.rmi === "all" && c.Labels[L.oneoff] !== "True") refs.add(c.Image);
    for (const ref of [...refs].sort()) {
      try {
        await images.remove(ctx.client, ref);
        ctx.progress(event("Image", ref, "Removed"));
      } catch (err) {
        if (!isKind(err, "not-found")) ctx.progress(event("Image", ref, `Error: ${(err as Error).message}`));
      }
    }
  }
}
