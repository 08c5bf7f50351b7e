import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { ImageConfig } from "../../oci/image-config.js";
import { BuildCache } from "../cache/cache-store.js";
import { fakeBackend } from "./_testing-backend.js";
import { executeBuild } from "./executor.js";
import { heredocRunArgv } from "./run-heredoc.js";

const BASE: ImageConfig = {
  architecture: "amd64",
  os: "linux",
  config: { Env: ["PATH=/bin"] },
  rootfs: { type: "layers", diff_ids: [] },
};

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-run-"));
  try {
    await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

test("heredocRunArgv: a lone heredoc is the script; several go to the shell with their bodies", () => {
  const sh = ["/bin/sh", "-c"];
  const file = (name: string, data: string, o: { chomp?: boolean; expand?: boolean } = {}) => ({
    name,
    data,
    chomp: o.chomp ?? false,
    expand: o.expand ?? true,
    fileDescriptor: 0,
  });
  assert.deepEqual(heredocRunArgv(["<<EOF"], [file("EOF", "echo a\necho b\n")], sh).argv, [
    "/bin/sh",
    "-c",
    "echo a\necho b\n",
  ]);
  assert.deepEqual(heredocRunArgv(["<<-EOF"], [file("EOF", "\techo a\n", { chomp: true })], sh).argv, [
    "/bin/sh",
    "-c",
    "echo a\n",
  ]);
  const script = heredocRunArgv(["<<EOF"], [file("EOF", "#!/bin/busybox sh\necho hi\n")], sh);
  assert.deepEqual(script.argv, ["/dev/pipes/EOF"]);
  assert.equal(script.script?.data, "#!/bin/busybox sh\necho hi\n");
  const two = heredocRunArgv(
    ["cat <<A >/a && cat <<-'B' >/b"],
    [file("A", "$X\n"), file("B", "\tz\n", { chomp: true, expand: false })],
    sh,
  );
  assert.deepEqual(two.argv, ["/bin/sh", "-c", "cat <<A >/a && cat <<-'B' >/b\n$X\nA\n\tz\nB\n"]);
});

test("RUN --mount: cache, tmpfs, secret (file and env), context bind with .dockerignore; --network", async () => {
  await withDir(async (dir) => {
    const ctx = path.join(dir, "ctx");
    await fs.mkdir(path.join(ctx, "src"), { recursive: true });
    await fs.writeFile(path.join(ctx, "src", "a.txt"), "a");
    await fs.writeFile(path.join(ctx, "src", "ignored.txt"), "x");
    const cache = await BuildCache.open(path.join(dir, "cache"));
    const { backend, runs } = fakeBackend(BASE, path.join(dir, "mounts"));
    const dockerfile = [
      "FROM base",
      "WORKDIR /w",
      "RUN --mount=type=cache,target=.cache,sharing=locked --mount=type=tmpfs,target=/t,size=1m \\",
      "    --mount=type=secret,id=tok --mount=type=secret,id=tok,env=TOKEN \\",
      "    --mount=type=bind,source=src,target=/src --network=none true",
      "RUN --mount=type=secret,id=absent true",
      "",
    ].join("\n");
    const build = (secrets: Record<string, Buffer>) =>
      executeBuild(backend, cache, {
        dockerfile,
        contextDir: ctx,
        exclude: (rel) => rel === "src/ignored.txt",
        platform: { os: "linux", architecture: "amd64" },
        scratchDir: dir,
        secrets,
        write: () => {},
      });
    await build({ tok: Buffer.from("s3cret") });
    const r = runs[0]!;
    assert.equal(r.network, "none");
    const byTarget = new Map(r.mounts.map((m) => [m.target, m]));
    assert.equal(byTarget.get("/w/.cache")?.source, path.join(dir, "mounts", "_w_.cache"));
    assert.equal(byTarget.get("/w/.cache")?.readOnly, false);
    assert.deepEqual(byTarget.get("/t"), {
      type: "tmpfs",
      target: "/t",
      readOnly: false,
      sizeBytes: 2 ** 20,
    });
    assert.equal(r.files["/run/secrets/tok"], "s3cret");
    assert.ok(r.env.includes("TOKEN=s3cret"));
    assert.equal(byTarget.get("/src")?.readOnly, true);
    assert.deepEqual(
      Object.keys(r.files).filter((k) => k.startsWith("/src/")),
      ["/src/a.txt"],
    );
    // The scratch copies are gone once the step is over.
    assert.deepEqual((await fs.readdir(dir)).sort(), ["cache", "ctx", "mounts"]);
    // The secret's value is not part of the cache key: another value still hits.
    const before = runs.length;
    await build({ tok: Buffer.from("other") });
    assert.equal(runs.length, before);
    // A changed file under a bind mount misses.
    await fs.writeFile(path.join(ctx, "src", "a.txt"), "b");
    await build({ tok: Buffer.from("s3cret") });
    assert.equal(runs.length, before + 2);
  });
});

test("RUN --mount=type=secret,required fails without the secret and names the flag", async () => {
  await withDir(async (dir) => {
    const cache = await BuildCache.open(path.join(dir, "cache"));
    const { backend } = fakeBackend(BASE);
    await assert.rejects(
      executeBuild(backend, cache, {
        dockerfile: "FROM base\nRUN --mount=type=secret,id=npm,required true\n",
        contextDir: dir,
        platform: { os: "linux", architecture: "amd64" },
        write: () => {},
      }),
      /secret npm is required but was not provided \(berth build --secret id=npm,src=FILE\)/,
    );
  });
});

test("ONBUILD triggers of the base image run right after FROM and are not inherited", async () => {
  await withDir(async (dir) => {
    const cache = await BuildCache.open(path.join(dir, "cache"));
    const base: ImageConfig = {
      ...BASE,
      config: { ...BASE.config, OnBuild: ["RUN echo trigger", "ENV T=1"] },
    };
    const { backend, runs, images } = fakeBackend(base);
    let out = "";
    const id = await executeBuild(backend, cache, {
      dockerfile: "FROM base\nRUN echo own\n",
      contextDir: dir,
      platform: { os: "linux", architecture: "amd64" },
      write: (t) => {
        out += t;
      },
    });
    assert.match(out, /# Executing 2 build triggers/);
    assert.deepEqual(
      runs.map((r) => r.argv.at(-1)),
      ["echo trigger", "echo own"],
    );
    const cfg = images.get(id)!.config!;
    assert.equal(cfg.OnBuild, undefined);
    assert.ok(cfg.Env?.includes("T=1"));
  });
});

test("--explain prints every step's decision; independent stages keep their output in order", async () => {
  await withDir(async (dir) => {
    const cache = await BuildCache.open(path.join(dir, "cache"));
    const { backend } = fakeBackend(BASE);
    const dockerfile = [
      "FROM base AS a",
      "RUN echo a",
      "FROM base AS b",
      "RUN echo b",
      "FROM base",
      "COPY --from=a /x /x",
      "COPY --from=b /y /y",
      "",
    ].join("\n");
    const build = async () => {
      let out = "";
      await executeBuild(backend, cache, {
        dockerfile,
        contextDir: dir,
        platform: { os: "linux", architecture: "amd64" },
        explain: true,
        write: (t) => {
          out += t;
        },
      });
      return out;
    };
    const out = await build();
    const steps = [...out.matchAll(/^Step (\d+)\/7/gm)].map((m) => Number(m[1]));
    assert.deepEqual(steps.slice(0, 4), [1, 2, 3, 4]);
    const again = await build();
    const table = again.slice(again.indexOf("Cache decisions:"));
    assert.match(table, /^1\/7\s+FROM base AS a\s+base/m);
    assert.match(table, /^2\/7\s+RUN echo a\s+cached\s+[0-9a-f]{12}\s+parent=/m);
    assert.match(table, /^4\/7\s+RUN echo b\s+cached/m);
  });
});

test("independent stages run at the same time; the output still reads in stage order", async () => {
  await withDir(async (dir) => {
    const cache = await BuildCache.open(path.join(dir, "cache"));
    const { backend } = fakeBackend(BASE);
    const run = backend.run.bind(backend);
    let startedB: () => void = () => {};
    const bStarted = new Promise<void>((r) => {
      startedB = r;
    });
    backend.run = async (parent, proc) => {
      if (proc.argv.at(-1) === "echo b") startedB();
      if (proc.argv.at(-1) === "echo a") {
        // Stage a's RUN only finishes once stage b's RUN has started: sequential stages never would.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("stage b did not start while stage a ran")), 5000);
        });
        await Promise.race([bStarted, late]).finally(() => clearTimeout(timer));
        proc.output(Buffer.from("out-a\n"));
      }
      return run(parent, proc);
    };
    let out = "";
    await executeBuild(backend, cache, {
      dockerfile: "FROM base AS a\nRUN echo a\nFROM base AS b\nRUN echo b\nFROM base\nRUN echo final\n",
      target: "",
      contextDir: dir,
      platform: { os: "linux", architecture: "amd64" },
      write: (t) => {
        out += t;
      },
    });
    // The final stage does not use a or b: only it is built.
    assert.doesNotMatch(out, /echo a/);
    const id = await executeBuild(backend, cache, {
      dockerfile: "FROM base AS a\nRUN echo a\nFROM base AS b\nRUN echo b\nFROM a\nCOPY --from=b /x /x\n",
      contextDir: dir,
      platform: { os: "linux", architecture: "amd64" },
      write: (t) => {
        out += t;
      },
    });
    assert.match(id, /^sha256:/);
    const a = out.indexOf("Step 2/6 : RUN echo a");
    assert.ok(
      a >= 0 && a < out.indexOf("out-a") && out.indexOf("out-a") < out.indexOf("Step 3/6 : FROM base AS b"),
      out,
    );
  });
});
