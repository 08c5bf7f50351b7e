import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

/**
 * The layering of DESIGN.md as a test: which module may import which. Imports only go down; the
 * client side (api/client, cli, compose) never reaches daemon-side code, so it works against real
 * Docker too. Tests and test helpers (`*.test.ts`, `_testing.ts`) are exempt.
 */
const ALLOWED: Record<string, readonly string[]> = {
  lib: [],
  oci: ["lib"],
  "api/types": ["lib"],
  content: ["lib", "oci"],
  snapshot: ["lib", "oci"],
  image: ["lib", "oci", "content", "snapshot"],
  registry: ["lib", "oci", "content"],
  runtime: ["lib", "oci"],
  network: ["lib", "oci"],
  volume: ["lib", "oci"],
  builder: ["lib", "oci", "content", "snapshot", "image", "runtime"],
  daemon: [
    "lib",
    "oci",
    "content",
    "snapshot",
    "image",
    "registry",
    "runtime",
    "network",
    "volume",
    "builder",
    "api/types",
  ],
  "api/server": ["lib", "api/types"],
  "api/client": ["lib", "api/types"],
  cli: ["lib", "oci", "api/types", "api/client", "compose"],
  compose: ["lib", "oci", "api/types", "api/client"],
  bin: ["lib", "daemon", "api/server", "api/types", "cli", "compose", "registry"],
};

/** Folders that must stay pure: no I/O modules. */
const PURE = ["oci", "api/types", "cli/formatter"];
const IO_MODULES = /^node:(fs|child_process|net|dgram)(\/|$)/;

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src");

function moduleOf(rel: string): string {
  const parts = rel.split(path.sep);
  return parts[0] === "api" ? `api/${parts[1]}` : parts[0]!;
}

async function* sources(dir: string): AsyncGenerator<string> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.startsWith("_testing"))
      yield p;
  }
}

test("modules import only the layers below them", async () => {
  const violations: string[] = [];
  for await (const file of sources(SRC)) {
    const rel = path.relative(SRC, file);
    const from = moduleOf(rel);
    const allowed = ALLOWED[from];
    assert.ok(allowed, `${rel}: module "${from}" is not in the layering table`);
    const text = await fs.readFile(file, "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      const spec = m[1]!;
      if (PURE.some((p) => rel.startsWith(`${p}/`)) && IO_MODULES.test(spec)) {
        violations.push(`${rel}: pure module imports ${spec}`);
      }
      if (!spec.startsWith(".")) continue;
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
      if (target.startsWith("..")) continue; // test fixtures
      const to = moduleOf(target);
      if (to !== from && !allowed.includes(to))
        violations.push(`${rel}: ${from} must not import ${to} (${spec})`);
    }
  }
  assert.deepEqual(violations, []);
});
