/**
 * Finding and reading .campaign files for the commands. Only the CLI (and
 * later the editor's server) touches the file system; language/ and
 * compiler/ receive `{ path, text }` pairs.
 */
import { readdirSync, readFileSync, statSync, writeFileSync, type Stats } from "node:fs";
import { join, normalize, resolve } from "node:path";
import type { Diagnostic } from "../language/diagnostics/diagnostic.ts";
import { fileStartSpan } from "../language/span.ts";
import { UsageError } from "./usage.ts";
import "./codes.ts";

/** One source file as the commands see it: its path as shown to the user, and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** The extension that directory walks pick up. */
export const CAMPAIGN_EXTENSION = ".campaign";

/** Directory names a walk never enters (dependencies, VCS and other hidden folders). */
function skippedDirectory(name: string): boolean {
  return name === "node_modules" || name.startsWith(".");
}

/**
 * Expands paths into a sorted, duplicate-free list of files. A file named
 * explicitly is taken whatever its extension; a directory contributes every
 * `*.campaign` file below it, recursively. Throws UsageError for a path that
 * does not exist. The order is by path (code-unit order), so output does not
 * depend on the order of arguments or of the directory listing.
 */
export function discoverFiles(paths: readonly string[]): string[] {
  const found = new Map<string, string>();
  for (const given of paths) {
    const shown = normalize(given);
    const stats = statOrNull(shown);
    if (!stats) throw new UsageError(`no such file or directory: \`${given}\``);
    if (stats.isDirectory()) walk(shown, found);
    else addFile(shown, found);
  }
  return [...found.values()].sort(comparePaths);
}

function walk(dir: string, found: Map<string, string>): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new UsageError(`cannot read directory \`${dir}\`: ${errorMessage(e)}`);
  }
  for (const entry of entries) {
    const path = dir === "." ? entry.name : join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirectory(entry.name)) walk(path, found);
    } else if (entry.name.endsWith(CAMPAIGN_EXTENSION)) {
      const stats = entry.isSymbolicLink() ? statOrNull(path) : null;
      if (!entry.isSymbolicLink() || stats?.isFile()) addFile(path, found);
    }
  }
}

function addFile(path: string, found: Map<string, string>): void {
  const key = resolve(path);
  if (!found.has(key)) found.set(key, path);
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The result of reading files: the texts, plus diagnostics for files that could not be decoded. */
export interface ReadResult {
  readonly sources: SourceFile[];
  readonly diagnostics: Diagnostic[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads files as UTF-8. A file that is not valid UTF-8 is left out of
 * `sources` and reported as X001 (decoding it lossily and then formatting it
 * would destroy bytes). A file that cannot be read at all is a UsageError.
 */
export function readSources(paths: readonly string[]): ReadResult {
  const sources: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new UsageError(`cannot read \`${path}\`: ${errorMessage(e)}`);
    }
    try {
      sources.push({ path, text: utf8.decode(bytes) });
    } catch {
      diagnostics.push({
        code: "X001",
        severity: "error",
        message: "file is not valid UTF-8",
        span: fileStartSpan(path),
        related: [],
        fixes: [],
        help: "save the file as UTF-8; Campaign files are always UTF-8",
      });
    }
  }
  return { sources, diagnostics };
}

/** Replaces a file's contents (used by `fmt`). */
export function writeSource(path: string, text: string): void {
  writeFileSync(path, text, "utf8");
}
