/**
 * berth's network layer (see docs/networking.md): Docker's bridge networking built from iproute2 and
 * nftables, an embedded DNS per user network, published ports with a userland proxy for loopback.
 *
 * Pure planners (ipam, bridge/plan, nat/ruleset, portmap/spec + allocator, dns/table,
 * reconcile/plan) return data; the shells (bridge/driver, nat/apply, portmap/mapper + proxy,
 * dns/server, reconcile/observe) act through an injected CommandRunner or Node sockets.
 */
export * from "./bridge/index.js";
export * from "./dns/index.js";
export * from "./etc-files.js";
export * from "./ipam/index.js";
export * from "./nat/index.js";
export {
  applyPlan,
  applyWithRollback,
  type Command,
  type CommandPlan,
  cmd,
  formatPlan,
  tolerant,
} from "./plan.js";
export * from "./portmap/index.js";
export * from "./reconcile/index.js";
export type { BridgeNetwork, Endpoint, PortMapping, PortProto } from "./types.js";
