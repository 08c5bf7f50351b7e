/** Bridge driver: names, pure planners for links and netns, and the shell that applies them. */
export {
  applyHostSysctls,
  connectEndpoint,
  createNetns,
  disconnectEndpoint,
  ensureNetwork,
  hostRoutes,
  linkExists,
  removeNetns,
  removeNetwork,
} from "./driver.js";
export {
  bridgeName,
  DEFAULT_BRIDGE,
  DEFAULT_OWNER,
  endpointAlias,
  macAddress,
  networkAlias,
  type OwnedLink,
  parseAlias,
  vethName,
} from "./names.js";
export { NETNS_DIR, netnsPath, planNetnsCreate, planNetnsRemove } from "./netns.js";
export {
  containerSideBatch,
  type EndpointInput,
  makeEndpoint,
  type PlanOptions,
  planEndpoint,
  planEndpointTeardown,
  planHostSysctls,
  planNetwork,
  planNetworkConfigure,
  planNetworkCreate,
  planNetworkTeardown,
} from "./plan.js";
