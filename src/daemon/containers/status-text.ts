import { humanDuration } from "../../lib/human-duration.js";
import type { ContainerRecord } from "./record.js";

/** The Status column of `docker ps` ("Up 3 minutes (healthy)", "Exited (1) 3 minutes ago"). Pure. */
export function statusText(c: Pick<ContainerRecord, "state" | "health">, now: number): string {
  const s = c.state;
  const since = (t: string) => humanDuration(now - Date.parse(t));
  switch (s.status) {
    case "created":
      return "Created";
    case "running": {
      const health = c.health
        ? ` (${c.health.status === "starting" ? "health: starting" : c.health.status})`
        : "";
      return `Up ${since(s.startedAt)}${health}`;
    }
    case "paused":
      return `Up ${since(s.startedAt)} (Paused)`;
    case "restarting":
      return `Restarting (${s.exitCode}) ${since(s.finishedAt)} ago`;
    case "removing":
      return "Removal In Progress";
    case "dead":
      return "Dead";
    case "exited":
      return `Exited (${s.exitCode}) ${since(s.finishedAt)} ago`;
  }
}
