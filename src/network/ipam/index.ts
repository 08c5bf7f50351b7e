/** IP address management (pure): pools, subnet allocation, validation, per-network addresses. */
export {
  type AllocateResult,
  allocateAddress,
  type NetworkAddresses,
  newNetworkAddresses,
  prefixLength,
  releaseAddress,
} from "./addresses.js";
export {
  contains,
  formatIpv4,
  formatPrefix,
  isLoopback,
  isUnspecified,
  overlaps,
  type Prefix,
  parseIpv4,
  parsePrefix,
  tryParseIpv4,
} from "./ipv4.js";
export {
  type AddressPool,
  allocateSubnet,
  checkSubnetFree,
  DEFAULT_BRIDGE_GATEWAY,
  DEFAULT_BRIDGE_SUBNET,
  DEFAULT_POOLS,
  netmask,
  routeDestinations,
  subnetSize,
  validatePools,
} from "./pools.js";
export {
  firstHost,
  type IpamConfig,
  type IpamConfigInput,
  ipamConfigErrors,
  validateIpamConfig,
} from "./validate.js";
