/**
 * A project rebuilt from what its objects' labels say, for commands given only `-p NAME` (no compose
 * file): `down -p demo`, `ps -p demo`, as Docker Compose allows.
 */
import type { ApiClient } from "../../api/client/client.js";
import * as volumes from "../../api/client/volumes.js";
import type { Project } from "../model.js";
import { L } from "../plan/labels.js";
import { projectContainers } from "./project-containers.js";
import { labelledNetworks } from "./resources.js";

export async function projectFromLabels(
  client: ApiClient,
  name: string,
): Promise<{ project: Project; workingDir: string; configFiles: string[] }> {
  const list = await projectContainers(client, name, { all: true });
  const project: Project = { name, services: {}, networks: {}, volumes: {} };
  let workingDir = "";
  let configFiles: string[] = [];
  for (const c of list) {
    const svc = c.Labels[L.service];
    if (!svc || c.Labels[L.oneoff] === "True") continue;
    project.services[svc] ??= { image: c.Image };
    workingDir ||= c.Labels[L.workingDir] ?? "";
    if (configFiles.length === 0 && c.Labels[L.configFiles])
      configFiles = c.Labels[L.configFiles]!.split(",");
  }
  for (const n of await labelledNetworks(client, name)) {
    project.networks![n.Labels[L.network] ?? n.Name] = { name: n.Name };
  }
  const vols = await volumes.list(client, { filters: { label: [`${L.project}=${name}`] } });
  for (const v of vols.Volumes ?? []) {
    if (v.Labels?.[L.project] === name) project.volumes![v.Labels?.[L.volume] ?? v.Name] = { name: v.Name };
  }
  return { project, workingDir, configFiles };
}
