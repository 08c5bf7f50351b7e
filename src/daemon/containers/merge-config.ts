import type { ContainerConfig } from "../../api/types/containers.js";
import type { ContainerConfig as ImageContainerConfig } from "../../oci/image-config.js";

/**
 * The container's config as Docker stores and shows it: the create request with the image's
 * defaults filled in (moby daemon/commit.go merge). Pure.
 */
export function mergeImageConfig(user: ContainerConfig, image: ImageContainerConfig = {}): ContainerConfig {
  const out: ContainerConfig = structuredClone(user);
  if (!out.User) out.User = image.User ?? "";
  if (image.ExposedPorts) out.ExposedPorts = { ...image.ExposedPorts, ...(out.ExposedPorts ?? {}) };
  if (!out.Env || out.Env.length === 0) {
    out.Env = [...(image.Env ?? [])];
  } else {
    const keys = new Set(out.Env.map((e) => e.split("=", 1)[0]));
    for (const e of image.Env ?? []) if (!keys.has(e.split("=", 1)[0])) out.Env.push(e);
  }
  if (image.Labels) out.Labels = { ...image.Labels, ...(out.Labels ?? {}) };
  if (!out.Entrypoint || out.Entrypoint.length === 0) {
    if (!out.Cmd || out.Cmd.length === 0) {
      out.Cmd = image.Cmd ? [...image.Cmd] : null;
      if (image.ArgsEscaped) out.ArgsEscaped = true;
    }
    if (out.Entrypoint === undefined || out.Entrypoint === null)
      out.Entrypoint = image.Entrypoint ? [...image.Entrypoint] : null;
  }
  if (out.Entrypoint && out.Entrypoint.length === 1 && out.Entrypoint[0] === "") out.Entrypoint = null; // --entrypoint ""
  if (!out.WorkingDir) out.WorkingDir = image.WorkingDir ?? "";
  if (image.Volumes) out.Volumes = { ...image.Volumes, ...(out.Volumes ?? {}) };
  if (!out.StopSignal && image.StopSignal) out.StopSignal = image.StopSignal;
  if (image.Healthcheck) {
    const h = out.Healthcheck;
    if (!h) out.Healthcheck = { ...image.Healthcheck };
    else {
      out.Healthcheck = {
        ...h,
        Test: h.Test && h.Test.length > 0 ? h.Test : image.Healthcheck.Test,
        Interval: h.Interval || image.Healthcheck.Interval,
        Timeout: h.Timeout || image.Healthcheck.Timeout,
        StartPeriod: h.StartPeriod || image.Healthcheck.StartPeriod,
        StartInterval: h.StartInterval || image.Healthcheck.StartInterval,
        Retries: h.Retries || image.Healthcheck.Retries,
      };
    }
  }
  if (!out.OnBuild && image.OnBuild) out.OnBuild = image.OnBuild;
  if (!out.Shell && image.Shell) out.Shell = image.Shell;
  return out;
}

/** Docker's entrypoint + args (moby getEntrypointAndArgs); an empty command is an error upstream. */
export function entrypointAndArgs(cfg: ContainerConfig): string[] {
  return [...(cfg.Entrypoint ?? []), ...(cfg.Cmd ?? [])];
}
