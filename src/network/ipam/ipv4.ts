/**
 * IPv4 addresses and CIDR prefixes as numbers (pure). An address is an unsigned 32-bit integer;
 * a prefix is its network address plus a length. Text forms are the usual dotted quads and
 * "a.b.c.d/n".
 */
import { invalidArgument } from "../../lib/errors.js";

export interface Prefix {
  /** Network address (host bits zero), unsigned. */
  readonly base: number;
  readonly bits: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The address as a number, or undefined when `text` is not a dotted quad. */
export function tryParseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function parseIpv4(text: string): number {
  const n = tryParseIpv4(text);
  if (n === undefined) throw invalidArgument(`invalid IPv4 address: ${text}`);
  return n;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** The netmask of a prefix length, unsigned. */
export function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

export interface ParsedCidr {
  /** The address as written (host bits may be set). */
  readonly addr: number;
  readonly bits: number;
}

/** "a.b.c.d/n" as written, host bits kept; undefined when malformed. */
export function tryParseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const addr = tryParseIpv4(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (addr === undefined || !/^\d{1,2}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  return bits <= 32 ? { addr, bits } : undefined;
}

/** A prefix from text, host bits cleared. Throws invalid-argument when malformed. */
export function parsePrefix(text: string): Prefix {
  const c = tryParseCidr(text);
  if (!c) throw invalidArgument(`invalid CIDR address: ${text}`);
  return { base: (c.addr & maskOf(c.bits)) >>> 0, bits: c.bits };
}

export function formatPrefix(p: Prefix): string {
  return `${formatIpv4(p.base)}/${p.bits}`;
}

export function size(p: Prefix): number {
  return 2 ** (32 - p.bits);
}

/** The last address of the prefix (the broadcast address for bits < 31). */
export function lastAddress(p: Prefix): number {
  return p.base + size(p) - 1;
}

export function contains(p: Prefix, addr: number): boolean {
  return addr >= p.base && addr <= lastAddress(p);
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  return a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

/** True when `inner` lies entirely inside `outer`. */
export function within(inner: Prefix, outer: Prefix): boolean {
  return inner.bits >= outer.bits && contains(outer, inner.base);
}

export function isLoopback(addr: number): boolean {
  return addr >>> 24 === 127;
}

export function isUnspecified(text: string): boolean {
  return text === "" || text === "0.0.0.0";
}
