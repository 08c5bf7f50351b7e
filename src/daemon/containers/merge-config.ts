import type { ContainerConfig } from "../../api/types/containers.js";
import type { ContainerConfig as ImageContainerConfig } from "../../oci/image-config.js";
import { resolveContainerCommand } from "../../runtime/spec/command.js";
import { mergeConfigEnv } from "../../runtime/spec/env.js";

/**
 * The container's config as Docker stores and shows it: the create request with the image's
 * defaults filled in (moby daemon/commit.go merge). Pure. Throws "no command specified" when
 * neither the request nor the image names one.
 */
export function mergeImageConfig(user: ContainerConfig, image: ImageContainerConfig = {}): ContainerConfig {
  const out: ContainerConfig = structuredClone(user);
  if (!out.User) out.User = image.User ?? "";
  if (image.ExposedPorts) out.ExposedPorts = { ...image.ExposedPorts, ...(out.ExposedPorts ?? {}) };
  out.Env = mergeConfigEnv(image.Env ?? [], out.Env ?? []);
  if (image.Labels) out.Labels = { ...image.Labels, ...(out.Labels ?? {}) };
  const cmd = resolveContainerCommand(image, {
    entrypoint: out.Entrypoint ?? undefined,
    cmd: out.Cmd ?? undefined,
  });
  out.Entrypoint = cmd.entrypoint;
  out.Cmd = cmd.cmd;
  if (!user.Cmd?.length && !user.Entrypoint?.length && image.ArgsEscaped) out.ArgsEscaped = true;
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

/** Docker's entrypoint + args (moby getEntrypointAndArgs). */
export function entrypointAndArgs(cfg: ContainerConfig): string[] {
  return [...(cfg.Entrypoint ?? []), ...(cfg.Cmd ?? [])];
}
