/**
 * The embedded resolver's answers (pure): a per-network table of names → addresses, and the reply
 * for a decoded query, or `undefined` when the name is not berth's and the query must go upstream.
 *
 * Names, as Docker's embedded DNS: the container's name, its network aliases and its short id,
 * matched without regard to case or a trailing dot. Known names answer A records (several
 * addresses for a shared alias); other types of a known name answer NOERROR with no records, so a
 * client's AAAA lookup does not fail the A it also made. PTR answers for addresses in the table.
 */
import type { Answer, DecodedPacket, Packet } from "dns-packet";
import * as dnsPacket from "dns-packet";
import { formatIpv4, tryParseIpv4 } from "../ipam/ipv4.js";

export interface DnsEntry {
  ip: string;
  /** Names that resolve to `ip`; the first is the one PTR answers. */
  names: string[];
}

/** The names Docker's DNS answers for a container on a user-defined network. */
export function containerDnsNames(c: {
  name: string;
  containerId: string;
  aliases?: readonly string[];
}): string[] {
  const name = c.name.replace(/^\//, "");
  const all = [name, ...(c.aliases ?? []), c.containerId.slice(0, 12)];
  return [...new Set(all.filter((n) => n !== ""))];
}

export interface DnsTable {
  byName: ReadonlyMap<string, readonly string[]>;
  byIp: ReadonlyMap<string, string>;
}

export const normalizeName = (n: string) => n.toLowerCase().replace(/\.$/, "");

export function buildTable(entries: readonly DnsEntry[]): DnsTable {
  const byName = new Map<string, string[]>();
  const byIp = new Map<string, string>();
  for (const e of entries) {
    for (const raw of e.names) {
      const n = normalizeName(raw);
      const list = byName.get(n) ?? [];
      if (!list.includes(e.ip)) list.push(e.ip);
      byName.set(n, list);
    }
    if (e.names[0] && !byIp.has(e.ip)) byIp.set(e.ip, e.names[0]);
  }
  return { byName, byIp };
}

/** "2.0.19.198.in-addr.arpa" → "198.19.0.2"; undefined for other names. */
export function ipFromReverse(name: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(normalizeName(name));
  if (!m) return undefined;
  const n = tryParseIpv4(`${m[4]}.${m[3]}.${m[2]}.${m[1]}`);
  return n === undefined ? undefined : formatIpv4(n);
}

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface AnswerOptions {
  /** TTL of the records; Docker uses 600. */
  ttl?: number;
  /** Set RA: there are upstreams to recurse to. */
  recursionAvailable?: boolean;
}

/** A reply to `query` with the given rcode and answers (id, question and RD copied). */
export function reply(
  query: DecodedPacket,
  rcode: number,
  answers: Answer[] = [],
  opts: AnswerOptions = {},
): Packet {
  let flags = ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode;
  if (opts.recursionAvailable) flags |= dnsPacket.RECURSION_AVAILABLE;
  if (answers.length > 0 || rcode === RCODE.NOERROR) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
  return { type: "response", id: query.id ?? 0, flags, questions: query.questions ?? [], answers };
}

/** Opcode of a query (bits 11-14 of the header flags). */
const opcodeOf = (q: DecodedPacket) => ((q.flags ?? 0) >> 11) & 0xf;

/** The reply from berth's table, or undefined: not ours, forward it. */
export function answerQuery(
  table: DnsTable,
  query: DecodedPacket,
  opts: AnswerOptions = {},
): Packet | undefined {
  const ttl = opts.ttl ?? 600;
  const q = query.questions?.[0];
  if (query.type !== "query") return reply(query, RCODE.FORMERR, [], opts);
  if (opcodeOf(query) !== 0) return reply(query, RCODE.NOTIMP, [], opts);
  if (!q || (query.questions?.length ?? 0) !== 1) return reply(query, RCODE.FORMERR, [], opts);
  if (q.class !== "IN" && q.class !== undefined) return undefined;
  if (q.type === "PTR") {
    const ip = ipFromReverse(q.name);
    const name = ip === undefined ? undefined : table.byIp.get(ip);
    if (name === undefined) return undefined;
    return reply(query, RCODE.NOERROR, [{ type: "PTR", name: q.name, ttl, data: name }], opts);
  }
  const ips = table.byName.get(normalizeName(q.name));
  if (!ips) return undefined;
  if (q.type !== "A" && (q.type as string) !== "ANY") return reply(query, RCODE.NOERROR, [], opts);
  const answers: Answer[] = ips.map((ip) => ({ type: "A", name: q.name, ttl, data: ip }));
  return reply(query, RCODE.NOERROR, answers, opts);
}
