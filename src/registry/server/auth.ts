/**
 * Basic auth against an htpasswd file. Every request to /v2/ must carry credentials of a user in the
 * file; otherwise the answer is 401 with `WWW-Authenticate: Basic realm="…"`, which is what makes
 * docker/skopeo/berth send them. Checked credentials are remembered (by a hash of the header) so a
 * pull of many blobs pays for bcrypt once.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { unauthorized } from "./errors.js";
import { checkPassword, type Htpasswd, parseBasicAuth, parseHtpasswd } from "./htpasswd.js";

const CACHE_MAX = 256;

export class BasicAuth {
  readonly realm: string;
  readonly #users: Htpasswd;
  readonly #verified = new Map<string, string>();

  private constructor(users: Htpasswd, realm: string) {
    this.#users = users;
    this.realm = realm;
  }

  /** Loads the file; throws when it is unreadable or holds no usable entry. */
  static async load(file: string, realm: string): Promise<BasicAuth> {
    const users = parseHtpasswd(await fs.readFile(file, "utf8"));
    if (users.entries.size === 0) {
      const why = users.problems.length > 0 ? `: ${users.problems.join("; ")}` : "";
      throw new Error(`htpasswd file ${file} has no usable entries${why}`);
    }
    return new BasicAuth(users, realm);
  }

  get problems(): readonly string[] {
    return this.#users.problems;
  }

  challenge(): string {
    return `Basic realm="${this.realm.replace(/["\\]/g, "")}", charset="UTF-8"`;
  }

  /** The user a request authenticates as; throws UNAUTHORIZED (the caller adds the challenge). */
  async authenticate(header: string | undefined): Promise<string> {
    const creds = parseBasicAuth(header);
    if (!creds) throw unauthorized("authentication required: send basic auth credentials");
    const key = createHash("sha256").update(header!).digest("hex");
    const known = this.#verified.get(key);
    if (known !== undefined) return known;
    const entry = this.#users.entries.get(creds.user);
    if (!entry || !(await checkPassword(entry, creds.password))) {
      throw unauthorized("invalid username or password");
    }
    if (this.#verified.size >= CACHE_MAX) this.#verified.clear();
    this.#verified.set(key, creds.user);
    return creds.user;
  }
}
