/**
 * The image config `docker commit` writes (pure), as moby's CreateImageFromContainer does:
 *
 *   config  = (request body config, else the container's config) + `--change` instructions,
 *             then merged with the container's config for whatever is still empty;
 *   image   = the container's image config with that config, a new history entry (created_by is
 *             the container's Cmd joined with spaces) and the new layer's diff id (none when the
 *             layer is empty: the history entry is then an empty_layer one).
 */
import type { ContainerConfig as ApiContainerConfig } from "../../api/types/containers.js";
import { applyChanges } from "../../image/changes.js";
import type { Digest } from "../../lib/digest.js";
import type { ContainerConfig, History, ImageConfig } from "../../oci/image-config.js";

/** The image-config subset of a container config (what an image can carry). */
export function imageContainerConfig(c: ApiContainerConfig): ContainerConfig {
  const out: ContainerConfig = {};
  if (c.User) out.User = c.User;
  if (c.ExposedPorts && Object.keys(c.ExposedPorts).length > 0) {
    out.ExposedPorts = Object.fromEntries(Object.keys(c.ExposedPorts).map((k) => [k, {}]));
  }
  if (c.Env?.length) out.Env = [...c.Env];
  if (c.Entrypoint?.length) out.Entrypoint = [...c.Entrypoint];
  if (c.Cmd?.length) out.Cmd = [...c.Cmd];
  if (c.Volumes && Object.keys(c.Volumes).length > 0) {
    out.Volumes = Object.fromEntries(Object.keys(c.Volumes).map((k) => [k, {}]));
  }
  if (c.WorkingDir) out.WorkingDir = c.WorkingDir;
  if (c.Labels && Object.keys(c.Labels).length > 0) out.Labels = { ...c.Labels };
  if (c.StopSignal) out.StopSignal = c.StopSignal;
  if (c.ArgsEscaped) out.ArgsEscaped = true;
  if (c.Healthcheck) out.Healthcheck = { ...c.Healthcheck };
  if (c.Shell?.length) out.Shell = [...c.Shell];
  if (c.OnBuild?.length) out.OnBuild = [...c.OnBuild];
  return out;
}

const envKey = (e: string) => e.split("=", 1)[0]!;

/** moby daemon/commit.go merge(): fills what `user` leaves empty from `base`. */
export function mergeCommitConfig(user: ContainerConfig, base: ContainerConfig): ContainerConfig {
  const out: ContainerConfig = structuredClone(user);
  if (!out.User && base.User) out.User = base.User;
  if (base.ExposedPorts) out.ExposedPorts = { ...base.ExposedPorts, ...(out.ExposedPorts ?? {}) };
  if (!out.Env?.length) {
    if (base.Env) out.Env = [...base.Env];
  } else {
    const keys = new Set(out.Env.map(envKey));
    out.Env = [...out.Env, ...(base.Env ?? []).filter((e) => !keys.has(envKey(e)))];
  }
  if (base.Labels) out.Labels = { ...base.Labels, ...(out.Labels ?? {}) };
  if (!out.Entrypoint?.length) {
    if (!out.Cmd?.length) {
      if (base.Cmd) out.Cmd = [...base.Cmd];
      if (base.ArgsEscaped) out.ArgsEscaped = true;
    }
    if (out.Entrypoint === undefined && base.Entrypoint) out.Entrypoint = [...base.Entrypoint];
  }
  if (base.Healthcheck) {
    const h = out.Healthcheck;
    const b = base.Healthcheck;
    out.Healthcheck = h
      ? {
          ...h,
          Test: h.Test?.length ? h.Test : b.Test,
          Interval: h.Interval || b.Interval,
          Timeout: h.Timeout || b.Timeout,
          StartPeriod: h.StartPeriod || b.StartPeriod,
          StartInterval: h.StartInterval || b.StartInterval,
          Retries: h.Retries || b.Retries,
        }
      : { ...b };
  }
  if (!out.WorkingDir && base.WorkingDir) out.WorkingDir = base.WorkingDir;
  if (base.Volumes) out.Volumes = { ...(out.Volumes ?? {}), ...base.Volumes };
  if (!out.StopSignal && base.StopSignal) out.StopSignal = base.StopSignal;
  return out;
}

/** The container config of the committed image: body (or the container's), changes, merge. */
export function commitContainerConfig(opts: {
  container: ApiContainerConfig;
  body?: ApiContainerConfig | undefined;
  changes: readonly string[];
}): ContainerConfig {
  const user = imageContainerConfig(opts.body ?? opts.container);
  const scratch: ImageConfig = { architecture: "", os: "", rootfs: { type: "layers", diff_ids: [] } };
  const changed = applyChanges({ ...scratch, config: user }, opts.changes).config ?? {};
  return mergeCommitConfig(changed, imageContainerConfig(opts.container));
}

export interface CommittedConfigInput {
  base: ImageConfig;
  config: ContainerConfig;
  /** Undefined when the container's layer holds no changes. */
  diffId: Digest | undefined;
  containerId: string;
  /** The container's Cmd: the history entry's created_by. */
  cmd: readonly string[];
  author?: string | undefined;
  comment?: string | undefined;
  /** RFC 3339. */
  created: string;
}

/** The new image's config: the base image's, with the commit's config, history and layer. */
export function committedImageConfig(i: CommittedConfigInput): ImageConfig {
  const history: History = { created: i.created, created_by: i.cmd.join(" ") };
  if (i.author) history.author = i.author;
  if (i.comment) history.comment = i.comment;
  if (!i.diffId) history.empty_layer = true;
  const out: ImageConfig = {
    ...structuredClone(i.base),
    created: i.created,
    config: i.config,
    container: i.containerId,
    rootfs: { type: "layers", diff_ids: [...i.base.rootfs.diff_ids, ...(i.diffId ? [i.diffId] : [])] },
    history: [...(i.base.history ?? []), history],
  };
  delete out.container_config;
  delete out.author;
  delete out.comment;
  if (i.author) out.author = i.author;
  if (i.comment) out.comment = i.comment;
  return out;
}
