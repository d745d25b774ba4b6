/**
 * Runs once before all test files: builds the editor's web app if it is
 * missing or stale, so that no test file rebuilds it while another (the
 * browser tests) is serving the previous build.
 */
import { ensureBuilt } from "../editor/server/build.ts";

export default async function setup(): Promise<void> {
  await ensureBuilt();
}
