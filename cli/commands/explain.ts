/**
 * `campaign explain <paths...> --campaign <id> --customer <file.json>
 *   [--event <file.json>] [--at <datetime>] [--json]`
 *
 * Checks the program, finds the campaign, reads the customer (and event)
 * JSON and prints why the customer is in or out: the audience (and the
 * trigger condition on the event) as an indented tree, each clause with the
 * values it read and ✓/✗, and a final IN/OUT line. `--json` prints the
 * explanation with its trace tree as one JSON document.
 *
 * Exit codes: 0 explained (IN or OUT), 1 the campaign has errors or the
 * customer/event data has problems (the explanation is still printed, with
 * those values treated as missing), 2 bad usage.
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { hasErrors } from "../../language/diagnostics/diagnostic.ts";
import { closest } from "../../language/parser/literals.ts";
import { toCustomerRecord, toEventFields } from "../../compiler/data/customerRecord.ts";
import { explain, renderExplanation } from "../../compiler/explain/explain.ts";
import { checkProgram } from "../../compiler/program.ts";
import { parseInstant } from "../../compiler/time/resolve.ts";
import { discoverFiles, readSources } from "../files.ts";
import { renderAll } from "../output.ts";
import { EXIT_OK, EXIT_PROBLEMS, UsageError } from "../usage.ts";

export interface ExplainOptions {
  readonly campaign: string;
  readonly customer: string;
  readonly event?: string;
  readonly at?: string;
  readonly json?: boolean;
}

/** Where the command writes: stdout and stderr by default; tests pass their own. */
export interface ExplainOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const STDIO: ExplainOutput = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read the ${what} file \`${path}\`: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`the ${what} file \`${path}\` is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Runs `explain` and returns its exit code. Throws UsageError on bad usage. */
export function runExplain(paths: readonly string[], options: ExplainOptions, output: ExplainOutput = STDIO): number {
  const files = discoverFiles(paths);
  const read = readSources(files);
  const program = checkProgram(read.sources);
  const found = program.campaigns.find((c) => c.plan.campaign.id === options.campaign);
  if (!found) {
    const ids = program.campaigns.map((c) => c.plan.campaign.id);
    const near = closest(options.campaign, ids);
    throw new UsageError(`no campaign \`${options.campaign}\` in the files given${near ? `; did you mean \`${near}\`?` : ids.length ? ` (campaigns: ${ids.map((i) => `\`${i}\``).join(", ")})` : ""}`);
  }
  const own = [...read.diagnostics, ...program.diagnostics].filter((d) => d.severity === "error" && (d.span.file === found.file || d.span.file === found.catalog.file));
  if (found.hasErrors || hasErrors(own)) {
    output.err(`${renderAll(own, read.sources, false)}\n`);
    output.err(`campaign \`${options.campaign}\` has errors; fix them before explaining it\n`);
    return EXIT_PROBLEMS;
  }
  const plan = found.plan;
  const zone = plan.catalog.zone;
  let now = Date.now();
  if (options.at !== undefined) {
    const at = parseInstant(options.at, zone);
    if (at === undefined) throw new UsageError(`\`--at ${options.at}\` is not a date-time: write it like 2026-12-02T10:00 (read in ${zone}) or with an offset`);
    now = at;
  }
  const customer = toCustomerRecord(plan.catalog, readJson(options.customer, "customer"));
  const problems = customer.problems.map((p) => ({ ...p, attribute: `customer.${p.attribute}` }));
  let fields;
  if (options.event !== undefined) {
    const trigger = plan.trigger;
    if (trigger.kind !== "event") throw new UsageError(`campaign \`${options.campaign}\` runs on a schedule, not on an event: leave out --event`);
    const eventType = plan.catalog.events.find((e) => e.name === trigger.event);
    const converted = toEventFields(eventType?.fields ?? [], readJson(options.event, "event"), zone);
    fields = converted.fields;
    problems.push(...converted.problems.map((p) => ({ ...p, attribute: `event.${p.attribute}` })));
  }
  const explanation = explain(plan, customer.record, fields, { now, zone }, problems);
  output.out(options.json ? `${JSON.stringify(explanation, null, 2)}\n` : renderExplanation(explanation));
  return problems.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/**
 * The `explain` command, for the CLI's main.ts to register with
 * `program.addCommand(explainCommand(done))`. `done` receives the exit code;
 * without it the command sets `process.exitCode`.
 */
export function explainCommand(done?: (code: number) => void): Command {
  return new Command("explain")
    .description("explain why a customer is in or out of a campaign's audience (and trigger)")
    .argument("<paths...>", "campaign and catalog files or directories")
    .requiredOption("--campaign <id>", "the campaign to explain")
    .requiredOption("--customer <file.json>", "the customer: attributes by catalog name, `tags` as a list, dates as ISO strings")
    .option("--event <file.json>", "an event's fields, to explain the trigger condition too")
    .option("--at <datetime>", "evaluate at this instant (ISO 8601; without an offset, in the catalog's zone); default now")
    .option("--json", "print the explanation and its trace tree as JSON")
    .addHelpText("after", "\nExit codes: 0 explained, 1 the campaign has errors or the data has problems, 2 bad usage.")
    .action((paths: string[], options: ExplainOptions) => {
      const code = runExplain(paths, options);
      if (done) done(code);
      else process.exitCode = code;
    });
}
