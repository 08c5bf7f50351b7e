/**
 * runtime/spec: the pure OCI runtime spec generator. Takes data about one container and returns a
 * spec (config.json content); reads and writes nothing.
 */
export type { CapabilityOptions } from "./capabilities.js";
export {
  capabilitiesFromMask,
  DEFAULT_CAPABILITIES,
  KNOWN_CAPABILITIES,
  normalizeCapabilities,
  resolveCapabilities,
} from "./capabilities.js";
export type { CreateCommand, ImageCommand, ResolvedCommand } from "./command.js";
export { resolveCommand, resolveContainerCommand } from "./command.js";
export type { EnvDefaults } from "./env.js";
export { DEFAULT_PATH_ENV, mergeConfigEnv, mergeEnv, parseEnvFile, replaceOrAppendEnv } from "./env.js";
export {
  DEFAULT_MASKED_PATHS,
  DEFAULT_READONLY_PATHS,
  generateSpec,
  OCI_VERSION,
  PRIVATE_NETWORK_SYSCTLS,
} from "./generate.js";
export { buildMounts, defaultMounts, mergeTmpfsOptions, sortMounts, tmpfsMount } from "./mounts.js";
export { buildNamespaces } from "./namespaces.js";
export type { DeviceSetup } from "./resources.js";
export { buildDevices, buildResources, defaultDeviceRules } from "./resources.js";
export { parseProcLimits, resolveRlimits, rlimitType, validateUlimit } from "./rlimits.js";
export type * from "./runtime-spec.js";
export { RLIM_INFINITY, specToJson } from "./runtime-spec.js";
export { defaultSeccompProfile } from "./seccomp-default.js";
export type {
  SeccompArchMapEntry,
  SeccompContext,
  SeccompFilter,
  SeccompProfile,
  SeccompRule,
} from "./seccomp-profile.js";
export { compileSeccomp, parseSeccompProfile, seccompNativeArch } from "./seccomp-profile.js";
export type {
  ContainerSpecInput,
  HostRlimit,
  NetworkNamespace,
  SharedNamespace,
  SpecDevice,
  SpecMount,
  SpecNamespaces,
  SpecResources,
  SpecUser,
  Ulimit,
} from "./spec-input.js";
export { DEFAULT_SHM_SIZE, INIT_PATH } from "./spec-input.js";
export type { GroupEntry, PasswdEntry, ResolvedUser, ResolveUserOptions } from "./user.js";
export { additionalGroups, parseGroup, parsePasswd, resolveUser } from "./user.js";
