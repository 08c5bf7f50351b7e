/**
 * Project name rules: `-p`, then COMPOSE_PROJECT_NAME, then the top-level `name:`, else the project
 * directory's base name normalised (lowercase, only [a-z0-9_-], starting with a letter or digit).
 * Explicit names must already be valid; only the directory name is normalised.
 */
import { invalidArgument } from "../../lib/errors.js";

const VALID = /^[a-z0-9][a-z0-9_-]*$/;

export function normalizeProjectName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "")
    .replace(/^[_-]+/, "");
}

export function checkProjectName(name: string, from: string): string {
  if (!VALID.test(name)) {
    throw invalidArgument(
      `invalid project name ${JSON.stringify(name)} (from ${from}): it must consist only of lowercase alphanumeric characters, hyphens and underscores, and start with a letter or digit`,
    );
  }
  return name;
}

export interface NameSources {
  flag?: string;
  env?: string;
  fileName?: string;
  projectDir: string;
}

export function projectName(src: NameSources): string {
  if (src.flag) return checkProjectName(src.flag, "-p");
  if (src.env) return checkProjectName(src.env, "COMPOSE_PROJECT_NAME");
  if (src.fileName) return checkProjectName(src.fileName, 'the top-level "name:"');
  const base = src.projectDir.split("/").filter(Boolean).at(-1) ?? "";
  const name = normalizeProjectName(base);
  if (name === "") {
    throw invalidArgument(
      `cannot derive a project name from the directory ${JSON.stringify(src.projectDir)}: set one with -p, COMPOSE_PROJECT_NAME or a top-level "name:"`,
    );
  }
  return name;
}
