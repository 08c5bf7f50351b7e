/**
 * The flags `run` and `create` share (docker's addFlags plus --name, --platform, --pull, -q), with
 * docker's help text. Value types the help shows: list, bytes, decimal, map, mount, network,
 * ulimit. Windows-only and swarm-era flags docker hides or ignores are left out. (pure)
 */
import { defineFlags, type FlagSpec } from "../../flags.js";

const list = "list";

export const CONTAINER_FLAGS = defineFlags([
  {
    name: "annotation",
    type: "stringArray",
    valueName: "map",
    description: "Add an annotation to the container (passed through to the OCI runtime) (default map[])",
  },
  {
    name: "add-host",
    type: "stringArray",
    valueName: list,
    description: "Add a custom host-to-IP mapping (host:ip)",
  },
  {
    name: "attach",
    short: "a",
    type: "stringArray",
    valueName: list,
    description: "Attach to STDIN, STDOUT or STDERR",
  },
  {
    name: "blkio-weight",
    type: "int",
    valueName: "uint16",
    description: "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)",
  },
  { name: "cap-add", type: "stringArray", valueName: list, description: "Add Linux capabilities" },
  { name: "cap-drop", type: "stringArray", valueName: list, description: "Drop Linux capabilities" },
  { name: "cgroup-parent", type: "string", description: "Optional parent cgroup for the container" },
  {
    name: "cgroupns",
    type: "string",
    description:
      "Cgroup namespace to use (host|private)\n'host':    Run the container in the Docker host's cgroup namespace\n'private': Run the container in its own private cgroup namespace\n'':        Use the cgroup namespace as configured by the\n           default-cgroupns-mode option on the daemon (default)",
  },
  { name: "cidfile", type: "string", description: "Write the container ID to the file" },
  { name: "cpu-period", type: "int", description: "Limit CPU CFS (Completely Fair Scheduler) period" },
  { name: "cpu-quota", type: "int", description: "Limit CPU CFS (Completely Fair Scheduler) quota" },
  { name: "cpu-rt-period", type: "int", description: "Limit CPU real-time period in microseconds" },
  { name: "cpu-rt-runtime", type: "int", description: "Limit CPU real-time runtime in microseconds" },
  { name: "cpu-shares", short: "c", type: "int", description: "CPU shares (relative weight)" },
  { name: "cpus", type: "string", valueName: "decimal", description: "Number of CPUs" },
  { name: "cpuset-cpus", type: "string", description: "CPUs in which to allow execution (0-3, 0,1)" },
  { name: "cpuset-mems", type: "string", description: "MEMs in which to allow execution (0-3, 0,1)" },
  { name: "device", type: "stringArray", valueName: list, description: "Add a host device to the container" },
  {
    name: "device-cgroup-rule",
    type: "stringArray",
    valueName: list,
    description: "Add a rule to the cgroup allowed devices list",
  },
  {
    name: "disable-content-trust",
    type: "bool",
    default: true,
    description: "Skip image verification",
  },
  { name: "dns", type: "stringArray", valueName: list, description: "Set custom DNS servers" },
  { name: "dns-opt", type: "stringArray", valueName: list, description: "Set DNS options", hidden: true },
  { name: "dns-option", type: "stringArray", valueName: list, description: "Set DNS options" },
  { name: "dns-search", type: "stringArray", valueName: list, description: "Set custom DNS search domains" },
  { name: "domainname", type: "string", description: "Container NIS domain name" },
  { name: "entrypoint", type: "string", description: "Overwrite the default ENTRYPOINT of the image" },
  { name: "env", short: "e", type: "stringArray", valueName: list, description: "Set environment variables" },
  {
    name: "env-file",
    type: "stringArray",
    valueName: list,
    description: "Read in a file of environment variables",
  },
  { name: "expose", type: "stringArray", valueName: list, description: "Expose a port or a range of ports" },
  { name: "group-add", type: "stringArray", valueName: list, description: "Add additional groups to join" },
  { name: "health-cmd", type: "string", description: "Command to run to check health" },
  {
    name: "health-interval",
    type: "duration",
    description: "Time between running the check (ms|s|m|h) (default 0s)",
  },
  {
    name: "health-on-failure",
    type: "string",
    description: "Action to take once the container turns unhealthy (none|kill|restart|stop)",
  },
  { name: "health-retries", type: "int", description: "Consecutive failures needed to report unhealthy" },
  {
    name: "health-start-interval",
    type: "duration",
    description: "Time between running the check during the start period (ms|s|m|h) (default 0s)",
  },
  {
    name: "health-start-period",
    type: "duration",
    description:
      "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)",
  },
  {
    name: "health-timeout",
    type: "duration",
    description: "Maximum time to allow one check to run (ms|s|m|h) (default 0s)",
  },
  { name: "help", type: "bool", description: "Print usage" },
  { name: "hostname", short: "h", type: "string", description: "Container host name" },
  {
    name: "init",
    type: "bool",
    description: "Run an init inside the container that forwards signals and reaps processes",
  },
  { name: "interactive", short: "i", type: "bool", description: "Keep STDIN open even if not attached" },
  { name: "ip", type: "string", description: "IPv4 address (e.g., 172.30.100.104)" },
  { name: "ip6", type: "string", description: "IPv6 address (e.g., 2001:db8::33)" },
  { name: "ipc", type: "string", description: "IPC mode to use" },
  { name: "isolation", type: "string", description: "Container isolation technology" },
  {
    name: "label",
    short: "l",
    type: "stringArray",
    valueName: list,
    description: "Set meta data on a container",
  },
  {
    name: "label-file",
    type: "stringArray",
    valueName: list,
    description: "Read in a line delimited file of labels",
  },
  { name: "link", type: "stringArray", valueName: list, description: "Add link to another container" },
  { name: "log-driver", type: "string", description: "Logging driver for the container" },
  { name: "log-opt", type: "stringArray", valueName: list, description: "Log driver options" },
  { name: "mac-address", type: "string", description: "Container MAC address (e.g., 92:d0:c6:0a:29:33)" },
  { name: "memory", short: "m", type: "string", valueName: "bytes", description: "Memory limit" },
  { name: "memory-reservation", type: "string", valueName: "bytes", description: "Memory soft limit" },
  {
    name: "memory-swap",
    type: "string",
    valueName: "bytes",
    description: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap",
  },
  {
    name: "memory-swappiness",
    type: "int",
    default: -1,
    description: "Tune container memory swappiness (0 to 100)",
  },
  {
    name: "mount",
    type: "stringArray",
    valueName: "mount",
    description: "Attach a filesystem mount to the container",
  },
  { name: "name", type: "string", description: "Assign a name to the container" },
  {
    name: "net",
    type: "stringArray",
    valueName: "network",
    description: "Connect a container to a network",
    hidden: true,
  },
  {
    name: "net-alias",
    type: "stringArray",
    valueName: list,
    description: "Add network-scoped alias for the container",
    hidden: true,
  },
  {
    name: "network",
    type: "stringArray",
    valueName: "network",
    description: "Connect a container to a network",
  },
  {
    name: "network-alias",
    type: "stringArray",
    valueName: list,
    description: "Add network-scoped alias for the container",
  },
  { name: "no-healthcheck", type: "bool", description: "Disable any container-specified HEALTHCHECK" },
  { name: "oom-kill-disable", type: "bool", description: "Disable OOM Killer" },
  { name: "oom-score-adj", type: "int", description: "Tune host's OOM preferences (-1000 to 1000)" },
  { name: "pid", type: "string", description: "PID namespace to use" },
  { name: "pids-limit", type: "int", description: "Tune container pids limit (set -1 for unlimited)" },
  { name: "platform", type: "string", description: "Set platform if server is multi-platform capable" },
  { name: "privileged", type: "bool", description: "Give extended privileges to this container" },
  {
    name: "publish",
    short: "p",
    type: "stringArray",
    valueName: list,
    description: "Publish a container's port(s) to the host",
  },
  {
    name: "publish-all",
    short: "P",
    type: "bool",
    description: "Publish all exposed ports to random ports",
  },
  {
    name: "pull",
    type: "string",
    default: "missing",
    description: 'Pull image before running ("always", "missing", "never")',
  },
  { name: "quiet", short: "q", type: "bool", description: "Suppress the pull output" },
  { name: "read-only", type: "bool", description: "Mount the container's root filesystem as read only" },
  {
    name: "restart",
    type: "string",
    default: "no",
    description: "Restart policy to apply when a container exits",
  },
  {
    name: "rm",
    type: "bool",
    description: "Automatically remove the container and its associated anonymous volumes when it exits",
  },
  { name: "runtime", type: "string", description: "Runtime to use for this container" },
  { name: "security-opt", type: "stringArray", valueName: list, description: "Security Options" },
  { name: "shm-size", type: "string", valueName: "bytes", description: "Size of /dev/shm" },
  { name: "stop-signal", type: "string", description: "Signal to stop the container" },
  { name: "stop-timeout", type: "int", description: "Timeout (in seconds) to stop a container" },
  {
    name: "storage-opt",
    type: "stringArray",
    valueName: list,
    description: "Storage driver options for the container",
  },
  { name: "sysctl", type: "stringArray", valueName: "map", description: "Sysctl options (default map[])" },
  { name: "tmpfs", type: "stringArray", valueName: list, description: "Mount a tmpfs directory" },
  { name: "tty", short: "t", type: "bool", description: "Allocate a pseudo-TTY" },
  { name: "ulimit", type: "stringArray", valueName: "ulimit", description: "Ulimit options (default [])" },
  {
    name: "user",
    short: "u",
    type: "string",
    description: "Username or UID (format: <name|uid>[:<group|gid>])",
  },
  { name: "userns", type: "string", description: "User namespace to use" },
  { name: "uts", type: "string", description: "UTS namespace to use" },
  { name: "volume", short: "v", type: "stringArray", valueName: list, description: "Bind mount a volume" },
  { name: "volume-driver", type: "string", description: "Optional volume driver for the container" },
  {
    name: "volumes-from",
    type: "stringArray",
    valueName: list,
    description: "Mount volumes from the specified container(s)",
  },
  { name: "workdir", short: "w", type: "string", description: "Working directory inside the container" },
]);

export type ContainerFlags = typeof CONTAINER_FLAGS;

/** The shared flags with --pull worded for `create`, as docker words it. */
export const CREATE_CONTAINER_FLAGS = CONTAINER_FLAGS.map((f) =>
  f.name === "pull" ? { ...f, description: 'Pull image before creating ("always", "|missing", "never")' } : f,
) as unknown as ContainerFlags;

/** A flag's declaration by long name (for error messages). */
export function flagSpec(name: string): FlagSpec {
  const spec = (CONTAINER_FLAGS as readonly FlagSpec[]).find((f) => f.name === name);
  if (!spec) throw new Error(`no such flag: ${name}`);
  return spec;
}
