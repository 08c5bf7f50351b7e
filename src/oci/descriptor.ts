/**
 * Content descriptors: the typed pointer (media type + digest + size) that links manifests, indexes,
 * configs and layers. See specs/oci-image-spec/descriptor.md.
 */
import type { Digest } from "../lib/digest.js";
import type { Checker } from "./_validate.js";
import type { Platform } from "./platform.js";

export type { Platform } from "./platform.js";

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  /** Size in bytes of the referenced content. */
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  /** Only meaningful for entries of an image index. */
  platform?: Platform;
  /** Base64 of the referenced content, embedded. */
  data?: string;
  artifactType?: string;
}

/** Validates a descriptor-shaped JSON value at `path`; returns a copy holding only known fields. */
export function checkDescriptor(c: Checker, v: unknown, path: string): Descriptor {
  const o = c.object(v, path);
  const d: Descriptor = {
    mediaType: c.string(o.mediaType, `${path}.mediaType`),
    digest: c.digest(o.digest, `${path}.digest`),
    size: c.integer(o.size, `${path}.size`),
  };
  if (d.mediaType === "") throw c.fail(`${path}.mediaType must not be empty`);
  const urls = c.optStringArray(o.urls, `${path}.urls`);
  if (urls !== undefined) d.urls = urls;
  const annotations = c.optStringMap(o.annotations, `${path}.annotations`);
  if (annotations !== undefined) d.annotations = annotations;
  if (o.platform !== undefined && o.platform !== null)
    d.platform = checkPlatform(c, o.platform, `${path}.platform`);
  const data = c.optString(o.data, `${path}.data`);
  if (data !== undefined) d.data = data;
  const artifactType = c.optString(o.artifactType, `${path}.artifactType`);
  if (artifactType !== undefined) d.artifactType = artifactType;
  return d;
}

export function checkPlatform(c: Checker, v: unknown, path: string): Platform {
  const o = c.object(v, path);
  const p: Platform = {
    architecture: c.string(o.architecture, `${path}.architecture`),
    os: c.string(o.os, `${path}.os`),
  };
  const osVersion = c.optString(o["os.version"], `${path}["os.version"]`);
  if (osVersion !== undefined) p["os.version"] = osVersion;
  const osFeatures = c.optStringArray(o["os.features"], `${path}["os.features"]`);
  if (osFeatures !== undefined) p["os.features"] = osFeatures;
  const variant = c.optString(o.variant, `${path}.variant`);
  if (variant !== undefined) p.variant = variant;
  const features = c.optStringArray(o.features, `${path}.features`);
  if (features !== undefined) p.features = features;
  return p;
}
