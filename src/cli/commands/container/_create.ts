/**
 * What `run` and `create` share after their flags are parsed: the --cidfile, pulling a missing
 * image ("Unable to find image 'busybox:latest' locally"), the create call, and its warnings.
 */
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import type { ApiClient } from "../../../api/client/client.js";
import { create } from "../../../api/client/containers.js";
import { pull } from "../../../api/client/registry.js";
import { errnoCode, errorMessage } from "../../../lib/errors.js";
import {
  familiarString,
  looksLikeImageId,
  parseReference,
  type Reference,
  repositoryName,
  withDefaultTag,
} from "../../../oci/reference.js";
import type { CliContext } from "../../command.js";
import type { ContainerOptions, OptionsEnv } from "../../container-options.js";
import { credentialsFor } from "../../credentials.js";
import { ProgressDisplay } from "../../progress-display.js";
import { isNotFound } from "./_shared.js";

/** The I/O side of OptionsEnv: the real environment, files and working directory. */
export function processEnv(): OptionsEnv {
  return {
    getenv: (key) => process.env[key],
    readFile(path) {
      try {
        return readFileSync(path, "utf8");
      } catch (err) {
        const code = errnoCode(err);
        if (code === "ENOENT") throw new Error(`open ${path}: no such file or directory`);
        if (code === "EACCES") throw new Error(`open ${path}: permission denied`);
        throw err;
      }
    },
    cwd: process.cwd(),
  };
}

/** POST /images/create?fromImage=&tag=: pulls (with stored credentials) and shows progress on stderr. */
export async function pullImage(
  ctx: CliContext,
  client: ApiClient,
  ref: Reference,
  opts: { platform?: string; quiet?: boolean },
): Promise<void> {
  const display = new ProgressDisplay(ctx.stderr);
  const stream = pull(client, {
    fromImage: repositoryName(ref),
    tag: ref.digest ?? ref.tag,
    platform: opts.platform || undefined,
    auth: await credentialsFor(ref.domain),
  });
  for await (const m of stream) {
    if (!opts.quiet || m.error !== undefined || m.errorDetail !== undefined) display.show(m);
  }
}

/** The image as a name to pull (tag "latest" added), or undefined for an image ID. */
function pullableReference(image: string): Reference | undefined {
  if (looksLikeImageId(image)) return undefined;
  try {
    return withDefaultTag(parseReference(image));
  } catch {
    return undefined;
  }
}

/** --cidfile: refuses an existing file, as docker does; the id is written once known. */
class CidFile {
  readonly #path: string;
  #fd: number | undefined;
  #written = false;

  constructor(path: string) {
    this.#path = path;
    if (path === "") return;
    if (existsSync(path)) {
      throw new Error(
        `container ID file found, make sure the other container isn't running or delete ${path}`,
      );
    }
    try {
      this.#fd = openSync(path, "wx");
    } catch (err) {
      throw new Error(`failed to create the container ID file: ${errorMessage(err)}`);
    }
  }

  write(id: string): void {
    if (this.#fd === undefined) return;
    writeSync(this.#fd, id);
    this.#written = true;
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
    if (!this.#written) unlinkSync(this.#path);
  }
}

/** "Localhost DNS (127.0.0.1) may fail in containers." for a loopback --dns. */
function localhostDnsWarning(opts: ContainerOptions): string | undefined {
  const dns = opts.config.HostConfig?.Dns ?? [];
  const loopback = dns.find((d) => d.startsWith("127.") || d === "::1");
  return loopback ? `Localhost DNS (${loopback}) may fail in containers.` : undefined;
}

/**
 * Creates the container, pulling the image first when it is missing (--pull missing) or always.
 * Prints warnings to stderr; returns the new id. Errors are thrown as they come (ApiError etc.).
 */
export async function createContainer(
  ctx: CliContext,
  client: ApiClient,
  opts: ContainerOptions,
): Promise<string> {
  const cid = new CidFile(opts.cidfile);
  try {
    const ref = pullableReference(opts.image);
    const pull = () => pullImage(ctx, client, ref!, { platform: opts.platform, quiet: opts.quiet });
    if (opts.pull === "always" && ref) await pull();
    const createOpts = { name: opts.name, platform: opts.platform };
    let response: Awaited<ReturnType<typeof create>>;
    try {
      response = await create(client, opts.config, createOpts);
    } catch (err) {
      if (!(isNotFound(err) && ref && opts.pull === "missing")) throw err;
      if (!opts.quiet) ctx.stderr.write(`Unable to find image '${familiarString(ref)}' locally\n`);
      await pull();
      response = await create(client, opts.config, createOpts);
    }
    const warnings = [...(response.Warnings ?? [])];
    const dns = localhostDnsWarning(opts);
    if (dns) warnings.push(dns);
    for (const w of warnings) ctx.stderr.write(`WARNING: ${w}\n`);
    cid.write(response.Id);
    return response.Id;
  } finally {
    cid.close();
  }
}
