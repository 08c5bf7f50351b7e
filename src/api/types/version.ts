/**
 * Engine API versions. The server accepts /vMIN.../vCURRENT prefixes; the client negotiates down to the
 * server's Api-Version header from /_ping. (pure)
 */

/** The newest Engine API version berth speaks (docker CLI 28.2 sends /v1.50). */
export const API_VERSION_CURRENT = "1.50";
/** The oldest Engine API version berth accepts (dockerd's default minimum). */
export const API_VERSION_MIN = "1.24";

export interface ApiVersionRange {
  /** The highest version served; unversioned paths use it. */
  readonly current: string;
  /** The lowest version accepted. */
  readonly min: string;
}

/** Compares dotted versions numerically ("1.9" < "1.10"); missing components count as 0. */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split(".");
  const pb = b.split(".");
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = Number.parseInt(pa[i] ?? "0", 10) || 0;
    const y = Number.parseInt(pb[i] ?? "0", 10) || 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export const apiVersionLessThan = (a: string, b: string): boolean => compareApiVersions(a, b) < 0;
export const apiVersionAtLeast = (a: string, b: string): boolean => compareApiVersions(a, b) >= 0;
