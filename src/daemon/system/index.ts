export { compileEventFilter, EVENT_FILTER_KEYS, type EventPredicate, matchesEvent } from "./event-filter.js";
export {
  EventBus,
  type EventBusOptions,
  type PublishInput,
  type SubscribeOptions,
  type Subscription,
} from "./events.js";
export { type HostFacts, readHostFacts } from "./host-facts.js";
export { buildInfo, type InfoConfig, type InfoCounts, type InfoLive, rfc3339Nano } from "./info.js";
export { createSystemService, type SystemService, type SystemServiceDeps } from "./service.js";
export { buildVersion, type VersionInput } from "./version.js";
