/**
 * The state of a stage while its steps run (pure): the image so far, its config, the cache key of
 * the last step, and whether a step already missed the cache (everything after it misses too).
 */
import type { ImageConfig } from "../../oci/image-config.js";
import type { StageScope } from "../dockerfile/stage-scope.js";

export interface StageState {
  /** The image the last step made; undefined on scratch before any step. */
  imageId: string | undefined;
  config: ImageConfig;
  key: string;
  missed: boolean;
  /** Why the next step cannot hit the cache when that is known before it runs (a new base image). */
  missReason?: string;
  scope: StageScope;
}

/** The config of an empty image (FROM scratch). */
export function scratchConfig(platform: { os: string; architecture: string }): ImageConfig {
  return {
    architecture: platform.architecture,
    os: platform.os,
    config: {},
    rootfs: { type: "layers", diff_ids: [] },
    history: [],
  };
}

/** The config of the next image: `prev` with `config` and one more history entry (and layer). */
export function nextConfig(
  prev: ImageConfig,
  step: { config: NonNullable<ImageConfig["config"]>; createdBy: string; diffId?: string; created: string },
): ImageConfig {
  const { container: _c, container_config: _cc, ...rest } = prev;
  return {
    ...rest,
    created: step.created,
    config: step.config,
    rootfs: {
      type: "layers",
      diff_ids: step.diffId
        ? [...prev.rootfs.diff_ids, step.diffId as `sha256:${string}`]
        : [...prev.rootfs.diff_ids],
    },
    history: [
      ...(prev.history ?? []),
      {
        created: step.created,
        created_by: step.createdBy,
        ...(step.diffId ? {} : { empty_layer: true }),
      },
    ],
  };
}
