/**
 * `docker login` (POST /auth): checks the credentials against the registry — a token for no scope
 * (Bearer) or GET /v2/ with Basic auth — and says "Login Succeeded". Nothing is stored here; the
 * client keeps credentials in its config.json.
 */
import type { AuthConfig, AuthResponse } from "../../api/types/registry-auth.js";
import { BerthError, invalidArgument, isKind, unavailable } from "../../lib/errors.js";
import type { ImageDeps } from "./deps.js";
import { sessionsFor } from "./registry.js";

/** "https://index.docker.io/v1/", "127.0.0.1:5000", "http://reg:5000/" → the registry name. */
export function registryNameOf(serverAddress: string | undefined): string {
  const s = (serverAddress ?? "").trim();
  if (s === "" || /^(https?:\/\/)?(index\.)?docker\.io(\/|$)/.test(s) || /registry-1\.docker\.io/.test(s)) {
    return "docker.io";
  }
  const host = s.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (!/^[A-Za-z0-9.[\]:-]+$/.test(host))
    throw invalidArgument(`invalid registry address "${serverAddress}"`);
  return host;
}

export async function login(deps: ImageDeps, auth: AuthConfig): Promise<AuthResponse> {
  const reg = deps.registry;
  if (!reg) throw unavailable("this daemon has no registry configuration");
  if (!auth.username) throw invalidArgument("login needs a username");
  const name = registryNameOf(auth.serveraddress);
  const [session] = sessionsFor(reg, name, "push", auth);
  try {
    const res = await session!.ok({ method: "GET", path: "/v2/", scope: "" }, `login to ${name}`);
    res.resume();
  } catch (err) {
    if (isKind(err, "unauthorized") || isKind(err, "permission-denied")) {
      throw new BerthError("unauthorized", `login to ${name} failed: incorrect username or password`, {
        cause: err,
      });
    }
    throw err;
  }
  return { Status: "Login Succeeded", IdentityToken: "" };
}
