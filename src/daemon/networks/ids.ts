import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { digestHex, sha256 } from "../../lib/digest.js";
import { errnoCode } from "../../lib/errors.js";
import type { Endpoint } from "../../network/index.js";

/** Docker-style 64-hex endpoint id, derived from the network and the container. */
export function endpointId(ep: Pick<Endpoint, "networkId" | "containerId">): string {
  return digestHex(sha256(`${ep.networkId}/${ep.containerId}`));
}

/** The id of a predefined network ("bridge", "host", "none"): 64 random hex, made once per data root. */
export async function networkId(dataRoot: string, name = "bridge"): Promise<string> {
  const file = path.join(dataRoot, "networks", `${name}.id`);
  try {
    const id = (await fs.readFile(file, "utf8")).trim();
    if (/^[0-9a-f]{64}$/.test(id)) return id;
  } catch (err) {
    if (errnoCode(err) !== "ENOENT") throw err;
  }
  const id = randomBytes(32).toString("hex");
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${id}\n`);
  return id;
}
