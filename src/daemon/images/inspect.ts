import type { HistoryItem, ImageInspect } from "../../api/types/images.js";
import { chainIds } from "../../image/chain-id.js";
import { imageFindings } from "../../image/findings.js";
import { historyWithLayers } from "../../oci/image-config.js";
import { familiarString, parseReference } from "../../oci/reference.js";
import { type ImageDeps, imageConfig, imageSize } from "./deps.js";

/** `docker image inspect`. */
export async function inspectImage(deps: ImageDeps, name: string): Promise<ImageInspect> {
  const img = deps.store.resolve(name);
  const cfg = await imageConfig(deps, img.id);
  const size = imageSize(deps, img.chain);
  const c = cfg.config ?? {};
  const top = img.chain.length ? deps.snapshots.dir(img.chain[img.chain.length - 1]!) : "";
  return {
    Id: img.id,
    RepoTags: deps.store.tagsOf(img.id).map((t) => familiarString(parseReference(t))),
    RepoDigests: img.repoDigests.map((d) => familiarString(parseReference(d))),
    Parent: img.parent ?? "",
    Comment: cfg.comment ?? "",
    Created: cfg.created ?? img.addedAt,
    DockerVersion: cfg.docker_version ?? "",
    Author: cfg.author ?? "",
    Config: {
      Hostname: "",
      Domainname: "",
      User: c.User ?? "",
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ...(c.ExposedPorts ? { ExposedPorts: c.ExposedPorts } : {}),
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: c.Env ?? null,
      Cmd: c.Cmd ?? null,
      ...(c.Healthcheck ? { Healthcheck: c.Healthcheck } : {}),
      ...(c.ArgsEscaped ? { ArgsEscaped: true } : {}),
      Image: "",
      Volumes: c.Volumes ?? null,
      WorkingDir: c.WorkingDir ?? "",
      Entrypoint: c.Entrypoint ?? null,
      OnBuild: c.OnBuild ?? null,
      Labels: c.Labels ?? null,
      ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
      ...(c.Shell ? { Shell: c.Shell } : {}),
    },
    Architecture: cfg.architecture,
    ...(cfg.variant ? { Variant: cfg.variant } : {}),
    Os: cfg.os,
    Size: size,
    VirtualSize: size,
    GraphDriver: { Name: "overlayfs", Data: top ? { UpperDir: top } : null },
    RootFS: { Type: "layers", Layers: cfg.rootfs.diff_ids },
    Metadata: { LastTagTime: img.lastTagTime ?? "0001-01-01T00:00:00Z" },
    BerthReport: imageFindings(cfg),
  };
}

/** `docker history`: newest step first, with the size each step added. */
export async function imageHistory(deps: ImageDeps, name: string): Promise<HistoryItem[]> {
  const img = deps.store.resolve(name);
  const cfg = await imageConfig(deps, img.id);
  const entries = historyWithLayers(cfg);
  const chains = chainIds(cfg.rootfs.diff_ids);
  let layer = 0;
  const items: HistoryItem[] = entries.map((e) => {
    const size = e.diffId ? (deps.store.layer(chains[layer++]!)?.size ?? 0) : 0;
    return {
      Id: "<missing>",
      Created: Math.floor(Date.parse(e.history.created ?? cfg.created ?? img.addedAt) / 1000) || 0,
      CreatedBy: e.history.created_by ?? "",
      Tags: null,
      Size: size,
      Comment: e.history.comment ?? "",
    };
  });
  items.reverse();
  if (items[0]) {
    items[0].Id = img.id;
    const tags = deps.store.tagsOf(img.id).map((t) => familiarString(parseReference(t)));
    items[0].Tags = tags.length ? tags : null;
  }
  return items;
}
