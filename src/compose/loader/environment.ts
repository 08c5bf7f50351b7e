/**
 * A service's final environment: its env_file contents (in order), then its `environment` on top;
 * a variable listed without a value takes the value of the project environment (or stays null).
 * Build args without a value are taken from the project environment the same way.
 */
import { DotenvError, parseDotenv } from "./dotenv.js";
import { composeError } from "./errors.js";
import { isPlainObject } from "./interpolate.js";
import type { FileSource } from "./source.js";

type Obj = Record<string, unknown>;

export function resolveServiceEnvironment(
  name: string,
  svc: Obj,
  env: Record<string, string>,
  source: FileSource,
): Obj {
  const s: Obj = { ...svc };
  const lookup = (k: string) => env[k];
  let environment: Record<string, string | null> = {};
  if (Array.isArray(s.env_file)) {
    for (const [i, ef] of (s.env_file as { path: string; required: boolean }[]).entries()) {
      const text = source.read(ef.path);
      if (text === undefined) {
        if (ef.required) {
          throw composeError(
            { path: ["services", name, "env_file", i] },
            `env file ${ef.path} not found (mark it "required: false" if it is optional)`,
          );
        }
        continue;
      }
      try {
        Object.assign(environment, parseDotenv(text, lookup));
      } catch (e) {
        if (e instanceof DotenvError) throw composeError({ file: ef.path, line: e.line }, e.message);
        throw e;
      }
    }
  }
  if (isPlainObject(s.environment)) {
    for (const [k, v] of Object.entries(s.environment)) {
      environment[k] = v === null ? (env[k] ?? null) : String(v);
    }
  }
  if (s.env_file !== undefined || s.environment !== undefined) {
    environment = Object.fromEntries(Object.entries(environment));
    s.environment = environment;
  }
  if (isPlainObject(s.build) && isPlainObject(s.build.args)) {
    const args: Obj = {};
    for (const [k, v] of Object.entries(s.build.args)) args[k] = v === null ? (env[k] ?? null) : v;
    s.build = { ...s.build, args };
  }
  return s;
}
