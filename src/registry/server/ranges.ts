/**
 * Byte ranges on the wire: the `Range` of a blob GET (RFC 9110, one range only) and the
 * `Content-Range` of an upload chunk (the spec's inclusive `<start>-<end>`). (pure)
 */

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/**
 * The range a blob GET asks for, clamped to `size`: undefined to send the whole blob (no header, a
 * header this parser does not understand, or several ranges, which RFC 9110 allows a server to
 * ignore), "unsatisfiable" when it starts past the end.
 */
export function parseRangeHeader(
  header: string | undefined,
  size: number,
): ByteRange | "unsatisfiable" | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header);
  if (!m) return undefined;
  const [, a = "", b = ""] = m;
  if (a === "" && b === "") return undefined;
  if (a === "") {
    // suffix range: the last b bytes
    const len = Number(b);
    if (len === 0) return "unsatisfiable";
    return size === 0 ? "unsatisfiable" : { start: Math.max(0, size - len), end: size - 1 };
  }
  const start = Number(a);
  if (start >= size) return "unsatisfiable";
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return undefined;
  return { start, end };
}

/**
 * An upload chunk's Content-Range: "<start>-<end>" (some clients, Docker's among them, send the
 * RFC form "bytes <start>-<end>/<total>" or "bytes=<start>-<end>"). Returns undefined when malformed.
 */
export function parseContentRange(header: string): ByteRange | undefined {
  const m = /^\s*(?:bytes[ =])?\s*(\d+)-(\d+)(?:\/(?:\d+|\*))?\s*$/.exec(header);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return undefined;
  return { start, end };
}

/** The spec's `Range: 0-<last byte>` of an upload holding `size` bytes ("0-0" while empty, as Distribution). */
export function uploadRange(size: number): string {
  return `0-${Math.max(0, size - 1)}`;
}
