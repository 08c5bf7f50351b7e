/** POST /auth (docker login): checks credentials against a registry. */
import { invalidArgument } from "../../../lib/errors.js";
import { type AuthConfig, type AuthResponse, checkAuthConfig } from "../../types/registry-auth.js";
import { sendJson } from "../respond.js";
import type { Route } from "../router.js";

export interface AuthBackend {
  login(auth: AuthConfig): Promise<AuthResponse>;
}

export function authRoutes(b: AuthBackend): Route[] {
  return [
    {
      method: "POST",
      path: "/auth",
      handler: async ({ res, json }) => {
        const doc = await json();
        const auth = checkAuthConfig(doc ?? null, "/auth body");
        if (!auth) throw invalidArgument("/auth needs a JSON body with username, password and serveraddress");
        sendJson(res, 200, await b.login(auth));
      },
    },
  ];
}
