/**
 * `WWW-Authenticate` challenges (RFC 7235) as registries send them:
 *
 *   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"
 *   Basic realm="Registry Realm"
 *
 * Pure: takes header values, returns data.
 */
export interface Challenge {
  /** Lowercase: "bearer", "basic". */
  scheme: string;
  params: Record<string, string>;
}

/** Parses one or more challenges from a header value (or values); unknown text is skipped. */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const values = Array.isArray(header) ? header : [header];
  const out: Challenge[] = [];
  for (const value of values) {
    let i = 0;
    let current: Challenge | undefined;
    while (i < value.length) {
      while (i < value.length && /[\s,]/.test(value[i]!)) i++;
      const tok = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/.exec(value.slice(i));
      if (!tok) {
        i++;
        continue;
      }
      i += tok[0].length;
      let j = i;
      while (j < value.length && value[j] === " ") j++;
      if (value[j] === "=") {
        // auth-param: name=value or name="quoted"
        j++;
        while (j < value.length && value[j] === " ") j++;
        let v = "";
        if (value[j] === '"') {
          j++;
          while (j < value.length && value[j] !== '"') {
            if (value[j] === "\\" && j + 1 < value.length) j++;
            v += value[j];
            j++;
          }
          j++;
        } else {
          const m = /^[^,\s]*/.exec(value.slice(j))!;
          v = m[0];
          j += v.length;
        }
        if (current) current.params[tok[0].toLowerCase()] = v;
        i = j;
      } else {
        current = { scheme: tok[0].toLowerCase(), params: {} };
        out.push(current);
      }
    }
  }
  return out;
}

/** "repository:<path>:pull" or "repository:<path>:pull,push". */
export function repositoryScope(path: string, actions: readonly ("pull" | "push")[]): string {
  return `repository:${path}:${actions.join(",")}`;
}
