/**
 * Registry errors as the distribution spec puts them on the wire: an HTTP status plus a body
 * `{"errors":[{"code","message","detail"}]}` whose code is one of the spec's identifiers. Handlers
 * throw RegistryError; the server turns it (and any other error, as 500) into a response in one
 * place. (pure)
 */

export type RegistryErrorCode =
  | "BLOB_UNKNOWN"
  | "BLOB_UPLOAD_INVALID"
  | "BLOB_UPLOAD_UNKNOWN"
  | "DIGEST_INVALID"
  | "MANIFEST_BLOB_UNKNOWN"
  | "MANIFEST_INVALID"
  | "MANIFEST_UNKNOWN"
  | "NAME_INVALID"
  | "NAME_UNKNOWN"
  | "SIZE_INVALID"
  | "TAG_INVALID"
  | "UNAUTHORIZED"
  | "DENIED"
  | "UNSUPPORTED"
  /** Distribution's code for a 500: something broke on the server's side. */
  | "UNKNOWN";

export interface ErrorEntry {
  code: RegistryErrorCode;
  message: string;
  detail?: unknown;
}

export class RegistryError extends Error {
  readonly status: number;
  readonly entries: ErrorEntry[];
  /** Extra response headers (an upload's Location and Range beside a 416). */
  readonly headers: Record<string, string> = {};
  constructor(status: number, code: RegistryErrorCode, message: string, detail?: unknown) {
    super(message);
    this.name = "RegistryError";
    this.status = status;
    this.entries = [detail === undefined ? { code, message } : { code, message, detail }];
  }
  get code(): RegistryErrorCode {
    return this.entries[0]!.code;
  }
  /** Adds more entries of the same status (e.g. one MANIFEST_BLOB_UNKNOWN per missing blob). */
  with(code: RegistryErrorCode, message: string, detail?: unknown): this {
    this.entries.push(detail === undefined ? { code, message } : { code, message, detail });
    return this;
  }
}

export function errorBody(entries: readonly ErrorEntry[]): string {
  return JSON.stringify({ errors: entries });
}

export const blobUnknown = (digest: string) =>
  new RegistryError(404, "BLOB_UNKNOWN", "blob unknown to registry", { digest });
export const blobUploadUnknown = (uuid: string) =>
  new RegistryError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", { uuid });
export const blobUploadInvalid = (message: string) => new RegistryError(400, "BLOB_UPLOAD_INVALID", message);
export const digestInvalid = (message: string, detail?: unknown) =>
  new RegistryError(400, "DIGEST_INVALID", message, detail);
export const manifestInvalid = (message: string) => new RegistryError(400, "MANIFEST_INVALID", message);
export const manifestUnknown = (reference: string) =>
  new RegistryError(404, "MANIFEST_UNKNOWN", "manifest unknown to registry", { reference });
export const nameInvalid = (name: string, why: string) =>
  new RegistryError(400, "NAME_INVALID", `invalid repository name "${name}": ${why}`, { name });
export const nameUnknown = (name: string) =>
  new RegistryError(404, "NAME_UNKNOWN", "repository name not known to registry", { name });
export const sizeInvalid = (message: string, status = 400) =>
  new RegistryError(status, "SIZE_INVALID", message);
export const tagInvalid = (tag: string) =>
  new RegistryError(
    400,
    "TAG_INVALID",
    `invalid tag "${tag}": a tag is 1 to 128 characters of [A-Za-z0-9_.-] not starting with "." or "-"`,
    { tag },
  );
export const unauthorized = (message = "authentication required") =>
  new RegistryError(401, "UNAUTHORIZED", message);
export const denied = (message: string) => new RegistryError(403, "DENIED", message);
export const unsupported = (message: string, status = 405) =>
  new RegistryError(status, "UNSUPPORTED", message);
/** 416: an upload chunk out of order, or a blob Range beyond its end. */
export const rangeNotSatisfiable = (message: string, detail?: unknown) =>
  new RegistryError(416, "BLOB_UPLOAD_INVALID", message, detail);

export function isRegistryError(err: unknown): err is RegistryError {
  return err instanceof RegistryError;
}
