import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { ImageConfig } from "../../oci/image-config.js";
import { BuildCache } from "../cache/cache-store.js";
import type { BuildBackend } from "./backend.js";
import { executeBuild } from "./executor.js";

/** An in-memory backend: images are configs, RUN records its argv and env, layers are never made. */
function fakeBackend(base: ImageConfig) {
  const images = new Map<string, ImageConfig>([["sha256:base", base]]);
  const current = { id: "sha256:base" };
  const runs: { argv: string[]; env: string[] }[] = [];
  let n = 0;
  const backend: BuildBackend = {
    async image(ref) {
      if (ref !== "base") throw new Error(`No such image: ${ref}`);
      return { id: current.id, config: base };
    },
    config: async (id) => images.get(id)!,
    exists: (id) => images.has(id),
    async run(_parent, proc) {
      runs.push({ argv: proc.argv, env: proc.env });
      return { exitCode: proc.argv.includes("false") ? 1 : 0, containerId: "c".repeat(64) };
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

const BASE: ImageConfig = {
  architecture: "amd64",
  os: "linux",
  config: { Env: ["PATH=/bin"] },
  rootfs: { type: "layers", diff_ids: [] },
};

test("executeBuild reuses the cache, explains an ARG change, and records history", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-exec-"));
  try {
    const cache = await BuildCache.open(path.join(dir, "cache"));
    const { backend, runs, images, base } = fakeBackend(BASE);
    const dockerfile = "FROM base\nARG V=1\nENV A=x\nRUN echo $V\n";
    const build = async (buildArgs: Record<string, string>) => {
      let out = "";
      const id = await executeBuild(backend, cache, {
        dockerfile,
        contextDir: dir,
        buildArgs,
        platform: { os: "linux", architecture: "amd64" },
        write: (t) => {
          out += t;
        },
      });
      return { id, out };
    };
    const first = await build({});
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0]!.argv, ["/bin/sh", "-c", "echo $V"]);
    assert.ok(runs[0]!.env.includes("V=1") && runs[0]!.env.includes("A=x"));
    const history = images.get(first.id)!.history!.map((h) => h.created_by);
    assert.deepEqual(history, [
      "/bin/sh -c #(nop)  ARG V=1",
      "/bin/sh -c #(nop)  ENV A=x",
      "|1 V=1 /bin/sh -c echo $V",
    ]);
    assert.deepEqual(images.get(first.id)!.config!.Env, ["PATH=/bin", "A=x"]);

    const again = await build({});
    assert.equal(again.id, first.id);
    assert.equal(runs.length, 1);
    assert.equal(again.out.match(/Using cache/g)?.length, 3);

    const changed = await build({ V: "2" });
    assert.match(changed.out, /Cache miss: ARG V=1 — ARG V changed from 1 to 2/);
    assert.match(changed.out, /Cache miss: ENV A=x — previous step missed/);
    assert.equal(runs.length, 2);

    base.id = "sha256:newbase";
    images.set(base.id, BASE);
    const rebased = await build({});
    assert.match(rebased.out, /Cache miss: ARG V=1 — base image base changed \(was base\)/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test("executeBuild reports a failing RUN with Docker's message", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-exec-"));
  try {
    const cache = await BuildCache.open(path.join(dir, "cache"));
    const { backend } = fakeBackend(BASE);
    await assert.rejects(
      executeBuild(backend, cache, {
        dockerfile: "FROM base\nRUN false\n",
        contextDir: dir,
        platform: { os: "linux", architecture: "amd64" },
        write: () => {},
      }),
      /The command '\/bin\/sh -c false' returned a non-zero code: 1/,
    );
    await assert.rejects(
      executeBuild(backend, cache, {
        dockerfile: "FROM missing\n",
        contextDir: dir,
        platform: { os: "linux", architecture: "amd64" },
        write: () => {},
      }),
      /No such image: missing/,
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
