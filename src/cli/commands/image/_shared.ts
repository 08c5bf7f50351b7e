import type { CliContext } from "../../command.js";
import { renderFormat } from "../../formatter/format.js";
import { compileTemplate } from "../../formatter/go-template.js";
import { goJSON } from "../../formatter/json.js";

/** Docker's short image ID: 12 hex characters without the algorithm. */
export function shortImageId(id: string, noTrunc = false): string {
  return noTrunc ? id : id.replace(/^sha256:/, "").slice(0, 12);
}

/** `inspect` output: an indented JSON array, or the --format template once per object. */
export function renderInspect(objects: unknown[], format: string): string {
  if (format === "") return `${JSON.stringify(objects, null, 4)}\n`;
  if (format === "json") return objects.map((o) => `${goJSON(o)}\n`).join("");
  const t = compileTemplate(format.replace(/\\n/g, "\n").replace(/\\t/g, "\t"));
  return objects.map((o) => `${t.execute(o)}\n`).join("");
}

/**
 * `X inspect NAME…`: fetches each object, prints the ones found, reports the others the way docker
 * does and exits 1 if any was missing.
 */
export async function inspectEach(
  ctx: CliContext,
  names: readonly string[],
  fetch: (name: string) => Promise<unknown>,
  format: string,
): Promise<number> {
  const found: unknown[] = [];
  let failed = false;
  for (const name of names) {
    try {
      found.push(await fetch(name));
    } catch (err) {
      failed = true;
      ctx.stderr.write(`Error response from daemon: ${(err as Error).message}\n`);
    }
  }
  ctx.stdout.write(renderInspect(found, format));
  return failed ? 1 : 0;
}

export { renderFormat };
