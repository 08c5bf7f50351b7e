import { type Digest, sha256 } from "../lib/digest.js";

/** OCI chain id: identifies a layer together with everything below it. */
export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const out: Digest[] = [];
  for (const d of diffIds) {
    const parent = out[out.length - 1];
    out.push(parent ? sha256(`${parent} ${d}`) : d);
  }
  return out;
}
