/**
 * How a build finds the images it names (FROM, COPY --from, RUN --mount from=): the local image
 * if there is one, else a pull, as Docker's legacy builder does; with `--pull`, a pull first for
 * every name (once per build), so a stale local tag is refreshed. A name that is an image id is
 * never pulled. Pull progress goes into the build's output as plain lines.
 */
import type { AuthConfig } from "../../api/types/registry-auth.js";
import { registryConfigFor } from "../../api/types/registry-auth.js";
import type { BuildBackend } from "../../builder/exec/index.js";
import { isKind, wrap } from "../../lib/errors.js";
import { formatPlatform, type PlatformSpec } from "../../oci/platform.js";
import { parseReference } from "../../oci/reference.js";
import type { ProgressMessage } from "../images/progress.js";
import type { PullRequest } from "../images/pull.js";

export type PullFn = (req: PullRequest, emit: (m: ProgressMessage) => void) => Promise<void>;

export interface BaseImageOptions {
  /** --pull: pull every named image even when it is here. */
  always: boolean;
  /** X-Registry-Config: the client's credentials by registry address. */
  registryAuth: Record<string, AuthConfig>;
  write(text: string): void;
}

const ID = /^(sha256:)?[0-9a-f]{12,64}$/;

/** The backend, with image() pulling what is missing (or everything, with `always`). */
export function pullingBackend(backend: BuildBackend, pull: PullFn, opts: BaseImageOptions): BuildBackend {
  const pulled = new Map<string, Promise<void>>();
  const pullOnce = (ref: string, platform: PlatformSpec | undefined): Promise<void> => {
    const key = `${ref} ${platform ? formatPlatform(platform) : ""}`;
    let p = pulled.get(key);
    if (!p) {
      p = pull(
        {
          fromImage: ref,
          ...(platform ? { platform: formatPlatform(platform) } : {}),
          ...optionalAuth(opts.registryAuth, ref),
        },
        (m) => {
          const line = progressLine(m);
          if (line) opts.write(`${line}\n`);
        },
      );
      pulled.set(key, p);
    }
    return p;
  };
  return {
    ...backend,
    async image(ref, o = {}) {
      if (ID.test(ref)) return backend.image(ref, o);
      if (opts.always) {
        await pullOnce(ref, o.platform).catch((err: unknown) => {
          throw wrap(err, `pulling ${ref} (--pull)`);
        });
      } else {
        try {
          return await backend.image(ref, o);
        } catch (err) {
          if (!isKind(err, "not-found")) throw err;
          await pullOnce(ref, o.platform).catch((pullErr: unknown) => {
            throw wrap(pullErr, `No such image: ${ref} here, and pulling it failed`);
          });
        }
      }
      return backend.image(ref, o);
    },
  };
}

function optionalAuth(configs: Record<string, AuthConfig>, ref: string): { auth?: AuthConfig } {
  let domain: string;
  try {
    domain = parseReference(ref).domain;
  } catch {
    return {}; // the pull reports the invalid reference
  }
  const auth = registryConfigFor(configs, domain);
  return auth ? { auth } : {};
}

/**
 * The lines of a pull worth a build log: the overall status and each layer's end, without the
 * per-chunk progress ("Downloading", "Extracting") a terminal would redraw in place.
 */
function progressLine(m: ProgressMessage): string | undefined {
  if (!m.status) return undefined;
  if (m.id === undefined) return m.status;
  return /^(Pulling from |Pull complete$|Already exists$)/.test(m.status)
    ? `${m.id}: ${m.status}`
    : undefined;
}
