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

export { renderFormat };
