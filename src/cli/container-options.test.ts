import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CONTAINER_FLAGS,
  type ContainerOptions,
  ContainerOptionsError,
  type OptionsEnv,
  parseContainerOptions,
} from "./container-options.js";
import { FlagError, parseFlags } from "./flags.js";

const FILES: Record<string, string> = {
  "/envs/app.env": "# comment\n\n  A=1\nHOME\nUNSET_IN_CLI\nB=x=y\r\n",
  "/envs/bad.env": "A=1\nC D=1\n",
  "/envs/noname.env": "=1\n",
  "/labels/l.txt": "team=core\nHOME\n",
};

const ENV: OptionsEnv = {
  getenv: (k) => ({ HOME: "/root", PATH: "/bin" })[k],
  readFile(path) {
    const text = FILES[path];
    if (text === undefined) throw new Error(`open ${path}: no such file or directory`);
    return text;
  },
  cwd: "/work/dir",
};

function parse(...argv: string[]): ContainerOptions {
  return parseContainerOptions(parseFlags({ flags: CONTAINER_FLAGS, interspersed: false }, argv), ENV);
}

function flagError(argv: string[], message: string): void {
  assert.throws(
    () => parse(...argv),
    (err: unknown) => {
      assert.ok(err instanceof FlagError, String(err));
      assert.equal(err.message, message);
      return true;
    },
  );
}

function optionsError(argv: string[], message: string): void {
  assert.throws(
    () => parse(...argv),
    (err: unknown) => {
      assert.ok(err instanceof ContainerOptionsError, String(err));
      assert.equal(err.message, message);
      return true;
    },
  );
}

test("parseContainerOptions maps the image, command and defaults", () => {
  const o = parse("busybox", "echo", "hi", "-e", "X");
  assert.equal(o.image, "busybox");
  assert.equal(o.config.Image, "busybox");
  assert.deepEqual(o.config.Cmd, ["echo", "hi", "-e", "X"]);
  assert.equal(o.config.AttachStdin, false);
  assert.equal(o.config.AttachStdout, true);
  assert.equal(o.config.AttachStderr, true);
  assert.equal(o.config.OpenStdin, false);
  assert.equal(o.config.StdinOnce, false);
  assert.equal(o.config.Entrypoint, undefined);
  assert.equal(o.config.HostConfig?.NetworkMode, "default");
  assert.deepEqual(o.config.HostConfig?.RestartPolicy, { Name: "no", MaximumRetryCount: 0 });
  assert.equal(o.pull, "missing");
  assert.equal(o.name, "");
});

test("parseContainerOptions: -i and -t and -a", () => {
  const it = parse("-it", "busybox");
  assert.equal(it.config.Tty, true);
  assert.equal(it.config.OpenStdin, true);
  assert.equal(it.config.AttachStdin, true);
  assert.equal(it.config.StdinOnce, true);
  const a = parse("-a", "STDOUT", "busybox");
  assert.equal(a.config.AttachStdout, true);
  assert.equal(a.config.AttachStderr, false);
  assert.equal(a.config.AttachStdin, false);
  flagError(
    ["-a", "nope", "busybox"],
    'invalid argument "nope" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR',
  );
});

test("parseContainerOptions: -e takes bare keys from the CLI's environment and drops unset ones", () => {
  const o = parse("-e", "A=1", "-e", "HOME", "-e", "NOT_SET", "-e", "B=", "busybox");
  assert.deepEqual(o.config.Env, ["A=1", "HOME=/root", "B="]);
  flagError(
    ["-e", "=x", "busybox"],
    'invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x',
  );
});

test("parseContainerOptions: --env-file comes before -e and follows docker's file rules", () => {
  const o = parse("--env-file", "/envs/app.env", "-e", "Z=9", "busybox");
  assert.deepEqual(o.config.Env, ["A=1", "HOME=/root", "B=x=y", "Z=9"]);
  optionsError(
    ["--env-file", "/envs/bad.env", "busybox"],
    "invalid env file (/envs/bad.env): variable 'C D' contains whitespaces",
  );
  optionsError(
    ["--env-file", "/envs/noname.env", "busybox"],
    "invalid env file (/envs/noname.env): no variable name on line '=1'",
  );
  optionsError(["--env-file", "/nope", "busybox"], "open /nope: no such file or directory");
});

test("parseContainerOptions: labels and label files", () => {
  const o = parse("-l", "a", "-l", "b=c", "--label-file", "/labels/l.txt", "busybox");
  assert.deepEqual(o.config.Labels, { team: "core", a: "", b: "c" });
  flagError(
    ["-l", " =x", "busybox"],
    'invalid argument " =x" for "-l, --label" flag: invalid label \' =x\': empty name',
  );
  flagError(
    ["-l", "a b=1", "busybox"],
    'invalid argument "a b=1" for "-l, --label" flag: label \'a b\' contains whitespaces',
  );
});

test("parseContainerOptions: --entrypoint, including the empty reset", () => {
  assert.deepEqual(parse("--entrypoint", "/bin/sh", "busybox").config.Entrypoint, ["/bin/sh"]);
  assert.deepEqual(parse("--entrypoint", "", "busybox").config.Entrypoint, [""]);
  assert.deepEqual(parse("--entrypoint=", "busybox").config.Entrypoint, [""]);
});

test("parseContainerOptions: simple config fields", () => {
  const o = parse(
    ...["-w", "/w", "-u", "1000:1000", "-h", "box", "--domainname", "example.com", "--stop-signal", "SIGINT"],
    ...[
      "--stop-timeout",
      "0",
      "--name",
      "web",
      "--platform",
      "linux/amd64",
      "--cidfile",
      "/tmp/cid",
      "busybox",
    ],
  );
  assert.equal(o.config.WorkingDir, "/w");
  assert.equal(o.config.User, "1000:1000");
  assert.equal(o.config.Hostname, "box");
  assert.equal(o.config.Domainname, "example.com");
  assert.equal(o.config.StopSignal, "SIGINT");
  assert.equal(o.config.StopTimeout, 0);
  assert.equal(o.name, "web");
  assert.equal(o.platform, "linux/amd64");
  assert.equal(o.cidfile, "/tmp/cid");
  assert.equal(o.config.HostConfig?.ContainerIDFile, "/tmp/cid");
  assert.equal(parse("busybox").config.StopTimeout, undefined);
});

test("parseContainerOptions: memory and CPU resources", () => {
  const hc = parse(
    ...["-m", "12m", "--memory-reservation", "1g", "--memory-swap", "-1", "--cpus", "1.5", "-c", "512"],
    ...["--cpu-period", "100000", "--cpu-quota", "50000", "--cpuset-cpus", "0-1", "--pids-limit", "10"],
    ...["--shm-size", "64m", "busybox"],
  ).config.HostConfig!;
  assert.equal(hc.Memory, 12 * 1024 * 1024);
  assert.equal(hc.MemoryReservation, 1024 ** 3);
  assert.equal(hc.MemorySwap, -1);
  assert.equal(hc.NanoCpus, 1_500_000_000);
  assert.equal(hc.CpuShares, 512);
  assert.equal(hc.CpuPeriod, 100000);
  assert.equal(hc.CpuQuota, 50000);
  assert.equal(hc.CpusetCpus, "0-1");
  assert.equal(hc.PidsLimit, 10);
  assert.equal(hc.ShmSize, 64 * 1024 * 1024);
  assert.equal(parse("--memory-swap", "2g", "busybox").config.HostConfig?.MemorySwap, 2 * 1024 ** 3);
  assert.equal(parse("--cpus", "3/2", "busybox").config.HostConfig?.NanoCpus, 1_500_000_000);
  assert.equal(parse("--cpus", "0.000000001", "busybox").config.HostConfig?.NanoCpus, 1);
});

test("parseContainerOptions: resource errors read as docker's", () => {
  flagError(
    ["-m", "12zz", "busybox"],
    `invalid argument "12zz" for "-m, --memory" flag: invalid suffix: 'zz'`,
  );
  flagError(
    ["--memory-swap", "abc", "busybox"],
    `invalid argument "abc" for "--memory-swap" flag: invalid size: 'abc'`,
  );
  flagError(
    ["--cpus", "abc", "busybox"],
    'invalid argument "abc" for "--cpus" flag: failed to parse abc as a rational number',
  );
  flagError(
    ["--cpus", "0.0000000001", "busybox"],
    'invalid argument "0.0000000001" for "--cpus" flag: value is too precise',
  );
  optionsError(
    ["--memory-swappiness", "101", "busybox"],
    "invalid value: 101. Valid memory swappiness range is 0-100",
  );
});

test("parseContainerOptions: --ulimit", () => {
  const hc = parse("--ulimit", "nofile=10:20", "--ulimit", "core=1", "--ulimit", "nofile=30", "busybox")
    .config.HostConfig!;
  assert.deepEqual(hc.Ulimits, [
    { Name: "core", Soft: 1, Hard: 1 },
    { Name: "nofile", Soft: 30, Hard: 30 },
  ]);
  assert.deepEqual(parse("--ulimit", "nproc=-1", "busybox").config.HostConfig?.Ulimits, [
    { Name: "nproc", Soft: -1, Hard: -1 },
  ]);
  flagError(
    ["--ulimit", "nofile=a", "busybox"],
    `invalid argument "nofile=a" for "--ulimit" flag: strconv.ParseInt: parsing "a": invalid syntax`,
  );
  flagError(
    ["--ulimit", "nofile=10:5", "busybox"],
    'invalid argument "nofile=10:5" for "--ulimit" flag: ulimit soft limit must be less than or equal to hard limit: 10 > 5',
  );
  flagError(
    ["--ulimit", "bogus=1", "busybox"],
    'invalid argument "bogus=1" for "--ulimit" flag: invalid ulimit type: bogus',
  );
  flagError(
    ["--ulimit", "nofile", "busybox"],
    'invalid argument "nofile" for "--ulimit" flag: invalid ulimit argument: nofile',
  );
});

test("parseContainerOptions: --restart and --rm", () => {
  const rp = (p: string) => parse("--restart", p, "busybox").config.HostConfig?.RestartPolicy;
  assert.deepEqual(rp("always"), { Name: "always", MaximumRetryCount: 0 });
  assert.deepEqual(rp("unless-stopped"), { Name: "unless-stopped", MaximumRetryCount: 0 });
  assert.deepEqual(rp("on-failure:3"), { Name: "on-failure", MaximumRetryCount: 3 });
  optionsError(
    ["--restart", "on-failure:x", "busybox"],
    "invalid restart policy format: maximum retry count must be an integer",
  );
  optionsError(
    ["--restart", ":3", "busybox"],
    "invalid restart policy format: no policy provided before colon",
  );
  optionsError(
    ["--rm", "--restart", "always", "busybox"],
    "conflicting options: cannot specify both --restart and --rm",
  );
  const rm = parse("--rm", "busybox").config.HostConfig!;
  assert.equal(rm.AutoRemove, true);
  assert.deepEqual(rm.RestartPolicy, { Name: "no", MaximumRetryCount: 0 });
});

test("parseContainerOptions: healthchecks in nanoseconds", () => {
  const h = parse(
    ...["--health-cmd", "curl -f localhost", "--health-interval", "5s", "--health-timeout", "1500ms"],
    ...["--health-retries", "3", "--health-start-period", "1m", "--health-start-interval", "2s", "busybox"],
  ).config.Healthcheck;
  assert.deepEqual(h, {
    Test: ["CMD-SHELL", "curl -f localhost"],
    Interval: 5e9,
    Timeout: 1.5e9,
    StartPeriod: 60e9,
    StartInterval: 2e9,
    Retries: 3,
  });
  assert.deepEqual(parse("--no-healthcheck", "busybox").config.Healthcheck, { Test: ["NONE"] });
  assert.equal(parse("busybox").config.Healthcheck, undefined);
  optionsError(
    ["--no-healthcheck", "--health-cmd", "x", "busybox"],
    "--no-healthcheck conflicts with --health-* options",
  );
  optionsError(["--health-interval", "-1s", "busybox"], "--health-interval cannot be negative");
  optionsError(["--health-retries", "-1", "busybox"], "--health-retries cannot be negative");
});

test("parseContainerOptions: --health-on-failure (berth's own)", () => {
  assert.equal(
    parse("--health-on-failure", "restart", "busybox").config.HostConfig?.HealthOnFailure,
    "restart",
  );
  assert.equal(parse("busybox").config.HostConfig?.HealthOnFailure, undefined);
  optionsError(
    ["--health-on-failure", "explode", "busybox"],
    'invalid health-on-failure action "explode": must be one of none, kill, restart, stop',
  );
});

test("parseContainerOptions: security and process flags", () => {
  const hc = parse(
    ...["--init", "--read-only", "--privileged", "--cap-add", "net_admin", "--cap-add", "CAP_SYS_TIME"],
    ...["--cap-drop", "mknod", "--security-opt", "no-new-privileges", "--security-opt", "label=disable"],
    ...[
      "--group-add",
      "10",
      "--sysctl",
      "net.ipv4.ip_forward=1",
      "--tmpfs",
      "/run:size=1m",
      "--tmpfs",
      "/t",
      "busybox",
    ],
  ).config.HostConfig!;
  assert.equal(hc.Init, true);
  assert.equal(hc.ReadonlyRootfs, true);
  assert.equal(hc.Privileged, true);
  assert.deepEqual(hc.CapAdd, ["CAP_NET_ADMIN", "CAP_SYS_TIME"]);
  assert.deepEqual(hc.CapDrop, ["CAP_MKNOD"]);
  assert.deepEqual(hc.SecurityOpt, ["no-new-privileges", "label=disable"]);
  assert.deepEqual(hc.GroupAdd, ["10"]);
  assert.deepEqual(hc.Sysctls, { "net.ipv4.ip_forward": "1" });
  assert.deepEqual(hc.Tmpfs, { "/run": "size=1m", "/t": "" });
  assert.equal(parse("--init=false", "busybox").config.HostConfig?.Init, false);
  assert.equal(parse("busybox").config.HostConfig?.Init, undefined);
  optionsError(["--security-opt", "seccomp", "busybox"], 'Invalid --security-opt: "seccomp"');
  flagError(
    ["--sysctl", "foo=1", "busybox"],
    'invalid argument "foo=1" for "--sysctl" flag: sysctl \'foo=1\' is not allowed',
  );
});

test("parseContainerOptions: -p/--publish, -P and --expose", () => {
  const o = parse(
    ...["-p", "8080:80", "-p", "127.0.0.1::53/udp", "-p", "[::1]:9090:90", "-p", "8000-8002:70"],
    ...[
      "-p",
      "6000-6001:6000-6001/tcp",
      "-p",
      "443",
      "-P",
      "--expose",
      "7000-7001",
      "--expose",
      "9/udp",
      "busybox",
    ],
  );
  assert.deepEqual(o.config.ExposedPorts, {
    "80/tcp": {},
    "53/udp": {},
    "90/tcp": {},
    "70/tcp": {},
    "6000/tcp": {},
    "6001/tcp": {},
    "443/tcp": {},
    "7000/tcp": {},
    "7001/tcp": {},
    "9/udp": {},
  });
  assert.deepEqual(o.config.HostConfig?.PortBindings, {
    "80/tcp": [{ HostIp: "", HostPort: "8080" }],
    "53/udp": [{ HostIp: "127.0.0.1", HostPort: "" }],
    "90/tcp": [{ HostIp: "::1", HostPort: "9090" }],
    "70/tcp": [{ HostIp: "", HostPort: "8000-8002" }],
    "6000/tcp": [{ HostIp: "", HostPort: "6000" }],
    "6001/tcp": [{ HostIp: "", HostPort: "6001" }],
    "443/tcp": [{ HostIp: "", HostPort: "" }],
  });
  assert.equal(o.config.HostConfig?.PublishAllPorts, true);
  const long = parse("-p", "published=8080,target=80,protocol=udp", "busybox");
  assert.deepEqual(long.config.HostConfig?.PortBindings, { "80/udp": [{ HostIp: "", HostPort: "8080" }] });
});

test("parseContainerOptions: port errors read as docker's", () => {
  optionsError(["-p", "99999", "busybox"], "invalid containerPort: 99999");
  optionsError(["-p", "abc:80", "busybox"], "invalid hostPort: abc");
  optionsError(["-p", "99999:80", "busybox"], "invalid hostPort: 99999");
  optionsError(["-p", "80/xyz", "busybox"], "invalid proto: xyz");
  optionsError(["-p", "1.2.3:80:80", "busybox"], "invalid IP address: 1.2.3");
  optionsError(
    ["-p", "8000-8010:80-81", "busybox"],
    "invalid ranges specified for container and host Ports: 80-81 and 8000-8010",
  );
  optionsError(["-p", "8080:", "busybox"], "no port specified: 8080:<empty>");
  optionsError(["--expose", "80:90", "busybox"], "invalid port format for --expose: 80:90");
  optionsError(
    ["--expose", "90-80", "busybox"],
    "invalid range format for --expose: 90-80, error: invalid range specified for port: 90-80",
  );
});

test("parseContainerOptions: -v binds, named and anonymous volumes", () => {
  const o = parse(
    "-v",
    "/tmp:/data:ro",
    "-v",
    "named:/v",
    "-v",
    "./rel:/r",
    "-v",
    "../up:/u:rw",
    "-v",
    "/anon",
    "busybox",
  );
  assert.deepEqual(o.config.HostConfig?.Binds, [
    "/tmp:/data:ro",
    "named:/v",
    "/work/dir/rel:/r",
    "/work/up:/u:rw",
  ]);
  assert.deepEqual(o.config.Volumes, { "/anon": {} });
  optionsError(["-v", "", "busybox"], "invalid empty volume spec");
  optionsError(["-v", "a::b", "busybox"], "invalid spec: a::b: empty section between colons");
  optionsError(["-v", "/a:/b:ro:x", "busybox"], "invalid spec: /a:/b:ro:x: too many colons");
  optionsError(
    ["-v", "rel/dir:/x", "busybox"],
    'create rel/dir: "rel/dir" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path',
  );
  optionsError(
    ["-v", "/host:rel", "busybox"],
    `invalid volume specification: '/host:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`,
  );
  assert.deepEqual(
    parse("--volume-driver", "nfs", "-v", "srv/share:/x", "busybox").config.HostConfig?.Binds,
    ["srv/share:/x"],
  );
});

test("parseContainerOptions: --mount", () => {
  const mounts = parse(
    ...[
      "--mount",
      "type=volume,src=v,dst=/m,volume-nocopy",
      "--mount",
      "type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1770",
    ],
    ...[
      "--mount",
      "type=bind,source=.,target=/b,readonly,bind-propagation=rslave",
      "--mount",
      "target=/anon",
      "busybox",
    ],
  ).config.HostConfig?.Mounts;
  assert.deepEqual(mounts, [
    { Type: "volume", Target: "/m", Source: "v", VolumeOptions: { NoCopy: true } },
    { Type: "tmpfs", Target: "/t", TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 } },
    {
      Type: "bind",
      Target: "/b",
      Source: "/work/dir",
      ReadOnly: true,
      BindOptions: { Propagation: "rslave" },
    },
    { Type: "volume", Target: "/anon" },
  ]);
  const m = (spec: string, message: string) =>
    flagError(
      ["--mount", spec, "busybox"],
      `invalid argument ${JSON.stringify(spec)} for "--mount" flag: ${message}`,
    );
  m("type=bind", "target is required");
  m("foo", "invalid field 'foo' must be a key=value pair");
  m("type=bind,dst=/x,bogus=1", "unexpected key 'bogus' in 'bogus=1'");
  m("type=bind,dst=/x,volume-nocopy", "cannot mix 'volume-*' options with mount type 'bind'");
  m("type=tmpfs,dst=/x,tmpfs-size=zz", "invalid value for tmpfs-size: zz");
  m("type=bind,dst=/x,readonly=maybe", "invalid value for readonly: maybe");
});

test("parseContainerOptions: networking flags", () => {
  const o = parse(
    ...[
      "--network",
      "appnet",
      "--network-alias",
      "db",
      "--ip",
      "10.0.0.5",
      "--dns",
      "8.8.8.8",
      "--dns-search",
      "example.com",
    ],
    ...[
      "--dns-option",
      "ndots:2",
      "--add-host",
      "h:1.2.3.4",
      "--add-host",
      "h6=[::1]",
      "--add-host",
      "gw:host-gateway",
      "busybox",
    ],
  );
  const hc = o.config.HostConfig!;
  assert.equal(hc.NetworkMode, "appnet");
  assert.deepEqual(o.config.NetworkingConfig, {
    EndpointsConfig: { appnet: { Aliases: ["db"], IPAMConfig: { IPv4Address: "10.0.0.5" } } },
  });
  assert.deepEqual(hc.Dns, ["8.8.8.8"]);
  assert.deepEqual(hc.DnsSearch, ["example.com"]);
  assert.deepEqual(hc.DnsOptions, ["ndots:2"]);
  assert.deepEqual(hc.ExtraHosts, ["h:1.2.3.4", "h6:::1", "gw:host-gateway"]);
  assert.equal(parse("--net", "host", "busybox").config.HostConfig?.NetworkMode, "host");
  assert.equal(parse("--network", "bridge", "busybox").config.NetworkingConfig, undefined);
  optionsError(
    ["--network-alias", "x", "busybox"],
    "network-scoped aliases are only supported for user-defined networks",
  );
  optionsError(
    ["--network", "host", "--network", "mine", "busybox"],
    "conflicting options: cannot attach both user-defined and non-user-defined network-modes",
  );
  flagError(
    ["--add-host", "foo", "busybox"],
    'invalid argument "foo" for "--add-host" flag: bad format for add-host: "foo"',
  );
  flagError(
    ["--dns", "1.2.3", "busybox"],
    'invalid argument "1.2.3" for "--dns" flag: IP address is not correctly formatted: 1.2.3',
  );
  flagError(
    ["--ip", "x", "busybox"],
    'invalid argument "x" for "--ip" flag: invalid string being converted to IP address: x',
  );
});

test("parseContainerOptions: logging, volumes-from, devices, pull", () => {
  const o = parse(
    ...["--log-driver", "json-file", "--log-opt", "max-size=1m", "--volumes-from", "other:ro"],
    ...["--device", "/dev/null:/dev/xnull:r", "--device", "/dev/zero", "--pull", "never", "-q", "busybox"],
  );
  const hc = o.config.HostConfig!;
  assert.deepEqual(hc.LogConfig, { Type: "json-file", Config: { "max-size": "1m" } });
  assert.deepEqual(hc.VolumesFrom, ["other:ro"]);
  assert.deepEqual(hc.Devices, [
    { PathOnHost: "/dev/null", PathInContainer: "/dev/xnull", CgroupPermissions: "r" },
    { PathOnHost: "/dev/zero", PathInContainer: "/dev/zero", CgroupPermissions: "rwm" },
  ]);
  assert.equal(o.pull, "never");
  assert.equal(o.quiet, true);
  optionsError(
    ["--log-driver", "none", "--log-opt", "a=b", "busybox"],
    "invalid logging opts for driver none",
  );
  optionsError(
    ["--pull", "sometimes", "busybox"],
    `invalid pull option: 'sometimes': must be one of "always", "missing" or "never"`,
  );
  optionsError(["--device", "/dev/a:/dev/b:xyz", "busybox"], "bad mode specified: xyz");
});

test("parseContainerOptions: namespace modes", () => {
  const hc = parse("--pid", "host", "--uts", "host", "--ipc", "private", "--userns", "host", "busybox").config
    .HostConfig!;
  assert.equal(hc.PidMode, "host");
  assert.equal(hc.UTSMode, "host");
  assert.equal(hc.IpcMode, "private");
  assert.equal(hc.UsernsMode, "host");
  optionsError(["--pid", "bogus", "busybox"], "--pid: invalid PID mode");
  optionsError(["--uts", "container:x", "busybox"], "--uts: invalid UTS mode");
});

test("parseContainerOptions: annotations, device cgroup rules, isolation", () => {
  const hc = parse(
    ...["--annotation", "org.example.key=v", "--annotation", "flag", "--device-cgroup-rule", "c 1:3 rwm"],
    ...["--device-cgroup-rule", "b *:* m", "--isolation", "default", "busybox"],
  ).config.HostConfig as Record<string, unknown>;
  assert.deepEqual(hc.Annotations, { "org.example.key": "v", flag: "" });
  assert.deepEqual(hc.DeviceCgroupRules, ["c 1:3 rwm", "b *:* m"]);
  assert.equal(hc.Isolation, "default");
  flagError(
    ["--device-cgroup-rule", "x 1:3 rwm", "busybox"],
    'invalid argument "x 1:3 rwm" for "--device-cgroup-rule" flag: invalid device cgroup format \'x 1:3 rwm\'',
  );
});
