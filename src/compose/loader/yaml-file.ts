/**
 * Reads one compose YAML text into plain values (anchors, aliases and `<<` merge keys resolved;
 * `!reset` / `!override` kept as merge marks) and remembers where each path sits, so later errors
 * can say `compose.yaml:12:7`. Pure: it is given the text.
 */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node as YamlNode,
} from "yaml";
import { composeError, type DocPath, formatPath } from "./errors.js";
import { mark, RESET } from "./interpolate.js";

export interface YamlFile {
  /** The file name as errors show it. */
  file: string;
  value: unknown;
  /** line:col of the node at `path`, or of its nearest ancestor. */
  locate(path: DocPath): { line: number; col: number } | undefined;
}

export function parseYamlFile(file: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: false, uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    const msg = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw composeError({ file, line: pos.line, col: pos.col }, `invalid YAML: ${msg}`);
  }
  const positions = new Map<string, { line: number; col: number }>();
  const walker = new Walker(doc, file, lineCounter, positions);
  const value = doc.contents === null ? {} : walker.value(doc.contents as YamlNode, []);
  return {
    file,
    value,
    locate(path) {
      for (let n = path.length; n >= 0; n--) {
        const p = positions.get(formatPath(path.slice(0, n)));
        if (p) return p;
      }
      return undefined;
    },
  };
}

class Walker {
  readonly #doc: Document;
  readonly #file: string;
  readonly #lc: LineCounter;
  readonly #pos: Map<string, { line: number; col: number }>;
  #depth = 0;
  constructor(doc: Document, file: string, lc: LineCounter, pos: Map<string, { line: number; col: number }>) {
    this.#doc = doc;
    this.#file = file;
    this.#lc = lc;
    this.#pos = pos;
  }

  #record(path: DocPath, node: { range?: [number, number, number] | null } | null | undefined): void {
    const key = formatPath(path);
    if (node?.range && !this.#pos.has(key)) this.#pos.set(key, this.#lc.linePos(node.range[0]));
  }

  value(node: YamlNode | null, path: (string | number)[]): unknown {
    if (node === null) return null;
    if (++this.#depth > 200) {
      throw composeError({ file: this.#file, path }, "YAML nesting too deep (alias loop?)");
    }
    try {
      this.#record(path, node);
      if (isAlias(node)) {
        const target = node.resolve(this.#doc);
        if (!target) {
          const pos = this.#lc.linePos(node.range?.[0] ?? 0);
          throw composeError({ file: this.#file, ...pos }, `invalid YAML: unknown anchor "${node.source}"`);
        }
        return this.value(target as YamlNode, path);
      }
      const tag = (node as { tag?: string }).tag;
      if (tag === "!reset") return RESET;
      let out: unknown;
      if (isScalar(node)) out = node.value;
      else if (isSeq(node)) out = node.items.map((it, i) => this.value(it as YamlNode, [...path, i]));
      else if (isMap(node)) out = this.#map(node, path);
      else out = null;
      if (tag === "!override" && typeof out === "object" && out !== null) mark(out, "override");
      return out;
    } finally {
      this.#depth--;
    }
  }

  #map(node: YamlNode, path: (string | number)[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const merged: Record<string, unknown>[] = [];
    if (!isMap(node)) return out;
    for (const pair of node.items) {
      const k = pair.key as YamlNode | null;
      if (isScalar(k) && k.value === "<<" && k.type === "PLAIN") {
        const v = pair.value as YamlNode | null;
        const sources = isSeq(v) ? v.items : [v];
        for (const src of sources) {
          const val = this.value(src as YamlNode, path);
          if (typeof val !== "object" || val === null || Array.isArray(val)) {
            throw composeError(
              { file: this.#file, path, ...this.#lc.linePos(k.range?.[0] ?? 0) },
              "merge key << needs a mapping or a list of mappings",
            );
          }
          merged.push(val as Record<string, unknown>);
        }
        continue;
      }
      const key = isScalar(k) ? String(k.value) : String(k);
      this.#record([...path, key], k);
      out[key] = this.value(pair.value as YamlNode | null, [...path, key]);
    }
    if (merged.length === 0) return out;
    // Explicit keys win over merged ones; earlier merge sources win over later ones.
    const result: Record<string, unknown> = {};
    for (const src of merged.reverse()) Object.assign(result, src);
    return Object.assign(result, out);
  }
}
