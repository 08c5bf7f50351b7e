import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { busyboxRootfs } from "../fixtures/busybox.js";
import { type RunResult, TestDaemon } from "../harness/daemon.js";

/** version, info and events through the berth CLI, checked against the docker CLI on the same berthd. */
describe("system", () => {
  let d: TestDaemon;
  const UTC = { env: { TZ: "UTC" } };

  before(async () => {
    d = await TestDaemon.start();
  });
  after(async () => {
    await d?.cleanup();
  });

  const ok = (r: RunResult) => {
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  /** The text from the "Server:" line on: the part both CLIs print from the same daemon answer. */
  const serverSection = (text: string) => text.slice(text.indexOf("\nServer:"));
  const unixNow = () => (Date.now() / 1000).toFixed(3);

  test("berth version prints docker's layout with the daemon's Engine", async () => {
    const out = ok(await d.berth(["version"]));
    const lines = out.split("\n");
    assert.equal(lines[0], "Client: berth");
    assert.match(out, /^ API version: {7}1\.\d+$/m);
    assert.match(out, /^ Go version: {8}node v\d+/m);
    assert.match(out, /^ OS\/Arch: {11}linux\/\w+$/m);
    assert.match(
      out,
      /^ Engine:\n {2}Version: {10}\S+\n {2}API version: {6}1\.\d+ \(minimum version 1\.\d+\)$/m,
    );
    assert.equal(serverSection(out), serverSection(ok(await d.docker(["version"]))));
  });

  test("berth version --format reads .Client and .Server as docker's does", async () => {
    const format = "{{.Server.Version}} {{.Server.APIVersion}} {{.Client.APIVersion}}";
    assert.equal(
      ok(await d.berth(["version", "--format", format])),
      ok(await d.docker(["version", "--format", format])),
    );
    const v = JSON.parse(ok(await d.berth(["version", "--format", "{{json .}}"])));
    assert.equal(v.Client.Version, "0.1.0");
    assert.equal(v.Server.Components[0].Name, "Engine");
    assert.deepEqual(JSON.parse(ok(await d.berth(["version", "-f", "json"]))).Server, v.Server);
    const bad = await d.berth(["version", "--format", "{{.Server"]);
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /^template parsing error: template: version:1: unclosed action/);
  });

  test("berth info prints docker's labels, Docker Root Dir included", async () => {
    const out = ok(await d.berth(["info"]));
    assert.match(
      out,
      /^Client: berth\n Version: {4}0\.1\.0\n Context: {4}default\n Debug Mode: false\n\nServer:\n Containers: \d+\n {2}Running: \d+\n/,
    );
    for (const label of [
      "Images",
      "Server Version",
      "Storage Driver",
      "Cgroup Driver",
      "Runtimes",
      "Default Runtime",
    ]) {
      assert.match(out, new RegExp(`^ ${label}: \\S+`, "m"), label);
    }
    assert.match(out, new RegExp(`^ Docker Root Dir: ${d.root}$`, "m"));
    assert.match(out, /^ Total Memory: [\d.]+[KMGT]iB$/m);
    assert.equal(serverSection(out), serverSection(ok(await d.docker(["info"]))));
    assert.equal(ok(await d.berth(["system", "info"])), out);
  });

  test("berth info --format renders the daemon's fields and ClientInfo", async () => {
    assert.equal(ok(await d.berth(["info", "--format", "{{.DockerRootDir}}"])), `${d.root}\n`);
    const viaBerth = JSON.parse(ok(await d.berth(["info", "--format", "{{json .}}"])));
    const viaDocker = JSON.parse(ok(await d.docker(["info", "--format", "{{json .}}"])));
    assert.equal(viaBerth.ID, viaDocker.ID);
    assert.deepEqual(Object.keys(viaBerth), Object.keys(viaDocker));
    assert.equal(viaBerth.ClientInfo.Version, "0.1.0");
  });

  test("berth events --since --until replays a tag in docker's line format", async () => {
    const since = unixNow();
    ok(await d.berth(["import", "-", "busybox:latest"], { input: await busyboxRootfs() }));
    ok(await d.berth(["tag", "busybox:latest", "busybox:e2e"]));
    await new Promise((r) => setTimeout(r, 20));
    const until = unixNow();
    const window = ["--since", since, "--until", until];

    const lines = ok(await d.berth(["events", ...window], UTC));
    assert.match(
      lines,
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z image tag sha256:[0-9a-f]{64} \(name=busybox:e2e\)$/m,
    );
    assert.equal(lines, ok(await d.docker(["events", ...window], UTC)));

    const json = ok(await d.berth(["system", "events", ...window, "--format", "{{json .}}"]))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const tag = json.find((e) => e.Action === "tag");
    assert.equal(tag?.Type, "image");
    assert.equal(tag?.Actor.Attributes.name, "busybox:e2e");
    assert.equal(
      ok(await d.berth(["events", ...window, "--format", "json"])),
      ok(await d.docker(["events", ...window, "--format", "json"])),
    );

    const filtered = [
      "events",
      ...window,
      "-f",
      "event=tag",
      "--format",
      "{{.Action}} {{.Actor.Attributes.name}}",
    ];
    assert.equal(ok(await d.berth(filtered)), "tag busybox:e2e\n");

    const bad = await d.berth(["events", ...window, "--format", "{{.Action"]);
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /^Error parsing format: template: :1: unclosed action/);
  });

  test("berth events streams live events until --until passes", async () => {
    const until = ((Date.now() + 2500) / 1000).toFixed(3);
    const watching = d.berth(["events", "--since", unixNow(), "--until", until, "-f", "type=image"]);
    await new Promise((r) => setTimeout(r, 800));
    ok(await d.berth(["tag", "busybox:latest", "busybox:live"]));
    assert.match(ok(await watching), /image tag sha256:[0-9a-f]{64} \(name=busybox:live\)\n$/);
  });
});
