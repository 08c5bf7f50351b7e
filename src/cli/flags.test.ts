import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type CommandUsage,
  defineFlags,
  FlagError,
  type FlagErrorCode,
  invalidFlagValue,
  parseFlags,
  renderFlagUsages,
  renderHelp,
  usageErrorText,
  usageLine,
} from "./flags.js";

const RUN_FLAGS = defineFlags([
  {
    name: "detach",
    short: "d",
    type: "bool",
    description: "Run container in background and print container ID",
  },
  { name: "interactive", short: "i", type: "bool", description: "Keep STDIN open even if not attached" },
  { name: "tty", short: "t", type: "bool", description: "Allocate a pseudo-TTY" },
  { name: "rm", type: "bool", description: "Automatically remove the container" },
  { name: "name", type: "string", description: "Assign a name to the container" },
  {
    name: "env",
    short: "e",
    type: "stringArray",
    valueName: "list",
    description: "Set environment variables",
  },
  { name: "publish", short: "p", type: "stringArray", valueName: "list", description: "Publish ports" },
  { name: "hostname", short: "h", type: "string", description: "Container host name" },
  { name: "stop-timeout", type: "int", description: "Timeout (in seconds) to stop a container" },
  { name: "health-interval", type: "duration", description: "Time between running the check" },
  { name: "memory", short: "m", type: "string", valueName: "bytes", description: "Memory limit" },
]);

const RUN = { flags: RUN_FLAGS, interspersed: false };

function flagError(fn: () => unknown, code: FlagErrorCode, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof FlagError, String(err));
    assert.equal(err.kind, "invalid-argument");
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    return true;
  });
}

test("parseFlags returns defaults for flags not given", () => {
  const r = parseFlags(RUN, ["ubuntu"]);
  assert.deepEqual(r.flags, {
    detach: false,
    interactive: false,
    tty: false,
    rm: false,
    name: "",
    env: [],
    publish: [],
    hostname: "",
    "stop-timeout": 0,
    "health-interval": 0,
    memory: "",
  });
  assert.deepEqual(r.args, ["ubuntu"]);
  assert.equal(r.changed.size, 0);
  assert.equal(r.help, false);
  assert.equal(r.argsLenAtDash, -1);
});

test("parseFlags accepts long flags with = or a separate value", () => {
  const r = parseFlags(RUN, ["--name=web", "--stop-timeout", "10", "--health-interval=1m30s", "img"]);
  assert.equal(r.flags.name, "web");
  assert.equal(r.flags["stop-timeout"], 10);
  assert.equal(r.flags["health-interval"], 90_000);
  assert.deepEqual([...r.changed].sort(), ["health-interval", "name", "stop-timeout"]);
});

test("parseFlags accepts short flags with attached, = or separate values", () => {
  assert.equal(parseFlags(RUN, ["-m", "512m", "x"]).flags.memory, "512m");
  assert.equal(parseFlags(RUN, ["-m512m", "x"]).flags.memory, "512m");
  assert.equal(parseFlags(RUN, ["-m=512m", "x"]).flags.memory, "512m");
  assert.equal(parseFlags(RUN, ["-e=", "x"]).flags.env[0], "=");
});

test("parseFlags expands grouped short bools and a trailing valued shorthand", () => {
  const r = parseFlags(RUN, ["-dit", "ubuntu"]);
  assert.equal(r.flags.detach && r.flags.interactive && r.flags.tty, true);
  const p = parseFlags(RUN, ["-dp", "80:80", "nginx"]);
  assert.equal(p.flags.detach, true);
  assert.deepEqual(p.flags.publish, ["80:80"]);
  assert.deepEqual(parseFlags(RUN, ["-dp80:80", "nginx"]).flags.publish, ["80:80"]);
  const f = parseFlags(RUN, ["-it=false", "x"]);
  assert.equal(f.flags.interactive, true);
  assert.equal(f.flags.tty, false);
});

test("parseFlags reads bool values written with =", () => {
  assert.equal(parseFlags(RUN, ["--rm=false", "x"]).flags.rm, false);
  assert.equal(parseFlags(RUN, ["--rm=1", "x"]).flags.rm, true);
  assert.equal(parseFlags(RUN, ["--rm=True", "x"]).flags.rm, true);
  assert.equal(parseFlags(RUN, ["-i=f", "x"]).flags.interactive, false);
  // A bool never takes the next argument as its value.
  assert.deepEqual(parseFlags(RUN, ["--rm", "false"]).args, ["false"]);
});

test("parseFlags collects repeated stringArray flags, replacing the default", () => {
  const r = parseFlags(RUN, ["-e", "A=1", "--env=B=2", "-eC=3", "x"]);
  assert.deepEqual(r.flags.env, ["A=1", "B=2", "C=3"]);
  const withDefault = defineFlags([
    { name: "tag", type: "stringArray", default: ["latest"], description: "t" },
  ]);
  assert.deepEqual(parseFlags({ flags: withDefault }, []).flags.tag, ["latest"]);
  assert.deepEqual(parseFlags({ flags: withDefault }, ["--tag", "a", "--tag", "b"]).flags.tag, ["a", "b"]);
});

test("parseFlags stops at the first positional when interspersed is false", () => {
  const r = parseFlags(RUN, ["-d", "ubuntu", "ls", "-la", "--rm"]);
  assert.equal(r.flags.detach, true);
  assert.equal(r.flags.rm, false);
  assert.deepEqual(r.args, ["ubuntu", "ls", "-la", "--rm"]);
});

test("parseFlags allows flags after positionals by default", () => {
  const flags = defineFlags([{ name: "force", short: "f", type: "bool", description: "Force" }]);
  const r = parseFlags({ flags }, ["a", "-f", "b"]);
  assert.equal(r.flags.force, true);
  assert.deepEqual(r.args, ["a", "b"]);
});

test("parseFlags ends flags at -- and records where", () => {
  const flags = defineFlags([{ name: "force", short: "f", type: "bool", description: "Force" }]);
  const r = parseFlags({ flags }, ["a", "--", "-f", "--x"]);
  assert.equal(r.flags.force, false);
  assert.deepEqual(r.args, ["a", "-f", "--x"]);
  assert.equal(r.argsLenAtDash, 1);
  assert.deepEqual(parseFlags({ flags }, ["-", "x"]).args, ["-", "x"]);
  assert.deepEqual(parseFlags({ flags }, [""]).args, [""]);
});

test("parseFlags recognises --help and -h unless -h is taken", () => {
  const flags = defineFlags([{ name: "all", short: "a", type: "bool", description: "All" }]);
  assert.equal(parseFlags({ flags }, ["--help"]).help, true);
  assert.equal(parseFlags({ flags }, ["-ah"]).help, true);
  assert.equal(parseFlags(RUN, ["--help"]).help, true);
  const r = parseFlags(RUN, ["-h", "box", "img"]);
  assert.equal(r.help, false);
  assert.equal(r.flags.hostname, "box");
});

test("parseFlags reports unknown flags in docker's words", () => {
  flagError(() => parseFlags(RUN, ["--bogus"]), "unknown-flag", "unknown flag: --bogus");
  flagError(() => parseFlags(RUN, ["--bogus=1"]), "unknown-flag", "unknown flag: --bogus");
  flagError(() => parseFlags(RUN, ["-z"]), "unknown-shorthand", "unknown shorthand flag: 'z' in -z");
  flagError(() => parseFlags(RUN, ["-izx"]), "unknown-shorthand", "unknown shorthand flag: 'z' in -zx");
  flagError(() => parseFlags(RUN, ["---x"]), "bad-syntax", "bad flag syntax: ---x");
  flagError(() => parseFlags(RUN, ["--=x"]), "bad-syntax", "bad flag syntax: --=x");
});

test("parseFlags reports missing values in docker's words", () => {
  flagError(() => parseFlags(RUN, ["--name"]), "missing-value", "flag needs an argument: --name");
  flagError(() => parseFlags(RUN, ["-e"]), "missing-value", "flag needs an argument: 'e' in -e");
  flagError(() => parseFlags(RUN, ["-de"]), "missing-value", "flag needs an argument: 'e' in -e");
});

test("parseFlags reports invalid values in docker's words", () => {
  flagError(
    () => parseFlags(RUN, ["--rm=maybe", "x"]),
    "invalid-value",
    'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
  );
  flagError(
    () => parseFlags(RUN, ["--stop-timeout", "abc", "x"]),
    "invalid-value",
    'invalid argument "abc" for "--stop-timeout" flag: strconv.ParseInt: parsing "abc": invalid syntax',
  );
  flagError(
    () => parseFlags(RUN, ["--health-interval", "abc", "x"]),
    "invalid-value",
    'invalid argument "abc" for "--health-interval" flag: time: invalid duration "abc"',
  );
  const ps = defineFlags([
    { name: "last", short: "n", type: "int", default: -1, description: "Show n last" },
  ]);
  flagError(
    () => parseFlags({ flags: ps }, ["-n", "abc"]),
    "invalid-value",
    'invalid argument "abc" for "-n, --last" flag: strconv.ParseInt: parsing "abc": invalid syntax',
  );
  flagError(
    () => parseFlags({ flags: ps }, ["-n", "99999999999999999999"]),
    "invalid-value",
    'invalid argument "99999999999999999999" for "-n, --last" flag: strconv.ParseInt: parsing "99999999999999999999": value out of range',
  );
  assert.equal(parseFlags({ flags: ps }, ["-n", "0x10"]).flags.last, 16);
  assert.equal(parseFlags({ flags: ps }, ["-n", "-3"]).flags.last, -3);
});

test("invalidFlagValue words a command's own conversion errors like pflag", () => {
  const memory = RUN_FLAGS[10];
  const err = invalidFlagValue(memory, "12zz", new Error("invalid suffix: 'zz'"));
  assert.equal(err.code, "invalid-value");
  assert.equal(err.message, `invalid argument "12zz" for "-m, --memory" flag: invalid suffix: 'zz'`);
});

test("parseFlags rejects malformed declarations", () => {
  assert.throws(
    () =>
      parseFlags(
        {
          flags: [
            { name: "a", type: "bool", description: "" },
            { name: "a", type: "bool", description: "" },
          ],
        },
        [],
      ),
    /flag redefined: a/,
  );
  assert.throws(
    () => parseFlags({ flags: [{ name: "a", short: "ab", type: "bool", description: "" }] }, []),
    /one letter/,
  );
});

const PS: CommandUsage = {
  path: "berth ps",
  usage: "[OPTIONS]",
  description: "List containers",
  aliases: ["berth container ls", "berth container list", "berth container ps", "berth ps"],
  flags: [
    { name: "quiet", short: "q", type: "bool", description: "Only display container IDs" },
    { name: "size", short: "s", type: "bool", description: "Display total file sizes" },
    {
      name: "all",
      short: "a",
      type: "bool",
      description: "Show all containers (default shows just running)",
    },
    { name: "no-trunc", type: "bool", description: "Don't truncate output" },
    {
      name: "latest",
      short: "l",
      type: "bool",
      description: "Show the latest created container (includes all states)",
    },
    {
      name: "last",
      short: "n",
      type: "int",
      default: -1,
      description: "Show n last created containers (includes all states)",
    },
    {
      name: "format",
      type: "string",
      description:
        "Format output using a custom template:\n" +
        "'table':            Print output in table format with column headers (default)\n" +
        "'table TEMPLATE':   Print output in table format using the given Go template\n" +
        "'json':             Print in JSON format\n" +
        "'TEMPLATE':         Print output using the given Go template.\n" +
        "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates",
    },
    {
      name: "filter",
      short: "f",
      type: "stringArray",
      valueName: "filter",
      description: "Filter output based on conditions provided",
    },
  ],
};

// Captured from `docker ps --help` (docker 28.2.2, not a terminal: 80 columns).
const PS_HELP = `Usage:  berth ps [OPTIONS]

List containers

Aliases:
  berth container ls, berth container list, berth container ps, berth ps

Options:
  -a, --all             Show all containers (default shows just running)
  -f, --filter filter   Filter output based on conditions provided
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
  -n, --last int        Show n last created containers (includes all
                        states) (default -1)
  -l, --latest          Show the latest created container (includes all
                        states)
      --no-trunc        Don't truncate output
  -q, --quiet           Only display container IDs
  -s, --size            Display total file sizes
`;

test("renderHelp matches docker ps --help", () => {
  assert.equal(renderHelp(PS), PS_HELP);
});

test("renderHelp matches docker logs --help, with string defaults quoted", () => {
  const since = `Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)`;
  const logs: CommandUsage = {
    path: "berth logs",
    usage: "[OPTIONS] CONTAINER",
    description: "Fetch the logs of a container",
    aliases: ["berth container logs", "berth logs"],
    flags: [
      { name: "follow", short: "f", type: "bool", description: "Follow log output" },
      { name: "since", type: "string", description: since },
      { name: "until", type: "string", description: since.replace("since timestamp", "before a timestamp") },
      { name: "timestamps", short: "t", type: "bool", description: "Show timestamps" },
      { name: "details", type: "bool", description: "Show extra details provided to logs" },
      {
        name: "tail",
        short: "n",
        type: "string",
        default: "all",
        description: "Number of lines to show from the end of the logs",
      },
    ],
  };
  assert.equal(
    renderHelp(logs),
    `Usage:  berth logs [OPTIONS] CONTAINER

Fetch the logs of a container

Aliases:
  berth container logs, berth logs

Options:
      --details        Show extra details provided to logs
  -f, --follow         Follow log output
      --since string   Show logs since timestamp (e.g.
                       "2013-01-02T13:23:37Z") or relative (e.g. "42m"
                       for 42 minutes)
  -n, --tail string    Number of lines to show from the end of the logs
                       (default "all")
  -t, --timestamps     Show timestamps
      --until string   Show logs before a timestamp (e.g.
                       "2013-01-02T13:23:37Z") or relative (e.g. "42m"
                       for 42 minutes)
`,
  );
});

test("renderHelp leaves out hidden flags and empty sections", () => {
  const cmd: CommandUsage = {
    path: "berth version",
    usage: "",
    description: "Show version\n",
    flags: [{ name: "secret", type: "bool", hidden: true, description: "x" }],
  };
  assert.equal(renderHelp(cmd), "Usage:  berth version\n\nShow version\n");
});

test("renderFlagUsages shows defaults, value names and durations like pflag", () => {
  const out = renderFlagUsages(
    [
      { name: "interval", type: "duration", default: 30_000, description: "Interval" },
      { name: "zero", type: "duration", description: "Zero" },
      { name: "tags", type: "stringArray", default: ["a", "b,c"], description: "Tags" },
      { name: "on", type: "bool", default: true, description: "On" },
      { name: "file", type: "string", description: "Read from `path`" },
    ],
    0,
  );
  assert.equal(
    out,
    "      --file path           Read from path\n" +
      "      --interval duration   Interval (default 30s)\n" +
      "      --on                  On (default true)\n" +
      '      --tags stringArray    Tags (default [a,"b,c"])\n' +
      "      --zero duration       Zero\n",
  );
});

test("usageErrorText adds docker's usage hint", () => {
  const cmd: CommandUsage = {
    path: "berth run",
    usage: "[OPTIONS] IMAGE [COMMAND] [ARG...]",
    description: "Run",
    flags: [],
  };
  assert.equal(usageLine(cmd), "berth run [OPTIONS] IMAGE [COMMAND] [ARG...]");
  assert.equal(
    usageErrorText(new FlagError("unknown-flag", "unknown flag: --bogus"), cmd),
    "unknown flag: --bogus\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information",
  );
});
