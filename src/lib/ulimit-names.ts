/** Docker's `--ulimit` names (go-units' ulimitNameMapping): the CLI checks them, the spec maps them. */
export const ULIMIT_NAMES: readonly string[] = [
  "core",
  "cpu",
  "data",
  "fsize",
  "locks",
  "memlock",
  "msgqueue",
  "nice",
  "nofile",
  "nproc",
  "rss",
  "rtprio",
  "rttime",
  "sigpending",
  "stack",
];
