/**
 * Enforces the import rules stated in ARCHITECTURE.md by reading the sources:
 * - language/ and compiler/ (and the diagnostic renderer) import no Node
 *   built-ins, because they also run in the editor's web worker;
 * - runtime/ never imports the AST or the parser: it depends on the plan
 *   schema only;
 * - language/ imports nothing from compiler/, runtime/, cli/ or editor/ and
 *   compiler/ nothing from runtime/, cli/ or editor/ (data flows one way);
 * - language/, compiler/ and runtime/ never read the wall clock (all time
 *   goes through the injected clock; `performance.now` for stage timings is
 *   allowed, it measures and decides nothing).
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./run.ts";

/** Every .ts file under `dir` (relative to the repo), excluding tests and scratch files. */
function sources(dir: string): string[] {
  const root = join(repoRoot, dir);
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && e.name !== "tests") walk(p);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.startsWith("_")) {
        out.push(relative(repoRoot, p));
      }
    }
  };
  walk(root);
  return out.sort();
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|(?:^|[\s;(])import\s*\(?\s*["']([^"']+)["']|require\(\s*["']([^"']+)["']\s*\)/g;

/** Module specifiers a file imports (static, dynamic, re-exports, require). */
function importsOf(text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...withoutComments.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? "").filter((s) => s !== "");
}

const builtins = new Set(builtinModules);
function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith("node:") || builtins.has(spec) || builtins.has(spec.split("/")[0] ?? "");
}

/** Top-level directory an import of `file` points into, or undefined for packages. */
function targetDir(file: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  return relative(repoRoot, resolve(dirname(join(repoRoot, file)), spec)).split(/[\\/]/)[0];
}

function violations(files: string[], bad: (file: string, spec: string) => boolean): string[] {
  return files.flatMap((f) => importsOf(readFileSync(join(repoRoot, f), "utf8")).filter((s) => bad(f, s)).map((s) => `${f} imports ${s}`));
}

describe("architecture boundaries", () => {
  it("finds imports of every form (guards the scanner itself)", () => {
    const text = `import { a } from "node:fs";\nimport type { B } from '../b.ts';\nexport * from "./c.ts";\nconst d = await import("path");\nimport "./side.ts";\n// import x from "fs"\n`;
    expect(importsOf(text)).toEqual(["node:fs", "../b.ts", "./c.ts", "path", "./side.ts"]);
    expect(isNodeBuiltin("fs/promises")).toBe(true);
    expect(isNodeBuiltin("chevrotain")).toBe(false);
  });

  it("language/ and compiler/ import no Node built-ins", () => {
    const files = [...sources("language"), ...sources("compiler")];
    expect(files).toContain(join("language", "diagnostics", "render.ts"));
    expect(violations(files, (_f, s) => isNodeBuiltin(s))).toEqual([]);
  });

  it("data flows one way: language ← compiler ← runtime/cli/editor", () => {
    const lang = violations(sources("language"), (f, s) => ["compiler", "runtime", "cli", "editor"].includes(targetDir(f, s) ?? ""));
    const comp = violations(sources("compiler"), (f, s) => ["runtime", "cli", "editor"].includes(targetDir(f, s) ?? ""));
    expect([...lang, ...comp]).toEqual([]);
  });

  it("runtime/ does not import the AST or the parser", () => {
    const bad = violations(sources("runtime"), (f, s) => {
      if (!s.startsWith(".")) return false;
      const target = relative(repoRoot, resolve(dirname(join(repoRoot, f)), s));
      return /^language[\\/](ast\.ts|parser[\\/]|lexer[\\/]|validate[\\/]|index\.ts)/.test(target);
    });
    expect(bad).toEqual([]);
  });

  it("language/, compiler/ and runtime/ never read the wall clock", () => {
    const wallClock = /\bDate\.now\s*\(|\bnew Date\s*\(\s*\)|\bDateTime\.(?:now|local)\s*\(\s*\)|\bTemporal\.Now\b/;
    expect(wallClock.test("const t = Date.now();")).toBe(true);
    expect(wallClock.test("new Date(ms)")).toBe(false);
    const files = [...sources("language"), ...sources("compiler"), ...sources("runtime")];
    const bad = files.filter((f) => wallClock.test(readFileSync(join(repoRoot, f), "utf8")));
    expect(bad).toEqual([]);
  });
});
