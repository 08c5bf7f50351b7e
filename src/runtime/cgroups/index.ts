// cgroup accounting: the host layout (v1, hybrid, v2), a container's directories, and samples of
// its CPU, memory, pids and block I/O counters. Pure parsers in parse.ts and layout.ts.
export type { CgroupDirs, CgroupLayout, CgroupMount, ProcCgroups } from "./layout.js";
export { cgroupDir, containerCgroupDirs, parseMountinfo, parseProcCgroup } from "./layout.js";
export type { BlkioEntry, NetDevCounters } from "./parse.js";
export type { CgroupSample } from "./sample.js";
export {
  hostCgroupLayout,
  readCgroupSample,
  readHostCpu,
  readNetDev,
  readOomKills,
  readProcCgroups,
} from "./sample.js";
