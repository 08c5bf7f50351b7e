/** Test support: an in-memory BuildBackend. */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { ImageConfig } from "../../oci/image-config.js";
import type { BuildBackend, RunMountSpec } from "./backend.js";

/** An in-memory backend: images are configs, RUN records what it got, layers are never made. */
export function fakeBackend(base: ImageConfig, cacheDir = "/nonexistent") {
  const images = new Map<string, ImageConfig>([["sha256:base", base]]);
  const current = { id: "sha256:base" };
  const runs: {
    argv: string[];
    env: string[];
    mounts: RunMountSpec[];
    network: string;
    files: Record<string, string>;
  }[] = [];
  let n = 0;
  const backend: BuildBackend = {
    async image(ref) {
      if (ref !== "base") throw new Error(`No such image: ${ref}`);
      return { id: current.id, config: base };
    },
    config: async (id) => images.get(id)!,
    exists: (id) => images.has(id),
    async run(_parent, proc) {
      // What a mount shows while the process runs (bind sources are gone afterwards).
      const files: Record<string, string> = {};
      for (const m of proc.mounts ?? []) {
        if (m.type !== "bind" || !m.source) continue;
        const st = await fs.stat(m.source);
        if (st.isFile()) files[m.target] = await fs.readFile(m.source, "utf8");
        else for (const n of await fs.readdir(m.source)) files[`${m.target}/${n}`] = "";
      }
      runs.push({
        argv: proc.argv,
        env: proc.env,
        mounts: proc.mounts ?? [],
        network: proc.network ?? "default",
        files,
      });
      return { exitCode: proc.argv.includes("false") ? 1 : 0, containerId: "c".repeat(64) };
    },
    async cacheMount(id) {
      const dir = path.join(cacheDir, id.replace(/\//g, "_"));
      await fs.mkdir(dir, { recursive: true });
      return { dir, release: () => {} };
    },
    mutate: async () => ({ file: "", diffId: "", empty: true }),
    view: (_id, fn) => fn("/nonexistent"),
    async commit({ config }) {
      const id = `sha256:${String(++n).padStart(64, "0")}`;
      images.set(id, config);
      return id;
    },
    tag: async () => {},
  };
  return { backend, runs, images, base: current };
}
