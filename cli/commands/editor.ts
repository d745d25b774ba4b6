/**
 * `campaign editor [dir] [--data FILE] [--port N]`: the web editor over a
 * workspace directory. Builds the app if it is missing or stale, starts the
 * server on 127.0.0.1 and prints the URL with its per-start token. Runs until
 * interrupted (Ctrl+C), then exits 0.
 */
import { existsSync, statSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { ensureBuilt } from "../../editor/server/build.ts";
import { startEditorServer } from "../../editor/server/server.ts";
import { EXIT_OK, UsageError } from "../usage.ts";
import { DEFAULT_CUSTOMERS, DEFAULT_DAYS, DEFAULT_SEED, DEFAULT_START, runSampleData } from "./sample-data.ts";

export interface EditorOptions {
  readonly data?: string;
  readonly sampleIfMissing?: boolean;
  readonly port?: number;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("a port is a number from 0 to 65535 (0: any free port)");
  return n;
}

/** Starts the editor; resolves with the exit code when the server stops. */
export async function runEditor(dir: string, options: EditorOptions): Promise<number> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`not a directory: \`${dir}\``);
  if (options.data !== undefined && options.sampleIfMissing && !existsSync(options.data)) {
    // First run of `npm start`: make the sample bank the previews run on.
    process.stderr.write(`generating the sample bank ${options.data} (first run)...\n`);
    const code = runSampleData({ out: options.data, customers: String(DEFAULT_CUSTOMERS), days: String(DEFAULT_DAYS), seed: String(DEFAULT_SEED), start: DEFAULT_START });
    if (code !== EXIT_OK) return code;
  }
  const staticDir = await ensureBuilt((line) => process.stderr.write(`${line}\n`));
  const server = await startEditorServer({ root: dir, staticDir, ...(options.data !== undefined ? { dataPath: options.data } : {}), port: options.port ?? 0 });
  process.stdout.write(`Campaign editor on ${dir}${options.data !== undefined ? ` (data: ${options.data})` : ""}\n  ${server.url}\n`);
  return new Promise<number>((done) => {
    const stop = (): void => {
      void server.close().then(() => done(EXIT_OK));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

export function editorCommand(done: (code: number) => void): Command {
  return new Command("editor")
    .description("open the web editor on a directory of .campaign files")
    .argument("[dir]", "the workspace directory", ".")
    .option("--data <file>", "the customer data set for previews (shown in the editor)")
    .option("--port <n>", "the port on 127.0.0.1 (default: any free port)", parsePort)
    .option("--sample-if-missing", "generate a sample bank at the --data path if there is no file there (what `npm start` does)")
    .addHelpText("after", "\nPrints http://127.0.0.1:PORT/?token=...; the token changes at every start.")
    .action(async (dir: string, options: EditorOptions) => {
      done(await runEditor(dir, options));
    });
}
