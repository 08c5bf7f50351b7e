import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SystemInfo, SystemVersion } from "../../../api/types/system.js";
import { compileTemplate } from "../../formatter/go-template.js";
import { clientVersion, reformatDate } from "./_client-version.js";
import { eventLine, eventView, formatEventTime } from "./_event-view.js";
import { clientInfo, infoView, prettyInfo } from "./_info-view.js";
import { prettyVersion, serverVersionView } from "./_version-view.js";

const render = (template: string, data: unknown) => compileTemplate(template).execute(data);

describe("event views", () => {
  let tz: string | undefined;
  before(() => {
    tz = process.env.TZ;
    process.env.TZ = "UTC";
  });
  after(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  const tagEvent = {
    status: "tag",
    id: "sha256:abc",
    Type: "image" as const,
    Action: "tag",
    Actor: { ID: "sha256:abc", Attributes: { name: "busybox:latest", a: "1" } },
    scope: "local" as const,
    time: 1704067200,
    timeNano: 1704067200123000000,
  };

  it("formatEventTime pads nanoseconds and names the local zone", () => {
    assert.equal(formatEventTime(1704067200000000001n), "2024-01-01T00:00:00.000000001Z");
    process.env.TZ = "America/New_York";
    assert.equal(formatEventTime(1704067200500000000n), "2023-12-31T19:00:00.500000000-05:00");
    process.env.TZ = "UTC";
  });

  it("eventLine prints time, type, action, actor and sorted attributes", () => {
    assert.equal(
      eventLine(tagEvent),
      "2024-01-01T00:00:00.123000000Z image tag sha256:abc (a=1, name=busybox:latest)\n",
    );
    assert.equal(
      eventLine({ Type: "network", Action: "create", Actor: { ID: "n1", Attributes: {} } }),
      "network create n1\n",
    );
  });

  it("eventView encodes in docker's key order and answers to Go field names", () => {
    const v = eventView(tagEvent);
    assert.equal(
      render("{{json .}}", v),
      '{"status":"tag","id":"sha256:abc","Type":"image","Action":"tag","Actor":{"ID":"sha256:abc",' +
        '"Attributes":{"a":"1","name":"busybox:latest"}},"scope":"local","time":1704067200,"timeNano":1704067200123000000}',
    );
    assert.equal(
      render("{{.ID}} {{.Status}} {{.Scope}} {{.TimeNano}}", v),
      "sha256:abc tag local 1704067200123000000",
    );
    assert.equal(render("{{.Actor.Attributes.name}}", eventView({})), "<no value>");
  });
});

const serverVersion: SystemVersion = {
  Platform: { Name: "berth" },
  Components: [
    {
      Name: "Engine",
      Version: "0.1.0",
      Details: {
        ApiVersion: "1.50",
        MinAPIVersion: "1.24",
        GoVersion: "node v20.0.0",
        GitCommit: "abc",
        BuildTime: "2024-01-02T03:04:05Z",
        Os: "linux",
        Arch: "amd64",
        Experimental: "false",
      },
    },
    { Name: "runc", Version: "1.1.12", Details: { GitCommit: "v1.1.12-0", Extra: "x" } },
  ],
  Version: "0.1.0",
  ApiVersion: "1.50",
  MinAPIVersion: "1.24",
  GitCommit: "abc",
  GoVersion: "node v20.0.0",
  Os: "linux",
  Arch: "amd64",
  BuildTime: "2024-01-02T03:04:05Z",
};

describe("version views", () => {
  it("reformatDate prints RFC 3339 as Go's ANSIC and leaves other text alone", () => {
    assert.equal(reformatDate("2024-01-02T03:04:05Z"), "Tue Jan  2 03:04:05 2024");
    assert.equal(reformatDate("2024-11-12T13:14:15.5+01:00"), "Tue Nov 12 13:14:15 2024");
    assert.equal(reformatDate("yesterday"), "yesterday");
  });

  it("prettyVersion aligns each block at 20 columns and lists component details sorted", () => {
    const text = prettyVersion({ Client: clientVersion("1.45"), Server: serverVersionView(serverVersion) });
    const lines = text.split("\n");
    assert.equal(lines[0], "Client: berth");
    assert.equal(lines[2], " API version:       1.45 (downgraded from 1.50)");
    assert.ok(lines.includes("Server: berth"));
    assert.ok(lines.includes("  API version:      1.50 (minimum version 1.24)"));
    assert.ok(lines.includes("  Built:            Tue Jan  2 03:04:05 2024"));
    const runc = lines.indexOf(" runc:");
    assert.deepEqual(lines.slice(runc, runc + 4), [
      " runc:",
      "  Version:          1.1.12",
      "  Extra:            x",
      "  GitCommit:        v1.1.12-0",
    ]);
    assert.ok(text.endsWith("v1.1.12-0\n"));
  });

  it("serverVersionView makes an Engine component when the daemon sends none", () => {
    const v = serverVersionView({ ...serverVersion, Components: [] });
    assert.equal(v.Components[0]?.Name, "Engine");
    assert.equal(v.Components[0]?.Details?.BuildTime, "Tue Jan  2 03:04:05 2024");
    assert.equal(render("{{.APIVersion}} {{.ApiVersion}}", v), "1.50 1.50");
    assert.doesNotMatch(render("{{json .}}", v), /"APIVersion"/);
  });
});

describe("info views", () => {
  const server = {
    ID: "id-1",
    Containers: 3,
    ContainersRunning: 1,
    ContainersPaused: 0,
    ContainersStopped: 2,
    Images: 4,
    Driver: "overlayfs",
    DriverStatus: [["Backing Filesystem", "extfs"]],
    Plugins: { Volume: ["local"], Network: ["bridge"], Authorization: null, Log: ["json-file"] },
    CgroupDriver: "cgroupfs",
    CgroupVersion: "2",
    OSType: "linux",
    SecurityOptions: ["name=seccomp,profile=builtin", "name=cgroupns"],
    Runtimes: { runc: { path: "runc" }, crun: { path: "crun" } },
    DefaultRuntime: "runc",
    MemTotal: 2 * 1024 ** 3,
    NCPU: 2,
    DockerRootDir: "/var/lib/berth",
    Swarm: { LocalNodeState: "inactive" },
    RegistryConfig: { Mirrors: [], IndexConfigs: {}, InsecureRegistryCIDRs: ["127.0.0.0/8"] },
    LiveRestoreEnabled: true,
    Warnings: ["WARNING: no swap limit support"],
  } as unknown as SystemInfo;

  it("prettyInfo prints docker's labels and sends warnings to stderr", () => {
    const p = prettyInfo(infoView(server, clientInfo(false)), server);
    const lines = p.stdout.split("\n");
    for (const l of [
      "Client: berth",
      "Server:",
      " Containers: 3",
      "  Stopped: 2",
      "  Backing Filesystem: extfs",
      " Runtimes: crun runc",
      " Security Options:",
      "  seccomp",
      "   Profile: builtin",
      "  cgroupns",
      " Total Memory: 2GiB",
      " Docker Root Dir: /var/lib/berth",
      " Insecure Registries:",
      "  127.0.0.0/8",
      " Live Restore Enabled: true",
    ]) {
      assert.ok(lines.includes(l), `missing ${JSON.stringify(l)}`);
    }
    assert.ok(p.stdout.endsWith("Live Restore Enabled: true\n\n"));
    assert.equal(p.stderr, "WARNING: no swap limit support\n");
    assert.equal(p.failed, false);
  });

  it("infoView puts the daemon's fields at the top with ClientInfo last", () => {
    const v = infoView(server, clientInfo(false));
    assert.equal(render("{{.Images}} {{.Info.ID}} {{.ClientInfo.Version}}", v), "4 id-1 0.1.0");
    const json = render("{{json .}}", v);
    assert.ok(json.startsWith('{"ID":"id-1",'));
    assert.match(
      json,
      /"RegistryConfig":\{"IndexConfigs":\{\},"InsecureRegistryCIDRs":\["127.0.0.0\/8"\],"Mirrors":\[\]\}/,
    );
    assert.match(json, /,"ClientInfo":\{"Debug":false,"Platform":\{"Name":"berth"\},"Version":"0.1.0",/);
  });
});
