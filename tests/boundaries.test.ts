/**
 * The front end and the compiler also run in the editor's web worker, so
 * their sources (outside tests) must not touch Node: no import of a Node
 * built-in (`node:*` or any name in `builtinModules`: fs, path, os, crypto,
 * url, util, stream, events, buffer, process, ...), no `process.`, no
 * `require(`, no `Buffer.`. And data flows one way: language/ imports
 * nothing from compiler/, runtime/, cli/ or editor/.
 *
 * Each violation is reported as `file:line: what` so it can be found at once.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

/** .ts sources under `dir`, excluding `*.test.ts` files and `tests/` folders. */
function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== "tests" && e.name !== "node_modules") walk(p);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) out.push(relative(root, p));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/** Blanks out comments (keeping line breaks) so that commented-out code does not count. */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => m.replace(/[^\n]/g, " "));
}

const IMPORT_FROM = /\b(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s+["']([^"']+)["']/g;

/** Module specifiers imported by `text`, with the 1-based line of each. */
export function importsOf(text: string): { spec: string; line: number }[] {
  const clean = stripComments(text);
  return [...clean.matchAll(IMPORT_FROM)].map((m) => ({
    spec: m[1] ?? m[2] ?? m[3] ?? "",
    line: clean.slice(0, m.index).split("\n").length,
  }));
}

const builtins = new Set(builtinModules);

/** True for `node:fs`, `fs`, `fs/promises` and every other Node built-in. */
export function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith("node:") || builtins.has(spec) || builtins.has(spec.split("/")[0] ?? "");
}

const NODE_GLOBALS = /\bprocess\s*\.|\brequire\s*\(|\bBuffer\s*\./g;

/** `file:line: message` for each Node dependency in one source text. */
export function nodeViolations(file: string, text: string): string[] {
  const out = importsOf(text)
    .filter((i) => isNodeBuiltin(i.spec))
    .map((i) => `${file}:${i.line}: imports the Node built-in \`${i.spec}\``);
  const clean = stripComments(text);
  for (const m of clean.matchAll(NODE_GLOBALS)) {
    out.push(`${file}:${clean.slice(0, m.index).split("\n").length}: uses \`${m[0].replace(/\s/g, "")}\``);
  }
  return out;
}

/** `file:line: message` for each import of `file` that reaches into one of `forbidden` (top-level folders). */
export function layerViolations(file: string, text: string, forbidden: readonly string[]): string[] {
  return importsOf(text)
    .filter((i) => i.spec.startsWith("."))
    .map((i) => ({ ...i, target: relative(root, resolve(dirname(join(root, file)), i.spec)) }))
    .filter((i) => forbidden.includes(i.target.split(sep)[0] ?? ""))
    .map((i) => `${file}:${i.line}: imports \`${i.spec}\` from ${i.target.split(sep)[0]}/`);
}

describe("boundaries: language/ and compiler/ run in the browser", () => {
  it("the scanner finds every form of import and Node use (guards the test itself)", () => {
    const text = [
      'import { readFileSync } from "node:fs";',
      "import type { X } from '../compiler/x.ts';",
      'export * from "./y.ts";',
      'const p = await import("path");',
      'import "os";',
      '// import { a } from "fs";',
      "/* process.env */",
      "const e = process.env.HOME;",
      "const b = Buffer.from('x');",
      "const c = require('crypto');",
      'import {\n  a,\n  b,\n} from "node:util";',
    ].join("\n");
    expect(importsOf(text).map((i) => `${i.line} ${i.spec}`)).toEqual(["1 node:fs", "2 ../compiler/x.ts", "3 ./y.ts", "4 path", "5 os", "11 node:util"]);
    expect(nodeViolations("f.ts", text)).toEqual([
      "f.ts:1: imports the Node built-in `node:fs`",
      "f.ts:4: imports the Node built-in `path`",
      "f.ts:5: imports the Node built-in `os`",
      "f.ts:11: imports the Node built-in `node:util`",
      "f.ts:8: uses `process.`",
      "f.ts:9: uses `Buffer.`",
      "f.ts:10: uses `require(`",
    ]);
    expect(layerViolations("language/x.ts", text, ["compiler"])).toEqual(["language/x.ts:2: imports `../compiler/x.ts` from compiler/"]);
    expect(isNodeBuiltin("fs/promises")).toBe(true);
    expect(isNodeBuiltin("worker_threads")).toBe(true);
    expect(isNodeBuiltin("chevrotain")).toBe(false);
  });

  const files = [...sources("language"), ...sources("compiler")];

  it("finds the sources (guards the walk)", () => {
    expect(files).toContain(join("language", "parser", "parse.ts"));
    expect(files.some((f) => f.startsWith("compiler"))).toBe(true);
    expect(files.some((f) => f.includes(`${sep}tests${sep}`) || f.endsWith(".test.ts"))).toBe(false);
  });

  it("no Node built-ins, `process.`, `require(` or `Buffer.` in language/ or compiler/", () => {
    expect(files.flatMap((f) => nodeViolations(f, readFileSync(join(root, f), "utf8")))).toEqual([]);
  });

  it("language/ imports nothing from compiler/, runtime/, cli/ or editor/", () => {
    const bad = sources("language").flatMap((f) => layerViolations(f, readFileSync(join(root, f), "utf8"), ["compiler", "runtime", "cli", "editor"]));
    expect(bad).toEqual([]);
  });
});
