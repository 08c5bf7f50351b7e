import assert from "node:assert/strict";
import { test } from "node:test";
import type { ImageConfig } from "../oci/image-config.js";
import { applyChanges } from "./changes.js";

const base: ImageConfig = { architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } };

test("applyChanges sets CMD and ENTRYPOINT in JSON and shell form", () => {
  const c = applyChanges(base, ['CMD ["/bin/sh", "-c", "echo hi"]', "ENTRYPOINT /init --flag"]).config!;
  assert.deepEqual(c.Cmd, ["/bin/sh", "-c", "echo hi"]);
  assert.deepEqual(c.Entrypoint, ["/bin/sh", "-c", "/init --flag"]);
});

test("applyChanges handles ENV, LABEL, EXPOSE, WORKDIR, USER", () => {
  const c = applyChanges(base, [
    'ENV A=1 B="two words"',
    "ENV A=3",
    "ENV LEGACY some value",
    "LABEL org.x=y",
    "EXPOSE 80 53/udp",
    "WORKDIR /app",
    "USER nobody",
  ]).config!;
  assert.deepEqual(c.Env, ["B=two words", "A=3", "LEGACY=some value"]);
  assert.deepEqual(c.Labels, { "org.x": "y" });
  assert.deepEqual(Object.keys(c.ExposedPorts!), ["80/tcp", "53/udp"]);
  assert.equal(c.WorkingDir, "/app");
  assert.equal(c.User, "nobody");
});

test("applyChanges refuses instructions Docker does not allow", () => {
  assert.throws(() => applyChanges(base, ["RUN rm -rf /"]), /RUN is not a valid change command/);
  assert.throws(() => applyChanges(base, ["EXPOSE abc"]), /invalid port/);
  assert.throws(() => applyChanges(base, ["USER"]), /requires exactly one argument/);
});

test("applyChanges does not modify its input", () => {
  applyChanges(base, ["USER x"]);
  assert.equal(base.config, undefined);
});
