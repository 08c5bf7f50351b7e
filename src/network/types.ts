/**
 * The data the network layer works from. The daemon owns the records (network and container
 * state); it hands these plain values to the planners and keeps them as it likes.
 *
 * Terms:
 * - network: one Linux bridge with a subnet and a gateway address on the host side.
 * - endpoint: one container's attachment to one network: a veth pair whose host end is a port of
 *   the bridge and whose other end is `ifName` (eth0, eth1, …) inside the container's netns.
 * - port mapping: a published port, resolved (host port chosen), served by the kernel (nft DNAT)
 *   and, for loopback host addresses, by the userland proxy.
 */

export interface BridgeNetwork {
  /** 64-hex network id. */
  id: string;
  /** Network name, for DNS and logs. */
  name: string;
  /** Bridge device: "berth0" for the default network, "br-<12 hex>" for user networks. */
  bridge: string;
  /** "198.19.0.0/24" */
  subnet: string;
  /** "198.19.0.1": the bridge's address, containers' default route and DNS server. */
  gateway: string;
  /** `--internal`: no default route in containers, no NAT, no traffic in or out of the bridge. */
  internal?: boolean;
  /** Inter-container communication on this bridge (com.docker.network.bridge.enable_icc); default true. */
  icc?: boolean;
  /** Masquerade outbound traffic (com.docker.network.bridge.enable_ip_masquerade); default true. */
  masquerade?: boolean;
  /** Interface MTU (com.docker.network.driver.mtu). */
  mtu?: number;
  /**
   * Port of the embedded DNS server on the gateway when it is not 53. Containers still ask
   * <gateway>:53; the nft table redirects that to this port, so a container may publish port 53 on
   * the host (the proxy's 0.0.0.0:53) without clashing with berth's DNS.
   */
  dnsPort?: number;
}

export type PortProto = "tcp" | "udp";

export interface PortMapping {
  proto: PortProto;
  /** Host address: "" or "0.0.0.0" for every address of the host. */
  hostIp: string;
  hostPort: number;
  containerPort: number;
}

export interface Endpoint {
  networkId: string;
  containerId: string;
  /** Path of the container's network namespace (bind-mounted nsfs file). */
  netns: string;
  /** Interface name inside the container. */
  ifName: string;
  /** Host end of the veth pair. */
  hostVeth: string;
  /** Container address, without prefix length. */
  ip: string;
  mac: string;
  /** Install the default route through this network's gateway (one endpoint per container). */
  defaultRoute: boolean;
  ports: PortMapping[];
}
