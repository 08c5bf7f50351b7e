/** Relative paths of a service or resource made absolute against a base directory. */
import { isPlainObject } from "./interpolate.js";
import { dirname, joinPath, resolveHostPath } from "./volumes.js";

type Obj = Record<string, unknown>;

/** A build context that is a URL or git reference stays as it is. */
export function isRemoteContext(ctx: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ctx) || ctx.startsWith("git@") || ctx.startsWith("github.com/");
}

export function resolveServicePaths(svc: Obj, baseDir: string, home: string | undefined): Obj {
  const s: Obj = { ...svc };
  if (isPlainObject(s.build)) {
    const b: Obj = { ...s.build };
    const ctx = String(b.context ?? ".");
    b.context = isRemoteContext(ctx) ? ctx : resolveHostPath(ctx, baseDir, home);
    s.build = b;
  }
  if (Array.isArray(s.volumes)) {
    s.volumes = s.volumes.map((v) => {
      const vol = v as Obj;
      return vol.type === "bind" && typeof vol.source === "string"
        ? { ...vol, source: resolveHostPath(vol.source, baseDir, home) }
        : vol;
    });
  }
  if (Array.isArray(s.env_file)) {
    s.env_file = s.env_file.map((e) => ({
      ...(e as Obj),
      path: resolveHostPath(String((e as Obj).path), baseDir, home),
    }));
  }
  if (isPlainObject(s.extends) && typeof s.extends.file === "string") {
    s.extends = { ...s.extends, file: joinPath(baseDir, s.extends.file) };
  }
  return s;
}

/** `file:` of top-level secrets and configs. */
export function resolveResourcePaths(res: Obj, baseDir: string, home: string | undefined): Obj {
  if (typeof res.file !== "string") return res;
  return { ...res, file: resolveHostPath(res.file, baseDir, home) };
}

export { dirname, joinPath };
