/**
 * Whiteouts (pure): how a layer says "this path is deleted".
 *
 * In a layer tar (the AUFS convention Docker and OCI use): an empty file ".wh.<name>" deletes
 * <name> from the layers below, and ".wh..wh..opq" in a directory hides everything below it.
 * On disk, in an overlay lower or upper directory: a character device 0:0 named <name>, and the
 * xattr trusted.overlay.opaque="y" on the directory. Extraction maps tar -> disk, diff maps back.
 */

export const WHITEOUT_PREFIX = ".wh.";
/** Prefix of AUFS metadata entries; berth ignores all of them except the opaque marker. */
export const WHITEOUT_META_PREFIX = ".wh..wh.";
export const WHITEOUT_OPAQUE = ".wh..wh..opq";

export const OVERLAY_XATTR_PREFIX = "trusted.overlay.";
export const OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";
/** Newer kernels also accept a regular file carrying this xattr as a whiteout. */
export const OVERLAY_WHITEOUT_XATTR = "trusted.overlay.whiteout";

export type WhiteoutName =
  | { kind: "opaque" }
  | { kind: "meta" }
  | { kind: "whiteout"; target: string }
  | { kind: "invalid" };

/** Classifies a base name that starts with ".wh."; undefined for ordinary names. */
export function classifyWhiteout(base: string): WhiteoutName | undefined {
  if (!base.startsWith(WHITEOUT_PREFIX)) return undefined;
  if (base === WHITEOUT_OPAQUE) return { kind: "opaque" };
  if (base.startsWith(WHITEOUT_META_PREFIX)) return { kind: "meta" };
  const target = base.slice(WHITEOUT_PREFIX.length);
  if (target === "" || target === "." || target === "..") return { kind: "invalid" };
  return { kind: "whiteout", target };
}
