/** The registry server: `berth registry serve` and `berth registry gc`. */
export { collectGarbage, type GcOptions, type GcResult } from "./gc.js";
export { type RegistryServerOptions, type RunningRegistry, startRegistryServer } from "./server.js";
export { RegistryStorage } from "./storage.js";
