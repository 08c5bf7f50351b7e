/**
 * Volume names as the local driver accepts them (moby volume/local validateName), and the names
 * of anonymous volumes: 64 hex characters, like object ids. (pure, but for the random id)
 */
import { invalidArgument } from "../lib/errors.js";
import { newId } from "../lib/ids.js";

/** What Docker's messages print as the allowed characters. */
export const VOLUME_NAME_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]";
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** The label Docker puts on volumes created without a name (`-v /data`, image VOLUME). */
export const ANONYMOUS_LABEL = "com.docker.volume.anonymous";

/**
 * Throws invalid-argument with the driver's wording; callers add the operation ("create x: ...").
 * A valid name never contains "/" or "..", so it is safe as one path component.
 */
export function validateVolumeName(name: string): void {
  if (name.length === 1) {
    throw invalidArgument("volume name is too short, names should be at least two alphanumeric characters");
  }
  if (!VOLUME_NAME.test(name)) {
    throw invalidArgument(
      `${JSON.stringify(name)} includes invalid characters for a local volume name, only ${JSON.stringify(VOLUME_NAME_CHARS)} are allowed. If you intended to pass a host directory, use absolute path`,
    );
  }
}

export function isValidVolumeName(name: string): boolean {
  return VOLUME_NAME.test(name);
}

/** A fresh name for an anonymous volume. */
export function anonymousVolumeName(): string {
  return newId();
}
