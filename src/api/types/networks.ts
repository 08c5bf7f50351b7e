/** Engine API network objects (GET /networks, GET /networks/{id}), as Docker shapes them. (pure) */

export interface NetworkContainer {
  Name: string;
  EndpointID: string;
  MacAddress: string;
  /** "198.18.0.2/24" */
  IPv4Address: string;
  IPv6Address: string;
}

export interface NetworkIpamConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
}

export interface Network {
  Name: string;
  Id: string;
  Created: string;
  Scope: "local";
  Driver: string;
  EnableIPv4: boolean;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: NetworkIpamConfig[] };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Containers: Record<string, NetworkContainer>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

/** Body of POST /networks/create (the fields berth reads). */
export interface NetworkCreateRequest {
  Name?: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  CheckDuplicate?: boolean;
  Labels?: Record<string, string> | null;
  Options?: Record<string, string> | null;
  IPAM?: {
    Driver?: string;
    Config?: NetworkIpamConfig[] | null;
    Options?: Record<string, string> | null;
  } | null;
}
