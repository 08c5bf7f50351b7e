/**
 * One invocation's compose session: the global options, the project (loaded from the compose files
 * on first use, or rebuilt from labels when only `-p` names it), and a ComposeContext for apply/.
 */
import path from "node:path";
import { allCredentials, credentialsFor } from "../../credentials.js";
import type { ApiClient } from "../../../api/client/client.js";
import { type ComposeContext, ComposeError, EXIT } from "../../../compose/apply/context.js";
import { projectFromLabels } from "../../../compose/apply/from-labels.js";
import type { LoadedProject } from "../../../compose/model.js";
import { BerthError } from "../../../lib/errors.js";
import type { CliContext } from "../../command.js";
import { contextFromDir } from "../image/build-context.js";
import { loadComposeProject } from "./_load.js";

export interface ComposeGlobals {
  files: string[];
  projectName: string;
  envFiles: string[];
  profiles: string[];
  projectDirectory: string;
}

export class ComposeSession {
  readonly globals: ComposeGlobals;
  readonly #cli: CliContext;
  #loaded: LoadedProject | undefined;

  constructor(cli: CliContext, globals: ComposeGlobals) {
    this.#cli = cli;
    this.globals = globals;
  }

  /** Loads the compose files (throws the loader's error when there are none or they are invalid). */
  async load(services?: string[]): Promise<LoadedProject> {
    if (!this.#loaded) {
      try {
        this.#loaded = await loadComposeProject(this.globals, services);
      } catch (err) {
        if (!(err instanceof BerthError) || err instanceof ComposeError) throw err;
        const code = isNoComposeFile(err) ? EXIT.fileNotFound : EXIT.parse;
        throw new ComposeError(err.kind, err.message, code, { cause: err });
      }
    }
    return this.#loaded;
  }

  /**
   * The project from the files, or — when there is no compose file and `-p` names a project — the
   * project as its containers' labels describe it (Docker Compose lets `down -p x` work anywhere).
   */
  async loadOrLabels(client: ApiClient): Promise<LoadedProject> {
    try {
      return await this.load();
    } catch (err) {
      if (!this.globals.projectName || !(err instanceof ComposeError && err.exitCode === EXIT.fileNotFound))
        throw err;
      const p = await projectFromLabels(client, this.globals.projectName);
      this.#loaded = {
        project: p.project,
        meta: {
          workingDir: p.workingDir || process.cwd(),
          configFiles: p.configFiles,
          profiles: [],
          disabledServices: {},
          environment: {},
          warnings: [],
        },
      };
      return this.#loaded!;
    }
  }

  /** The project name without loading the files when `-p` gives it. */
  async projectName(client: ApiClient): Promise<string> {
    if (this.globals.projectName) return this.globals.projectName;
    return (await this.loadOrLabels(client)).project.name;
  }

  async context(opts: { labels?: boolean } = {}): Promise<ComposeContext> {
    const client = await this.#cli.client();
    const loaded = opts.labels ? await this.loadOrLabels(client) : await this.load();
    const stderr = this.#cli.stderr;
    let everyCredential: ReturnType<typeof allCredentials> | undefined;
    return {
      client,
      project: loaded.project,
      meta: loaded.meta,
      progress: (line) => stderr.write(`${line}\n`),
      buildOutput: (text) => stderr.write(text),
      contextTar: (dir) => contextFromDir(path.resolve(dir)),
      credentials: (registry) => credentialsFor(registry),
      // Every service's build sends the same set: read config.json (and run helpers) once.
      allCredentials: () => (everyCredential ??= allCredentials()),
    };
  }
}

function isNoComposeFile(err: unknown): boolean {
  return err instanceof BerthError && /no configuration file provided/.test(err.message);
}
