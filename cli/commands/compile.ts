/**
 * `campaign compile <paths...> [-o dir] [--json]`: checks every given file
 * together (directories are searched for `*.campaign` recursively) and, when
 * there is no error, writes one `<campaign-id>.plan.json` per campaign into
 * the output directory (default `plans/`).
 *
 * Exit 0 when plans were written (warnings allowed), 1 when the sources have
 * errors (nothing is written, diagnostics are printed), 2 on bad usage.
 * Every plan is serialised canonically (compiler/plan/serialize.ts) and
 * re-validated with `loadPlan` before it is written, so a plan that the
 * runtime would refuse is never produced: that would be a compiler bug and
 * fails the command as an internal error.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, normalize } from "node:path";
import { Command } from "commander";
import { compareDiagnostics, hasErrors, type Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { loadPlan } from "../../compiler/plan/load.ts";
import { serializePlan } from "../../compiler/plan/serialize.ts";
import { checkProgram } from "../../compiler/program.ts";
import { discoverFiles, readSources } from "../files.ts";
import { print, printJson, renderAll, summarize, summaryLine, useColor, type JsonSummary } from "../output.ts";
import { EXIT_OK, EXIT_PROBLEMS } from "../usage.ts";

export interface CompileOptions {
  /** Output directory (default `plans`). */
  readonly out?: string;
  readonly json?: boolean;
}

/** One plan file written by `compile`. */
export interface WrittenPlan {
  readonly campaign: string;
  /** The .campaign file the campaign is declared in. */
  readonly source: string;
  /** The plan file written. */
  readonly path: string;
}

/** The JSON document `compile --json` prints. */
export interface CompileJsonReport {
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: JsonSummary;
  /** Empty when compilation was refused. */
  readonly plans: readonly WrittenPlan[];
}

export const DEFAULT_PLAN_DIR = "plans";

/**
 * The plan file name of a campaign id. Ids are names, but a quoted name
 * (`` `a/b` ``) may hold any character, so everything outside letters,
 * digits, `_`, `-` and inner `.` is percent-encoded (UTF-8): distinct ids
 * always give distinct, safe file names.
 */
export function planFileName(id: string): string {
  let out = "";
  for (const ch of id) {
    const safe = /^[\p{L}\p{N}_-]$/u.test(ch) || (ch === "." && out !== "");
    out += safe ? ch : [...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  }
  return `${out || "%"}.plan.json`;
}

/** Runs `compile` and returns its exit code. */
export function runCompile(paths: readonly string[], options: CompileOptions): number {
  const files = discoverFiles(paths);
  const read = readSources(files);
  const program = checkProgram(read.sources);
  const diagnostics = [...read.diagnostics, ...program.diagnostics].sort(compareDiagnostics);
  const outDir = normalize(options.out ?? DEFAULT_PLAN_DIR);

  const written: WrittenPlan[] = [];
  if (!hasErrors(diagnostics)) {
    const plans = program.campaigns.map((c) => {
      const text = serializePlan(c.plan);
      const check = loadPlan(text);
      if (!check.ok) {
        const why = check.diagnostics.map((d) => `  ${d.code} ${d.message}`).join("\n");
        throw new Error(`the plan of campaign \`${c.plan.campaign.id}\` does not validate:\n${why}`);
      }
      return { campaign: c.plan.campaign.id, source: c.file, path: join(outDir, planFileName(c.plan.campaign.id)), text };
    });
    if (plans.length > 0) mkdirSync(outDir, { recursive: true });
    for (const p of plans) {
      // Write then rename, so a reader never sees half a plan.
      const tmp = `${p.path}.tmp-${process.pid}`;
      writeFileSync(tmp, p.text, "utf8");
      renameSync(tmp, p.path);
      written.push({ campaign: p.campaign, source: p.source, path: p.path });
    }
  }

  if (options.json) {
    const report: CompileJsonReport = { diagnostics, summary: summarize(diagnostics, files.length), plans: written };
    printJson(report);
  } else {
    if (diagnostics.length > 0) print(renderAll(diagnostics, read.sources, useColor()) + "\n");
    if (hasErrors(diagnostics)) {
      print(`${summaryLine("checked", files.length, diagnostics)}; no plans written`);
    } else {
      for (const w of written) print(`wrote ${w.path} (campaign \`${w.campaign}\` from ${w.source})`);
      const n = written.length;
      print(`${summaryLine("compiled", files.length, diagnostics)}; ${n === 0 ? "no campaigns found, no plans written" : `${n} plan${n === 1 ? "" : "s"} written to ${outDir}`}`);
    }
  }
  return hasErrors(diagnostics) ? EXIT_PROBLEMS : EXIT_OK;
}

/**
 * The `compile` command, ready for `program.addCommand(...)`. `done` receives
 * the exit code (by default it becomes `process.exitCode`).
 */
export function compileCommand(
  done: (code: number) => void = (code) => {
    process.exitCode = code;
  },
): Command {
  return new Command("compile")
    .description("check .campaign files and write one executable plan (JSON) per campaign")
    .argument("<paths...>", "files or directories (directories are searched for *.campaign recursively)")
    .option("-o, --out <dir>", "directory to write plans into", DEFAULT_PLAN_DIR)
    .option("--json", "print one JSON document instead of text")
    .addHelpText("after", "\nPlans are written only when there is no error; each is named <campaign-id>.plan.json.\nExit codes: 0 plans written, 1 errors found (nothing written), 2 bad usage.")
    .action((paths: string[], options: CompileOptions) => {
      done(runCompile(paths, options));
    });
}
