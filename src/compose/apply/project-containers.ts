/** The containers of a project, found by their com.docker.compose.project label. */
import type { ApiClient } from "../../api/client/client.js";
import { list } from "../../api/client/containers.js";
import type { ContainerSummary } from "../../api/types/containers.js";
import { L } from "../plan/labels.js";

export interface ProjectContainerQuery {
  /** Include stopped containers. */
  all?: boolean;
  /** Only these services (all when empty). */
  services?: readonly string[];
  /** true: only one-off (`run`) containers; false: none of them; undefined: both. */
  oneoff?: boolean;
}

export async function projectContainers(
  client: ApiClient,
  project: string,
  q: ProjectContainerQuery = {},
): Promise<ContainerSummary[]> {
  const label = [`${L.project}=${project}`];
  if (q.oneoff !== undefined) label.push(`${L.oneoff}=${q.oneoff ? "True" : "False"}`);
  const found = await list(client, { all: q.all, filters: { label } });
  const wanted = q.services && q.services.length > 0 ? new Set(q.services) : undefined;
  return found
    .filter((c) => c.Labels[L.project] === project)
    .filter((c) => !wanted || wanted.has(c.Labels[L.service] ?? ""))
    .sort(
      (a, b) =>
        (a.Labels[L.service] ?? "").localeCompare(b.Labels[L.service] ?? "") ||
        Number(a.Labels[L.number] ?? 0) - Number(b.Labels[L.number] ?? 0),
    );
}

/** A container's name without the leading slash. */
export function nameOf(c: Pick<ContainerSummary, "Names" | "Id">): string {
  return (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, "");
}
