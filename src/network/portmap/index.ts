/** Published ports: request parsing, host port allocation (pure), the mapper and its userland proxy. */
export {
  alreadyAllocated,
  candidatePorts,
  DEFAULT_PORT_RANGE,
  emptyAllocations,
  isAllocated,
  type PortAllocations,
  type PortRange,
  parsePortRange,
  releasePorts,
  reservePort,
} from "./allocator.js";
export { hostPortRange, isPortFree, PortMapper, type PortMapperOptions } from "./mapper.js";
export { type ProxyOptions, type ProxySpec, type RunningProxy, startProxy } from "./proxy.js";
export {
  type PortBindings,
  type PortRequest,
  parsePortSpec,
  publishAllRequests,
  requestsFromBindings,
} from "./spec.js";
