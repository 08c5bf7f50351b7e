/** The loader's file I/O: the node FileSource (files by absolute path, "-" for stdin). */
import { readFileSync, statSync } from "node:fs";
import { errnoCode } from "../../lib/errors.js";
import type { FileSource } from "./source.js";

export class NodeFileSource implements FileSource {
  #stdin: string | undefined;
  read(path: string): string | undefined {
    if (path === "-") {
      this.#stdin ??= readFileSync(0, "utf8");
      return this.#stdin;
    }
    try {
      if (!statSync(path).isFile()) return undefined;
      return readFileSync(path, "utf8");
    } catch (e) {
      const code = errnoCode(e);
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw e;
    }
  }
}
