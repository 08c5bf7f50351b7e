/**
 * Which compose files to load when no -f is given: COMPOSE_FILE, else the first directory from the
 * working directory upwards holding compose.yaml, compose.yml, docker-compose.yml or
 * docker-compose.yaml (the first present wins), plus its override file beside it.
 */
import { composeError } from "./errors.js";
import type { FileSource } from "./source.js";
import { dirname, joinPath } from "./volumes.js";

export const CANDIDATES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
const OVERRIDES: Record<string, string[]> = {
  "compose.yaml": ["compose.override.yaml", "compose.override.yml"],
  "compose.yml": ["compose.override.yml", "compose.override.yaml"],
  "docker-compose.yml": ["docker-compose.override.yml", "docker-compose.override.yaml"],
  "docker-compose.yaml": ["docker-compose.override.yaml", "docker-compose.override.yml"],
};

export function findComposeFiles(
  workingDir: string,
  source: FileSource,
  warn: (m: string) => void,
): string[] {
  for (let dir = workingDir; ; dir = dirname(dir)) {
    const present = CANDIDATES.filter((c) => source.read(joinPath(dir, c)) !== undefined);
    if (present.length > 0) {
      const main = present[0]!;
      if (present.length > 1) {
        warn(
          `Found multiple config files with supported names: ${present.map((p) => joinPath(dir, p)).join(", ")}; using ${main}`,
        );
      }
      const override = OVERRIDES[main]!.find((o) => source.read(joinPath(dir, o)) !== undefined);
      return [joinPath(dir, main), ...(override ? [joinPath(dir, override)] : [])];
    }
    if (dir === "/") break;
  }
  throw composeError(
    {},
    `no configuration file provided: not found (looked for ${CANDIDATES.join(", ")} in ${workingDir} and its parents; name one with -f)`,
  );
}
