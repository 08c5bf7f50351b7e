/**
 * `extends`: a service starts from another service (in the same file or in `file:`) and merges its
 * own attributes on top with the merge rules. Paths of a service taken from another file are
 * resolved against that file's directory. Loops are reported with their chain.
 */
import { composeError } from "./errors.js";
import { isPlainObject } from "./interpolate.js";
import { mergeDocuments } from "./merge.js";
import type { ParsedFile } from "./parse-file.js";
import { dirname, resolveServicePaths } from "./paths.js";

type Obj = Record<string, unknown>;

export interface ExtendsContext {
  /** Loads (parses, interpolates, validates, canonicalises) another compose file by absolute path. */
  load(file: string): ParsedFile;
  home: string | undefined;
}

/** Returns the file's services with every `extends` resolved. */
export function resolveExtends(file: ParsedFile, ctx: ExtendsContext): Obj {
  const services = isPlainObject(file.dict.services) ? file.dict.services : {};
  const out: Obj = {};
  for (const name of Object.keys(services)) out[name] = resolveOne(file, name, ctx, []);
  return out;
}

function resolveOne(file: ParsedFile, name: string, ctx: ExtendsContext, chain: string[]): Obj {
  const services = (file.dict.services ?? {}) as Obj;
  const svc = services[name];
  const here = `${file.file}#${name}`;
  if (!isPlainObject(svc)) return svc as Obj;
  if (!isPlainObject(svc.extends)) return svc;
  if (chain.includes(here)) {
    const names = [...chain, here].map((c) => c.split("#")[1]).join(" -> ");
    throw composeError(
      { file: file.file, path: ["services", name, "extends"] },
      `circular extends: ${names}`,
    );
  }
  const ext = svc.extends as { service: string; file?: string };
  let baseFile = file;
  if (ext.file !== undefined) {
    const path = ext.file.startsWith("/") ? ext.file : `${dirname(file.file)}/${ext.file}`;
    try {
      baseFile = ctx.load(path);
    } catch (e) {
      throw composeError(
        {
          file: file.file,
          path: ["services", name, "extends", "file"],
          ...file.locate(["services", name, "extends"]),
        },
        `cannot load ${ext.file}: ${(e as Error).message}`,
      );
    }
  }
  const baseServices = (baseFile.dict.services ?? {}) as Obj;
  if (!Object.hasOwn(baseServices, ext.service)) {
    throw composeError(
      { file: file.file, path: ["services", name, "extends"], ...file.locate(["services", name, "extends"]) },
      `cannot extend service "${ext.service}": no such service in ${baseFile.file}`,
    );
  }
  let base = resolveOne(baseFile, ext.service, ctx, [...chain, here]);
  if (baseFile !== file) base = resolveServicePaths(base, dirname(baseFile.file), ctx.home);
  const own: Obj = { ...svc };
  delete own.extends;
  const merged = mergeDocuments({ services: { [name]: base } }, { services: { [name]: own } });
  return (merged.services as Obj)[name] as Obj;
}
