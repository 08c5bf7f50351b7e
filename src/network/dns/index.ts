/** The embedded DNS of user-defined networks: the pure table and the UDP/TCP server. */
export { forwardQuery, parseUpstream, type Upstream } from "./forward.js";
export { DnsServer, type DnsServerOptions } from "./server.js";
export {
  answerQuery,
  buildTable,
  containerDnsNames,
  type DnsEntry,
  type DnsTable,
  ipFromReverse,
  normalizeName,
  RCODE,
  reply,
} from "./table.js";
