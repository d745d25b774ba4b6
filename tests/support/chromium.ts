/**
 * Debian's chromium for the browser tests (the editor, its preview panel and
 * the dry-run's HTML report), launched one way: a fresh profile directory,
 * headless, the flags that keep it off the network and out of the sandbox;
 * `close()` removes the profile again. Also what the tests watch on a page:
 * its uncaught errors and console errors.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/**
 * Flags besides `--headless`, which Playwright adds itself for `headless: true` (with
 * `--hide-scrollbars` and `--mute-audio`).
 */
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Whether chromium is installed; if not, says on stderr that `what` is skipped and how to install it. */
export function chromiumInstalled(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  process.stderr.write(`${what} skipped: ${CHROMIUM} is missing (apt-get install -y chromium)\n`);
  return false;
}

export interface Chromium {
  readonly context: BrowserContext;
  /** The tab the browser opened with. */
  readonly page: Page;
  /** Closes the browser and removes its profile directory. */
  close(): Promise<void>;
}

/** Launches chromium headless on a fresh profile directory, pages `viewport` pixels large. */
export async function launchChromium(options: { viewport: { width: number; height: number } }): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), "campaign-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport: options.viewport, args: ARGS });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The page's uncaught errors and console errors (and warnings, if asked), as `kind: text`, collected from now on
 * into the array returned.
 */
export function pageProblems(page: Page, options: { warnings?: boolean } = {}): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || (options.warnings === true && m.type() === "warning")) problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}
