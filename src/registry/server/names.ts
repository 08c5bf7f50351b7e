/**
 * Repository names, tags and manifest references as the distribution spec defines them. (pure)
 */
import { type Digest, isDigest } from "../../lib/digest.js";
import { digestInvalid, nameInvalid, tagInvalid } from "./errors.js";

const COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
const NAME_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** Many clients cap host + "/" + name at 255 characters; a name alone never needs more. */
export const NAME_MAX = 255;

export function isValidName(name: string): boolean {
  return name.length <= NAME_MAX && NAME_RE.test(name);
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

/** Throws NAME_INVALID saying what is wrong. */
export function checkName(name: string): string {
  if (name.length > NAME_MAX) throw nameInvalid(name.slice(0, 40), `longer than ${NAME_MAX} characters`);
  if (!NAME_RE.test(name)) {
    throw nameInvalid(
      name,
      "use lowercase letters, digits and separators (., _, __, -) in path components joined by /",
    );
  }
  return name;
}

export function checkTag(tag: string): string {
  if (!isValidTag(tag)) throw tagInvalid(tag);
  return tag;
}

/** Throws DIGEST_INVALID for anything but sha256:<64 lowercase hex>. */
export function checkDigest(s: string): Digest {
  if (isDigest(s)) return s;
  const algo = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):/.exec(s)?.[1];
  if (algo !== undefined && algo !== "sha256") {
    throw digestInvalid(`unsupported digest algorithm "${algo}": this registry stores sha256 only`, {
      digest: s,
    });
  }
  throw digestInvalid(`invalid digest "${s}": expected sha256:<64 lowercase hex>`, { digest: s });
}

export type ManifestReference = { kind: "tag"; tag: string } | { kind: "digest"; digest: Digest };

/** A manifest URL's last segment: a digest when it has a ":", else a tag. */
export function parseManifestReference(ref: string): ManifestReference {
  if (ref.includes(":")) return { kind: "digest", digest: checkDigest(ref) };
  return { kind: "tag", tag: checkTag(ref) };
}
