import assert from "node:assert/strict";
import { test } from "node:test";
import type { ImageConfig } from "../../oci/image-config.js";
import {
  commitContainerConfig,
  committedImageConfig,
  imageContainerConfig,
  mergeCommitConfig,
} from "./commit-config.js";

const container = {
  Hostname: "abc",
  User: "",
  Env: ["PATH=/bin", "A=1"],
  Cmd: ["sh", "-c", "touch /x"],
  Entrypoint: null,
  WorkingDir: "/tmp",
  Labels: { l: "1" },
  Tty: false,
};

test("imageContainerConfig keeps only what an image carries and drops empties", () => {
  assert.deepEqual(imageContainerConfig(container), {
    Env: ["PATH=/bin", "A=1"],
    Cmd: ["sh", "-c", "touch /x"],
    WorkingDir: "/tmp",
    Labels: { l: "1" },
  });
});

test("commitContainerConfig without body or changes is the container's config", () => {
  assert.deepEqual(commitContainerConfig({ container, changes: [] }), imageContainerConfig(container));
});

test("commitContainerConfig applies --change over the container's config", () => {
  const cfg = commitContainerConfig({
    container,
    changes: ['CMD ["/bin/sh"]', "ENV B=2", "ENV A=3", "USER nobody"],
  });
  assert.deepEqual(cfg.Cmd, ["/bin/sh"]);
  assert.deepEqual(cfg.Env, ["PATH=/bin", "B=2", "A=3"]);
  assert.equal(cfg.User, "nobody");
  assert.equal(cfg.WorkingDir, "/tmp");
});

test("commitContainerConfig: an empty body takes everything from the container", () => {
  const cfg = commitContainerConfig({ container, body: {}, changes: ["ENV B=2"] });
  assert.deepEqual(cfg.Cmd, ["sh", "-c", "touch /x"]);
  assert.deepEqual(cfg.Env, ["B=2", "PATH=/bin", "A=1"]);
  assert.deepEqual(cfg.Labels, { l: "1" });
});

test("mergeCommitConfig: an entrypoint in the user config keeps the base Cmd out", () => {
  const merged = mergeCommitConfig({ Entrypoint: ["/app"] }, { Cmd: ["serve"], Entrypoint: ["/old"] });
  assert.deepEqual(merged, { Entrypoint: ["/app"] });
  const fromBase = mergeCommitConfig({}, { Cmd: ["serve"], Entrypoint: ["/old"], ArgsEscaped: true });
  assert.deepEqual(fromBase, { Cmd: ["serve"], Entrypoint: ["/old"], ArgsEscaped: true });
});

test("mergeCommitConfig merges ports, labels and volumes, user values first", () => {
  const merged = mergeCommitConfig(
    { ExposedPorts: { "80/tcp": {} }, Labels: { a: "user" } },
    { ExposedPorts: { "443/tcp": {} }, Labels: { a: "base", b: "base" }, Volumes: { "/v": {} } },
  );
  assert.deepEqual(Object.keys(merged.ExposedPorts ?? {}).sort(), ["443/tcp", "80/tcp"]);
  assert.deepEqual(merged.Labels, { a: "user", b: "base" });
  assert.deepEqual(merged.Volumes, { "/v": {} });
});

const base: ImageConfig = {
  architecture: "amd64",
  os: "linux",
  created: "2024-01-01T00:00:00Z",
  config: { Cmd: ["sh"] },
  rootfs: { type: "layers", diff_ids: ["sha256:aa"] },
  history: [{ created: "2024-01-01T00:00:00Z", comment: "Imported from -" }],
  comment: "Imported from -",
};

test("committedImageConfig appends the layer and a history entry", () => {
  const cfg = committedImageConfig({
    base,
    config: { Cmd: ["sh", "-c", "touch /x"] },
    diffId: "sha256:bb",
    containerId: "c1",
    cmd: ["sh", "-c", "touch /x"],
    author: "me",
    comment: "msg",
    created: "2025-01-01T00:00:00Z",
  });
  assert.deepEqual(cfg.rootfs.diff_ids, ["sha256:aa", "sha256:bb"]);
  assert.deepEqual(cfg.history?.[1], {
    created: "2025-01-01T00:00:00Z",
    created_by: "sh -c touch /x",
    author: "me",
    comment: "msg",
  });
  assert.equal(cfg.container, "c1");
  assert.equal(cfg.comment, "msg");
  assert.equal(cfg.author, "me");
  assert.equal(cfg.architecture, "amd64");
  assert.deepEqual(base.rootfs.diff_ids, ["sha256:aa"], "the base is not changed");
});

test("committedImageConfig: an empty layer adds only an empty_layer history entry", () => {
  const cfg = committedImageConfig({
    base,
    config: {},
    diffId: undefined,
    containerId: "c1",
    cmd: ["true"],
    created: "2025-01-01T00:00:00Z",
  });
  assert.deepEqual(cfg.rootfs.diff_ids, ["sha256:aa"]);
  assert.equal(cfg.history?.[1]?.empty_layer, true);
  assert.equal(cfg.comment, undefined, "the base's comment is not inherited");
});
