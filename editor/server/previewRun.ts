/**
 * The preview's computation: checks the whole program (the workspace's files
 * with the open file's unsaved text laid over them) and, when the open
 * file's campaigns check without errors and there is customer data, runs
 * them through the dry-run (cli/dryrun's `simulate`, the production runtime
 * on a simulated clock, exactly as `campaign dry-run` does) and explains a
 * few customers (compiler/explain).
 *
 * What runs: the open file's campaigns, alone. The whole workspace together
 * takes several times longer (every campaign's events are handed in) while
 * the designer is looking at one file; the figures are then those of
 * `campaign dry-run <file> <catalog and segments>` on the same data, and the
 * answer says that contention with the other campaigns (shared contact
 * policies, channel capacity) is not in them.
 *
 * Bounds, so the editor stays responsive: the data's whole period (clipped
 * to the campaigns' windows, as the CLI does) when it holds at most
 * `maxInputs` events and profile updates (the default sample bank, 10,000
 * customers × 30 days, holds about 60,000), else its first days up to that
 * many inputs, with a note saying so; and a time budget, past which the run
 * stops with a `timeout` answer.
 *
 * Runs in the preview child process (previewChild.ts); pure over its input
 * and the data file otherwise, so tests may call it directly.
 */
import { existsSync, statSync } from "node:fs";
import type { CustomerRecord, EventFields } from "../../compiler/ir/predicate.ts";
import { explain } from "../../compiler/explain/explain.ts";
import { checkProgram, type CheckedCampaign, type SourceInput } from "../../compiler/program.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { compilePlan } from "../../runtime/engine/compiledPlan.ts";
import { DataSourceError, EVENTS_TABLE, PROFILE_UPDATES_TABLE, tableColumns } from "../../runtime/sources/schema.ts";
import { SqliteCustomerSource } from "../../runtime/sources/sqliteCustomers.ts";
import { parsePayload, SqliteEventSource } from "../../runtime/sources/sqliteEvents.ts";
import { dryRunPrefilter } from "../../cli/dryrun/prefilter.ts";
import type { CampaignReport } from "../../cli/dryrun/schema.ts";
import { audienceInstant, countInputs, simulate, updatedAttributes } from "../../cli/dryrun/simulate.ts";
import { ZoneClock } from "../../cli/dryrun/time.ts";
import type { PreviewCampaign, PreviewExplanation, PreviewProblem, PreviewResponse, PreviewSample } from "../app/previewTypes.ts";

export interface PreviewInput {
  /** Every workspace file, the open one with its unsaved text. */
  readonly sources: readonly SourceInput[];
  /** The open file (workspace-relative). */
  readonly path: string;
  /** The --data file, resolved; undefined without --data. */
  readonly dataPath: string | undefined;
  /** The --data file as the user gave it (shown in messages). */
  readonly dataLabel: string | undefined;
  readonly limits?: Partial<PreviewLimits>;
}

export interface PreviewLimits {
  /** Most events and profile updates one preview simulates; beyond, the period is cut to its first days. */
  readonly maxInputs: number;
  /** Wall-clock milliseconds the simulation may take. */
  readonly timeBudgetMs: number;
  /** Treated entrants explained per campaign (plus one customer outside the audience). */
  readonly treatedSamples: number;
  /** Customers scanned for one outside the audience. */
  readonly outScan: number;
}

export const DEFAULT_LIMITS: PreviewLimits = { maxInputs: 250_000, timeBudgetMs: 45_000, treatedSamples: 4, outScan: 20_000 };

/** Customers kept by the source's lookup cache (as the CLI). */
const LOOKUP_CACHE = 20_000;

class TimeBudgetExceeded extends Error {
  /** The simulated instant reached. */
  constructor(readonly at: number) {
    super("time budget exceeded");
  }
}

function problemOf(d: Diagnostic): PreviewProblem {
  return { file: d.span.file, line: d.span.line, column: d.span.column, code: d.code, message: d.message };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.span.offset - b.span.offset;
}

/** Computes the preview of `input.path`. Never throws for problems in the files or the data: they are answers. */
export function computePreview(input: PreviewInput, clockNow: () => number = () => performance.now()): PreviewResponse {
  const t0 = clockNow();
  const limits: PreviewLimits = { ...DEFAULT_LIMITS, ...(input.limits ?? {}) };
  const path = input.path;
  const program = checkProgram(input.sources);
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  const own = errors.filter((d) => d.span.file === path).sort(byPosition);
  if (own.length > 0) {
    return { status: "errors", path, message: `Fix the error at line ${own[0]?.span.line ?? 0} first.`, problems: own.map(problemOf) };
  }
  const found = program.campaigns.filter((c) => c.file === path);
  if (found.length === 0) {
    return { status: "no-campaign", path, message: "This file declares no campaign (it is a catalog or a segments library): nothing to preview. Open a campaign file to see its preview." };
  }
  const elsewhere = campaignErrors(found, errors);
  if (elsewhere) return elsewhere;
  const ids = found.map((c) => c.plan.campaign.id);

  if (input.dataPath === undefined) {
    return { status: "no-data", path, campaigns: ids, message: "No customer data: start the editor with --data bank.db (make one with `campaign sample-data -o bank.db`, or run `npm start`) to see who this campaign reaches." };
  }
  const label = input.dataLabel ?? input.dataPath;
  if (!existsSync(input.dataPath) || !statSync(input.dataPath).isFile()) {
    return { status: "no-data", path, campaigns: ids, message: `The customer data file ${label} was not found: make it with \`campaign sample-data -o ${label}\` to see who this campaign reaches.` };
  }

  const plans = found.map((c) => c.plan);
  const catalog = plans[0]!.catalog;
  const other = plans.find((p) => p.catalog.name !== catalog.name || p.catalog.hash !== catalog.hash);
  if (other) {
    return { status: "data-error", path, campaigns: ids, message: `The campaigns in this file use more than one catalog (\`${catalog.name}\` and \`${other.catalog.name}\`); one data file holds the data of one catalog.` };
  }
  const clock = new ZoneClock(catalog.zone);
  const warnings: string[] = [];
  let events: SqliteEventSource | undefined;
  let customers: SqliteCustomerSource | undefined;
  /** Set when the run was stopped mid-way: its input statements are still open, so its connections cannot close. */
  let abandoned = false;
  try {
    events = SqliteEventSource.open(input.dataPath);
    const meta = events.meta();
    if (meta["catalog"] !== undefined && meta["catalog"] !== catalog.name) warnings.push(`The data was generated for catalog \`${meta["catalog"]}\`, the campaign uses \`${catalog.name}\`.`);
    const dataHash = meta["catalog_hash"];
    if (dataHash !== undefined && dataHash !== catalog.hash) warnings.push(`The catalog \`${catalog.name}\` changed since the data was made; the columns were checked and fit.`);

    // The period, as `campaign dry-run` takes it by default: the data's range clipped to the campaigns' windows.
    const period = events.period();
    if (!period) return { status: "data-error", path, campaigns: ids, message: `The data file ${label} has no events and no period in its meta table: nothing to run over.` };
    const windowFrom = Math.min(...plans.map((p) => p.campaign.window.start));
    const windowTo = Math.max(...plans.map((p) => p.campaign.window.end));
    const from = Math.max(period.from, windowFrom);
    const fullTo = Math.min(period.to, windowTo);
    if (fullTo <= from) {
      return {
        status: "data-error",
        path,
        campaigns: ids,
        message: `The data covers ${clock.iso(period.from)} to ${clock.iso(period.to)}, outside the campaign's window (${clock.iso(windowFrom)} to ${clock.iso(windowTo)}): nothing can happen in it. Run \`campaign dry-run\` with --from and --to, or use data for the window.`,
      };
    }
    const allDays = clock.days(from, fullTo);
    let to = fullTo;
    let total = countInputs(events, from, to);
    let bounded: string | null = null;
    if (total > limits.maxInputs) {
      // The first whole days that hold at most maxInputs inputs (at least one day).
      let keep = 1;
      for (let k = 2; k <= allDays.length; k++) {
        if (countInputs(events, from, Math.min(clock.dayEnd(allDays[k - 1]!), fullTo)) > limits.maxInputs) break;
        keep = k;
      }
      to = Math.min(clock.dayEnd(allDays[keep - 1]!), fullTo);
      const all = total;
      total = countInputs(events, from, to);
      bounded = `Bounded to stay responsive: the first ${keep} of ${allDays.length} days (${total.toLocaleString("en")} of ${all.toLocaleString("en")} events and profile updates). Run \`campaign dry-run\` for the whole period.`;
    }

    const updated = updatedAttributes(events, from, to);
    customers = SqliteCustomerSource.open(input.dataPath, catalog, { cacheSize: LOOKUP_CACHE, prefilter: dryRunPrefilter(plans, updated), snapshot: true });

    const firstTreated = new Map<string, { customerId: string; at: number }[]>(ids.map((id) => [id, []]));
    const started = clockNow();
    let result;
    try {
      result = simulate({
        campaigns: found.map((c) => ({ plan: c.plan, file: c.file })),
        customers,
        updated,
        events,
        clock,
        from,
        to,
        onLine: (j) => {
          if (j.kind !== "entry" || j.group !== "treated") return;
          const list = firstTreated.get(j.campaign);
          if (list && list.length < limits.treatedSamples && !list.some((x) => x.customerId === j.customerId)) list.push({ customerId: j.customerId, at: j.at });
        },
        onProgress: (at) => {
          if (clockNow() - started > limits.timeBudgetMs) throw new TimeBudgetExceeded(at);
        },
        progressEvery: 2_000,
      });
    } catch (e) {
      if (!(e instanceof TimeBudgetExceeded)) throw e;
      abandoned = true;
      return {
        status: "timeout",
        path,
        campaigns: ids,
        message: `The dry-run did not finish within the preview's ${Math.round(limits.timeBudgetMs / 1000)} s (simulated up to ${clock.iso(e.at)} of ${clock.iso(to)}, over ${total.toLocaleString("en")} events and profile updates). Run \`campaign dry-run\` in a terminal for the figures.`,
      };
    }

    const campaigns: PreviewCampaign[] = [];
    for (const report of result.campaigns) {
      const checked = found.find((c) => c.plan.campaign.id === report.id)!;
      const picked = samplesFor(checked.plan, firstTreated.get(report.id) ?? [], customers, events, clock, from, limits);
      campaigns.push(toPreviewCampaign(report, picked.samples, picked.note));
    }
    const others = program.campaigns.filter((c) => c.file !== path).length;
    return {
      status: "ok",
      path,
      campaigns,
      run: {
        data: { path: label, customers: customers.count(), catalog: catalog.name, zone: catalog.zone },
        period: { from: clock.iso(from), to: clock.iso(to), days: [...result.days] },
        bounded,
        inputs: total,
        scope:
          others > 0
            ? `${ids.length === 1 ? "This campaign ran" : `These ${ids.length} campaigns ran`} alone, without the workspace's ${others} other campaign${others === 1 ? "" : "s"}: contention with them (shared contact policies, channel capacity) is not in these figures. \`campaign dry-run\` on the folder runs them together.`
            : "Every campaign of the workspace ran.",
        warnings,
        ms: Math.round(clockNow() - t0),
      },
    };
  } catch (e) {
    if (e instanceof DataSourceError) return { status: "data-error", path, campaigns: ids, message: `The data does not fit: ${e.message}` };
    if (e instanceof Error && /^SQLITE_/.test(String((e as { code?: unknown }).code))) return { status: "data-error", path, campaigns: ids, message: `The data file ${label}: ${e.message}` };
    throw e;
  } finally {
    for (const source of [customers, events]) {
      try {
        source?.close();
      } catch (e) {
        // A stopped run's connections go with the preview child, which is killed after it answers a timeout (preview.ts).
        if (!abandoned) throw e;
      }
    }
  }
}

/** Errors outside the open file that keep its campaigns from running (in their catalog, or found while building their plans). */
function campaignErrors(found: readonly CheckedCampaign[], errors: readonly Diagnostic[]): PreviewResponse | undefined {
  const broken = found.filter((c) => c.hasErrors);
  if (broken.length === 0) return undefined;
  const files = new Set(broken.map((c) => c.catalog.file));
  const there = errors.filter((d) => files.has(d.span.file)).sort(byPosition);
  const first = there[0];
  const path = broken[0]!.file;
  return {
    status: "errors",
    path,
    message: first ? `Fix the error in ${first.span.file} at line ${first.span.line} first.` : `Campaign ${broken.map((c) => c.plan.campaign.id).join(", ")} has errors: fix them first.`,
    problems: there.map(problemOf),
  };
}

/** The customer as the run saw her at `at`: her row with the run's profile updates up to `at` laid over it (as the store does). */
function customerAt(customers: SqliteCustomerSource, events: SqliteEventSource, id: string, from: number, at: number): CustomerRecord | undefined {
  const base = customers.get(id);
  if (!base || !tableColumns(events.db, PROFILE_UPDATES_TABLE)) return base;
  const rows = events.db.prepare(`SELECT "id", "attrs" FROM "${PROFILE_UPDATES_TABLE}" WHERE "customer_id" = ? AND "at" >= ? AND "at" <= ? ORDER BY "at", "id"`).raw(true).all(id, from, at) as unknown[][];
  if (rows.length === 0) return base;
  let attrs: Record<string, CustomerRecord["attrs"][string]> = { ...base.attrs };
  for (const r of rows) attrs = { ...attrs, ...parsePayload(r[1], PROFILE_UPDATES_TABLE, "attrs", String(r[0])) };
  return { ...base, attrs };
}

/** The latest event of `type` for the customer in [from, at]: the one that triggered an entry at `at`. */
function triggeringEvent(events: SqliteEventSource, type: string, id: string, from: number, at: number): EventFields | undefined {
  const row = events.db.prepare(`SELECT "id", "fields" FROM "${EVENTS_TABLE}" WHERE "customer_id" = ? AND "type" = ? AND "at" >= ? AND "at" <= ? ORDER BY "at" DESC, "id" DESC LIMIT 1`).raw(true).get(id, type, from, at) as unknown[] | undefined;
  return row ? parsePayload(row[1], EVENTS_TABLE, "fields", String(row[0])) : undefined;
}

function explanationOf(plan: Plan, customer: CustomerRecord, fields: EventFields | undefined, at: number, clock: ZoneClock): PreviewExplanation {
  const e = explain(plan, customer, fields, { now: at, zone: plan.catalog.zone });
  return { result: e.result, at: clock.iso(at), zone: e.zone, audience: e.audience, trigger: e.trigger ?? null, problems: e.problems };
}

function samplesFor(
  plan: Plan,
  treated: readonly { customerId: string; at: number }[],
  customers: SqliteCustomerSource,
  events: SqliteEventSource,
  clock: ZoneClock,
  from: number,
  limits: PreviewLimits,
): { samples: PreviewSample[]; note: string | null } {
  const samples: PreviewSample[] = [];
  const trigger = plan.trigger;
  for (const t of treated) {
    const customer = customerAt(customers, events, t.customerId, from, t.at);
    if (!customer) continue;
    const fields = trigger.kind === "event" ? triggeringEvent(events, trigger.event, t.customerId, from, t.at) : undefined;
    samples.push({
      customer: t.customerId,
      kind: "treated",
      why: `entered at ${clock.iso(t.at)}, treated${trigger.kind === "event" ? ` (on ${trigger.event})` : ""}`,
      explanation: explanationOf(plan, customer, fields, t.at, clock),
    });
  }
  // One customer outside the audience, at the instant the audience is first read.
  const at = trigger.kind === "batch" ? audienceInstant(plan, from) : Math.max(from, plan.campaign.window.start);
  const cp = compilePlan(plan);
  let scanned = 0;
  let out: CustomerRecord | undefined;
  for (const c of customers.scan()) {
    if (++scanned > limits.outScan) break;
    if (!cp.audience(c, at)) {
      out = c;
      break;
    }
  }
  if (out) samples.push({ customer: out.id, kind: "out", why: `outside the audience at ${clock.iso(at)}`, explanation: explanationOf(plan, out, undefined, at, clock) });
  const notes: string[] = [];
  if (treated.length === 0) notes.push("No one entered the campaign treated in the period, so no entrant to explain.");
  else if (treated.length < limits.treatedSamples) notes.push(`Only ${treated.length} treated entrant${treated.length === 1 ? "" : "s"} in the period.`);
  if (!out) notes.push(`No customer outside the audience among the first ${Math.min(scanned, limits.outScan).toLocaleString("en")}.`);
  return { samples, note: notes.length > 0 ? notes.join(" ") : null };
}

function toPreviewCampaign(r: CampaignReport, samples: PreviewSample[], samplesNote: string | null): PreviewCampaign {
  const group = (g: CampaignReport["conversions"]["treated"]) => ({ entries: g.entries, converted: g.converted, conversions: g.conversions, rate: g.rate });
  return {
    id: r.id,
    label: r.label,
    file: r.file,
    trigger: r.trigger,
    window: r.window,
    audience: r.audience,
    entries: { total: r.entries.total, treated: r.entries.treated, holdout: r.entries.holdout, customers: r.entries.customers },
    waves: r.waves.map((w) => ({ wave: w.wave, channels: w.channels, due: w.due, touched: w.touched, skipped: w.skipped, suppressed: w.suppressed, cancelled: w.cancelled, pending: w.pending })),
    touches: r.touches,
    suppressions: { total: r.suppressions.total, byReason: r.suppressions.byReason, rules: r.suppressions.rules.slice(0, 5) },
    conversions: {
      treated: group(r.conversions.treated),
      holdout: group(r.conversions.holdout),
      uplift: r.conversions.uplift ? { difference: r.conversions.uplift.difference, low: r.conversions.uplift.low, high: r.conversions.uplift.high } : null,
      upliftNote: r.conversions.upliftNote,
    },
    payouts: { count: r.payouts.count, cost: r.payouts.cost },
    cost: { touches: r.cost.touches, benefits: r.cost.benefits, total: r.cost.total, byChannel: r.cost.byChannel },
    budget: r.budget ? { total: r.budget.total, pacing: r.budget.pacing, spent: r.budget.spent, burn: r.budget.burn, byDay: r.budget.byDay } : null,
    samples,
    samplesNote,
  };
}
