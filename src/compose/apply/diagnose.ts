/**
 * Why a container failed, in words: its last healthcheck output, or its exit code and the last lines
 * of its log. Docker Compose says "dependency failed to start"; berth says what the dependency said.
 */
import type { ApiClient } from "../../api/client/client.js";
import { inspect, logs } from "../../api/client/containers.js";
import type { ContainerInspect } from "../../api/types/containers.js";
import { demultiplex } from "../../api/types/stdcopy.js";

export async function logTail(client: ApiClient, id: string, lines = 10): Promise<string> {
  try {
    const c = await inspect(client, id);
    const res = await logs(client, id, { tail: String(lines) });
    const chunks: Buffer[] = [];
    if (c.Config.Tty) for await (const chunk of res) chunks.push(chunk as Buffer);
    else for await (const f of demultiplex(res)) chunks.push(Buffer.from(f.data));
    return Buffer.concat(chunks).toString("utf8").trimEnd();
  } catch {
    return "";
  }
}

export function lastHealthOutput(c: ContainerInspect): string | undefined {
  const log = c.State.Health?.Log ?? [];
  const last = log[log.length - 1];
  if (!last) return undefined;
  return `healthcheck exit code ${last.ExitCode}: ${last.Output.trim() || "(no output)"}`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

/** "exited with code 3; last log lines:\n    ..." */
export async function explainExit(client: ApiClient, c: ContainerInspect): Promise<string> {
  const tail = await logTail(client, c.Id);
  const code = `exited with code ${c.State.ExitCode}${c.State.OOMKilled ? " (out of memory)" : ""}`;
  const err = c.State.Error ? ` (${c.State.Error})` : "";
  return tail ? `${code}${err}; last log lines:\n${indent(tail)}` : `${code}${err} and logged nothing`;
}

export function explainUnhealthy(c: ContainerInspect): string {
  const health = lastHealthOutput(c);
  return `is unhealthy${health ? ` (${health})` : ""}`;
}
