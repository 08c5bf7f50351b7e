/**
 * A user-defined network as berth stores it (schema version 1):
 *   <data-root>/networks/user/<id>/record.json
 * The kernel objects (bridge, rules, DNS server) are derived from it at daemon start.
 */
export interface NetworkRecord {
  schemaVersion: 1;
  id: string;
  name: string;
  /** RFC 3339. */
  created: string;
  driver: "bridge";
  internal: boolean;
  attachable: boolean;
  labels: Record<string, string>;
  /** Driver options as given (com.docker.network.bridge.name, enable_icc, …). */
  options: Record<string, string>;
  ipam: { subnet: string; gateway: string; ipRange?: string };
  /** Bridge device: br-<12 hex of the id>, or com.docker.network.bridge.name. */
  bridge: string;
}
