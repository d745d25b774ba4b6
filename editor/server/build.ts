/**
 * Builds the editor app with Vite when editor/dist is missing or older than
 * its sources (the app, language/, compiler/, the language reference and the
 * Vite config). Used by `campaign editor` and `npm start`, so a fresh
 * checkout needs no separate build step. Concurrent callers (two test files)
 * take turns through a lock file.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const editorDir = dirname(dirname(fileURLToPath(import.meta.url)));
const repoDir = dirname(editorDir);
export const DIST_DIR = join(editorDir, "dist");
const STAMP = join(DIST_DIR, ".built");
const LOCK = join(editorDir, ".build.lock");

const SOURCES = [join(editorDir, "app"), join(repoDir, "language"), join(repoDir, "compiler"), join(repoDir, "spec", "language.md"), join(editorDir, "vite.config.ts"), join(repoDir, "package.json")];

function newestMtime(path: string): number {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".") || e.name === "tests") continue;
    newest = Math.max(newest, newestMtime(join(path, e.name)));
  }
  return newest;
}

/** True when the built app is missing or older than a source. */
export function buildIsStale(): boolean {
  if (!existsSync(STAMP) || !existsSync(join(DIST_DIR, "index.html"))) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built);
}

async function withLock<R>(f: () => Promise<R>): Promise<R> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      closeSync(openSync(LOCK, "wx"));
      break;
    } catch {
      // A lock left by a killed build is stale after three minutes.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 180_000) rmSync(LOCK, { force: true });
      } catch {
        // the lock went away meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await f();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

/** Builds the app if needed; returns the directory to serve. `log` receives progress lines. */
export async function ensureBuilt(log: (line: string) => void = () => {}): Promise<string> {
  if (!buildIsStale()) return DIST_DIR;
  await withLock(async () => {
    if (!buildIsStale()) return;
    log("building the editor app (vite build)…");
    const t0 = Date.now();
    const { build } = await import("vite");
    await build({ configFile: join(editorDir, "vite.config.ts"), logLevel: "warn" });
    mkdirSync(DIST_DIR, { recursive: true });
    writeFileSync(STAMP, new Date().toISOString() + "\n");
    log(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
  return DIST_DIR;
}
