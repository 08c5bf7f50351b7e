/**
 * Docker image references, parsed and normalised exactly as github.com/distribution/reference's
 * ParseNormalizedNamed does (docker CLI and daemon use it), with Docker's error wording.
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain "/"] path
 *   domain           := host [":" port]          host: DNS-ish name (any case), IPv4, or [IPv6]
 *   path             := component ["/" component]*
 *   component        := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag              := [\w][\w.-]{0,127}
 *
 * Normalisation: the first "/"-separated part is a domain only when it is "localhost", contains "." or
 * ":", or has uppercase letters; otherwise the domain is docker.io. "index.docker.io" becomes
 * "docker.io", and a single-component path on docker.io gets "library/":
 *
 *   nginx                  → docker.io/library/nginx
 *   myrepo/app:1.0         → docker.io/myrepo/app:1.0
 *   localhost:5000/x       → localhost:5000/x
 *   Foo/bar                → domain "Foo", path "bar" (uppercase first part is taken as a host name)
 *
 * Digests: only sha256 is supported (lib/digest); other algorithms fail as "unsupported digest algorithm".
 */
import type { Digest } from "../lib/digest.js";
import { isDigest } from "../lib/digest.js";
import { invalidArgument } from "../lib/errors.js";

export interface Reference {
  /** Registry host[:port], e.g. "docker.io", "localhost:5000", "[::1]:5000". */
  domain: string;
  /** Repository path without domain, e.g. "library/nginx". */
  path: string;
  tag?: string;
  digest?: Digest;
}

export const DEFAULT_DOMAIN = "docker.io";
export const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
export const OFFICIAL_REPO_PREFIX = "library/";
export const DEFAULT_TAG = "latest";
/** Maximum length of a repository path (without domain). */
export const REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255;

const ALPHANUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const DOMAIN_NAME_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = `${DOMAIN_NAME_COMPONENT}(?:\\.${DOMAIN_NAME_COMPONENT})*`;
const IPV6_ADDRESS = "\\[(?:[a-fA-F0-9:]+)\\]";
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME}`;

const REFERENCE_RE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_NAME_RE = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`);
const ANCHORED_TAG_RE = new RegExp(`^${TAG}$`);
const ANCHORED_IDENTIFIER_RE = /^[a-f0-9]{64}$/;
const IMAGE_ID_RE = /^(?:sha256:)?[a-f0-9]{64}$/;

/**
 * Parses a reference as the docker CLI does (ParseNormalizedNamed): normalises the domain and the
 * "library/" prefix, keeps tag and digest as given, and does not add a default tag.
 * Throws invalidArgument with Docker's messages, e.g. "invalid reference format",
 * "invalid reference format: repository name (library/UPPER) must be lowercase".
 * A bare 64-hex string is refused; check looksLikeImageId first where an image ID is acceptable.
 */
export function parseReference(s: string): Reference {
  if (ANCHORED_IDENTIFIER_RE.test(s)) {
    throw invalidArgument(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  const [domain, remainder] = splitDockerDomain(s);
  const colon = remainder.indexOf(":");
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) {
    throw invalidArgument(`invalid reference format: repository name (${remote}) must be lowercase`);
  }
  return parseFullReference(`${domain}/${remainder}`);
}

/** distribution/reference's splitDockerDomain. */
function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const slash = name.indexOf("/");
  if (slash === -1) return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === "localhost") [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) [domain, remote] = [DEFAULT_DOMAIN, maybeRemote];
  else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, maybeRemote];
  else [domain, remote] = [DEFAULT_DOMAIN, name];
  if (domain === DEFAULT_DOMAIN && !remote.includes("/")) remote = OFFICIAL_REPO_PREFIX + remote;
  return [domain, remote];
}

/** distribution/reference's Parse, for an input that already starts with a domain. */
function parseFullReference(s: string): Reference {
  const m = REFERENCE_RE.exec(s);
  if (m === null) {
    const lower = s.toLowerCase();
    if (lower !== s && REFERENCE_RE.test(lower)) throw invalidArgument("repository name must be lowercase");
    throw invalidArgument("invalid reference format");
  }
  const [, name = "", tag, digest] = m;
  const nm = ANCHORED_NAME_RE.exec(name);
  const ref: Reference = { domain: nm?.[1] ?? "", path: nm?.[2] ?? name };
  if (ref.path.length > REPOSITORY_NAME_TOTAL_LENGTH_MAX) {
    throw invalidArgument(
      `repository name must not be more than ${REPOSITORY_NAME_TOTAL_LENGTH_MAX} characters`,
    );
  }
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = checkDigest(digest);
  return ref;
}

/** go-digest's Digest.Validate, restricted to what lib/digest supports (sha256). */
function checkDigest(d: string): Digest {
  if (isDigest(d)) return d;
  const colon = d.indexOf(":");
  const algorithm = d.slice(0, colon);
  const encoded = d.slice(colon + 1);
  if (algorithm !== "sha256") throw invalidArgument("unsupported digest algorithm");
  if (encoded.length !== 64) throw invalidArgument("invalid checksum digest length");
  throw invalidArgument("invalid checksum digest format");
}

/** True for what Docker treats as an image ID rather than a name: 64 lowercase hex, optionally "sha256:"-prefixed. */
export function looksLikeImageId(s: string): boolean {
  return IMAGE_ID_RE.test(s);
}

/** True when `tag` is a valid tag ([\w][\w.-]{0,127}). */
export function isValidTag(tag: string): boolean {
  return ANCHORED_TAG_RE.test(tag);
}

/** Adds tag "latest" when the reference has neither tag nor digest (TagNameOnly). */
export function withDefaultTag(ref: Reference): Reference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;
}

/** Replaces the tag, keeping any digest (WithTag); throws "invalid tag format". */
export function withTag(ref: Reference, tag: string): Reference {
  if (!isValidTag(tag)) throw invalidArgument("invalid tag format");
  return { ...ref, tag };
}

/** Drops tag and digest (TrimNamed). */
export function trimReference(ref: Reference): Reference {
  return { domain: ref.domain, path: ref.path };
}

/** "docker.io/library/nginx". */
export function repositoryName(ref: Reference): string {
  return ref.domain === "" ? ref.path : `${ref.domain}/${ref.path}`;
}

/** The full string: "docker.io/library/nginx:latest", "…/nginx@sha256:…", "…/nginx:1@sha256:…". */
export function formatReference(ref: Reference): string {
  return repositoryName(ref) + suffix(ref);
}

/** The repository as Docker shows it: "nginx", "myrepo/app", "localhost:5000/x", "library/a/b". */
export function familiarRepository(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryName(ref);
  if (ref.path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
    if (!rest.includes("/")) return rest;
  }
  return ref.path;
}

/** The reference as Docker shows it: "nginx:latest", "myrepo/app:1.0", "localhost:5000/x:1". */
export function familiarString(ref: Reference): string {
  return familiarRepository(ref) + suffix(ref);
}

function suffix(ref: Reference): string {
  return (ref.tag !== undefined ? `:${ref.tag}` : "") + (ref.digest !== undefined ? `@${ref.digest}` : "");
}
