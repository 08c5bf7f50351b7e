import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { ImageConfig } from "../../oci/image-config.js";
import { BuildCache } from "../cache/cache-store.js";
import { fakeBackend } from "./_testing-backend.js";
import { executeBuild } from "./executor.js";

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
