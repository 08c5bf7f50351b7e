/** Registry endpoints for the client side: pull and push (JSON progress streams) and login. */
import type { AuthConfig, AuthResponse } from "../types/registry-auth.js";
import { encodeRegistryAuth } from "../types/registry-auth.js";
import { type ApiClient, readJsonStream } from "./client.js";
import type { JsonMessage } from "./images.js";

function authHeader(auth: AuthConfig | undefined): Record<string, string> {
  return { "X-Registry-Auth": encodeRegistryAuth(auth ?? {}) };
}

/** POST /images/create?fromImage=&tag=&platform=: yields Docker's progress messages. */
export async function* pull(
  client: ApiClient,
  opts: { fromImage: string; tag?: string; platform?: string; auth?: AuthConfig },
): AsyncGenerator<JsonMessage> {
  const res = await client.stream("POST", "/images/create", {
    query: { fromImage: opts.fromImage, tag: opts.tag ?? "", platform: opts.platform || undefined },
    headers: authHeader(opts.auth),
  });
  yield* readJsonStream<JsonMessage>(res);
}

/** POST /images/{name}/push?tag=: an empty tag pushes every tag of the repository. */
export async function* push(
  client: ApiClient,
  name: string,
  opts: { tag?: string; auth?: AuthConfig },
): AsyncGenerator<JsonMessage> {
  const res = await client.stream("POST", `/images/${encodeURIComponent(name)}/push`, {
    query: { tag: opts.tag ?? "" },
    headers: authHeader(opts.auth),
  });
  yield* readJsonStream<JsonMessage>(res);
}

/** POST /auth: the daemon checks the credentials against the registry. */
export function login(client: ApiClient, auth: AuthConfig): Promise<AuthResponse> {
  return client.json<AuthResponse>("POST", "/auth", { body: auth });
}
