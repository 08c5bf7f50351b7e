/**
 * Names and labels of compose-made objects, as Docker Compose v2 sets them, so that Docker's own
 * tools (and docker-compose) recognise berth's projects. (pure)
 */
import type { Project, ProjectMeta, Service } from "../model.js";

export const COMPOSE_VERSION = "2.29.0";

export const L = {
  project: "com.docker.compose.project",
  service: "com.docker.compose.service",
  number: "com.docker.compose.container-number",
  oneoff: "com.docker.compose.oneoff",
  workingDir: "com.docker.compose.project.working_dir",
  configFiles: "com.docker.compose.project.config_files",
  envFile: "com.docker.compose.project.environment_file",
  version: "com.docker.compose.version",
  hash: "com.docker.compose.config-hash",
  dependsOn: "com.docker.compose.depends_on",
  image: "com.docker.compose.image",
  network: "com.docker.compose.network",
  volume: "com.docker.compose.volume",
  /** berth's own: the canonical service JSON the hash was taken of (explains recreations). */
  config: "berth.compose.config",
} as const;

/** `<project>-<service>-<n>`, or the service's container_name. */
export function containerName(project: string, service: string, svc: Service, n: number): string {
  return svc.container_name ?? `${project}-${service}-${n}`;
}

export function oneoffName(project: string, service: string, hex: string): string {
  return `${project}-${service}-run-${hex}`;
}

/** The image a service runs: its `image`, or `<project>-<service>` for a build without one. */
export function imageName(project: string, service: string, svc: Service): string {
  return svc.image ?? `${project}-${service}`;
}

/** `db:service_healthy:false,cache:service_started:false` */
export function dependsOnLabel(svc: Service): string {
  return Object.entries(svc.depends_on ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, d]) => `${name}:${d.condition}:${d.restart === true}`)
    .join(",");
}

export function projectLabels(project: Project): Record<string, string> {
  return { [L.project]: project.name, [L.version]: COMPOSE_VERSION };
}

export interface ContainerLabelInput {
  project: Project;
  meta: Pick<ProjectMeta, "workingDir" | "configFiles">;
  service: string;
  number: number;
  hash: string;
  canonical: string;
  oneoff?: boolean;
  imageId?: string;
}

export function containerLabels(i: ContainerLabelInput): Record<string, string> {
  const svc = i.project.services[i.service]!;
  const labels: Record<string, string> = {
    ...(svc.labels ?? {}),
    ...projectLabels(i.project),
    [L.service]: i.service,
    [L.number]: String(i.number),
    [L.oneoff]: i.oneoff ? "True" : "False",
    [L.workingDir]: i.meta.workingDir,
    [L.configFiles]: i.meta.configFiles.join(","),
    [L.hash]: i.hash,
    [L.dependsOn]: dependsOnLabel(svc),
    [L.config]: i.canonical,
  };
  if (i.imageId) labels[L.image] = i.imageId;
  return labels;
}
