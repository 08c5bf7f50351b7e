/**
 * Images for services: `build:` through POST /build (tagged `<project>-<service>` when the service
 * names no image, as Docker Compose does), a pull through POST /images/create only when an image is
 * not local, and the image ids convergence compares containers against.
 */
import path from "node:path";
import { build as buildImage } from "../../api/client/build.js";
import * as images from "../../api/client/images.js";
import { pull } from "../../api/client/registry.js";
import { BerthError, isKind } from "../../lib/errors.js";
import { parseReference } from "../../oci/reference.js";
import { imageName, L, projectLabels } from "../plan/labels.js";
import { type ComposeContext, ComposeError, EXIT, event } from "./context.js";

export async function imageId(ctx: ComposeContext, ref: string): Promise<string | undefined> {
  try {
    return (await images.inspect(ctx.client, ref)).Id;
  } catch (err) {
    if (isKind(err, "not-found")) return undefined;
    throw err;
  }
}

/** Builds a service's image; the error carries the builder's message and the last lines it printed. */
export async function buildService(
  ctx: ComposeContext,
  service: string,
  opts: { noCache?: boolean; pull?: boolean } = {},
) {
  const svc = ctx.project.services[service]!;
  const b = svc.build;
  if (!b) throw new BerthError("invalid-argument", `service "${service}" has no build section`);
  if (!ctx.contextTar) throw new BerthError("internal", "no build context packer configured");
  if (/^[a-z]+:\/\//.test(b.context) || b.context.startsWith("git@"))
    throw new BerthError(
      "invalid-argument",
      `service "${service}": remote build contexts are not supported (${b.context})`,
    );
  const tag = imageName(ctx.project.name, service, svc);
  ctx.progress(event("Service", service, "Building"));
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(b.args ?? {})) if (v !== null && v !== undefined) args[k] = v;
  const dockerfile = b.dockerfile
    ? path.isAbsolute(b.dockerfile)
      ? path.relative(b.context, b.dockerfile)
      : b.dockerfile
    : undefined;
  const recent: string[] = [];
  const remember = (text: string) => {
    for (const line of text.split("\n")) if (line.trim() !== "") recent.push(line);
    if (recent.length > 15) recent.splice(0, recent.length - 15);
  };
  let built = false;
  for await (const msg of buildImage(ctx.client, ctx.contextTar(b.context), {
    tags: [tag, ...(b.tags ?? [])],
    dockerfile,
    buildArgs: args,
    labels: { ...(b.labels ?? {}), ...projectLabels(ctx.project), [L.service]: service },
    target: b.target,
    noCache: opts.noCache || b.no_cache,
    pull: opts.pull || b.pull,
    ...(ctx.allCredentials ? { registryConfig: await ctx.allCredentials() } : {}),
  })) {
    if (msg.stream) {
      ctx.buildOutput?.(msg.stream);
      remember(msg.stream);
    }
    if (msg.aux && typeof msg.aux.ID === "string") built = true;
    if (msg.error || msg.errorDetail) {
      const why = msg.errorDetail?.message ?? msg.error ?? "unknown error";
      throw new ComposeError(
        "failed-precondition",
        `failed to build service "${service}": ${why}${recent.length ? `\nlast build output:\n    ${recent.join("\n    ")}` : ""}`,
        EXIT.build,
      );
    }
  }
  void built;
  ctx.progress(event("Service", service, "Built"));
  return tag;
}

/** Pulls an image; a failure says which service needed it. */
export async function pullImage(ctx: ComposeContext, service: string, ref: string): Promise<void> {
  ctx.progress(event("Image", ref, "Pulling"));
  const at = ref.lastIndexOf(":");
  const slash = ref.lastIndexOf("/");
  const [fromImage, tag] =
    ref.includes("@") || at <= slash ? [ref, undefined] : [ref.slice(0, at), ref.slice(at + 1)];
  try {
    const auth = await ctx.credentials?.(parseReference(ref).domain);
    const stream = pull(ctx.client, { fromImage, tag: tag ?? "latest", ...(auth ? { auth } : {}) });
    for await (const msg of stream) {
      if (msg.error || msg.errorDetail)
        throw new BerthError("failed-precondition", msg.errorDetail?.message ?? msg.error!);
    }
  } catch (err) {
    throw new ComposeError(
      isKind(err, "not-found") ? "not-found" : "failed-precondition",
      `service "${service}" needs image "${ref}", which is not local, and pulling it failed: ${(err as Error).message}`,
      EXIT.pull,
      { cause: err },
    );
  }
  ctx.progress(event("Image", ref, "Pulled"));
}

export interface EnsureImagesOptions {
  /** Build every service that has `build:` (up --build). */
  build?: boolean;
  /** Never build (up --no-build). */
  noBuild?: boolean;
  /** Pull policy override (up --pull). */
  pull?: "always" | "missing" | "never";
}

/**
 * Makes every service's image present, before any container is made (so a failed build leaves no
 * half-created project). Returns service -> image id.
 */
export async function ensureImages(
  ctx: ComposeContext,
  services: readonly string[],
  opts: EnsureImagesOptions = {},
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const service of services) {
    const svc = ctx.project.services[service]!;
    const ref = imageName(ctx.project.name, service, svc);
    const policy = opts.pull ?? svc.pull_policy ?? "missing";
    let id = await imageId(ctx, ref);
    if (svc.build && !opts.noBuild && (opts.build || policy === "build" || !id)) {
      await buildService(ctx, service);
      id = await imageId(ctx, ref);
    } else if (!svc.build && (policy === "always" || (!id && policy !== "never"))) {
      await pullImage(ctx, service, ref);
      id = await imageId(ctx, ref);
    }
    if (!id)
      throw new BerthError(
        "not-found",
        `service "${service}": image "${ref}" is not present${svc.build ? " (build it with --build)" : ""}`,
      );
    ids[service] = id;
  }
  return ids;
}
