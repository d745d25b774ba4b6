/**
 * Builds the editor app (editor/app) into editor/dist, which the editor
 * server serves. The language worker and Monaco's editor worker are ES
 * module workers; language/ and compiler/ are bundled into the language
 * worker straight from their TypeScript sources.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("./app"),
  base: "./",
  publicDir: false,
  logLevel: "warn",
  build: {
    outDir: here("./dist"),
    emptyOutDir: true,
    // Monaco is large; the warning says nothing useful here.
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
  },
  worker: { format: "es" },
  server: { fs: { allow: [here("..")] } },
});
