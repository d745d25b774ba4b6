/**
 * A dry-run in process: the given campaigns, a database path and a resolved
 * period in, the report `campaign dry-run --json` prints out. `campaign
 * dry-run` (cli/commands/dry-run.ts) chooses the period, calls this with its
 * `--actions` writer and progress bar as hooks, and prints the report;
 * `campaign diff --data` calls it once per side. Every call opens its own
 * sources and runtime and closes them before returning, so two calls share
 * no state.
 *
 * Throws DataSourceError (runtime/sources/schema.ts) when the data does not
 * fit, as the command reports with exit 1; DryRunSetupError when the
 * campaigns cannot be run together (no campaign, more than one catalog).
 */
import { SqliteCustomerSource } from "../../runtime/sources/sqliteCustomers.ts";
import { SqliteEventSource } from "../../runtime/sources/sqliteEvents.ts";
import { dryRunPrefilter } from "./prefilter.ts";
import { reportSchema, type DryRunReport } from "./schema.ts";
import { simulate, updatedAttributes, type SimCampaign, type SimulationOptions } from "./simulate.ts";
import { ZoneClock } from "./time.ts";

/** Customers kept by the source's lookup cache: enough for a day's active customers, small next to a bank. */
const LOOKUP_CACHE = 20_000;

/** The campaigns cannot be dry-run together; the message says why. */
export class DryRunSetupError extends Error {}

export interface DryRunRequest {
  readonly campaigns: readonly SimCampaign[];
  /** The SQLite database, as given (it is also the report's `data.path`). */
  readonly data: string;
  /** Inclusive, epoch ms. */
  readonly from: number;
  /** Exclusive, epoch ms; after `from`. */
  readonly to: number;
  /** Every journey line, as decided (`--actions`). */
  readonly onLine?: SimulationOptions["onLine"];
  /** Progress: the simulated instant reached, every `progressEvery` inputs read. */
  readonly onProgress?: SimulationOptions["onProgress"];
  readonly progressEvery?: number;
}

/** Runs the campaigns over the data between `from` and `to` and returns the dry-run report. */
export function dryRunReport(request: DryRunRequest): DryRunReport {
  const { campaigns, data, from, to } = request;
  const first = campaigns[0];
  if (!first) throw new DryRunSetupError("no campaign to run");
  const catalog = first.plan.catalog;
  const other = campaigns.find((c) => c.plan.catalog.name !== catalog.name || c.plan.catalog.hash !== catalog.hash);
  if (other) throw new DryRunSetupError(`the campaigns use more than one catalog (\`${catalog.name}\` and \`${other.plan.catalog.name}\` in ${other.file}); one database holds the data of one catalog`);
  if (to <= from) throw new DryRunSetupError("the period is empty");
  const clock = new ZoneClock(catalog.zone);
  const warnings: string[] = [];
  let events: SqliteEventSource | undefined;
  let customers: SqliteCustomerSource | undefined;
  try {
    events = SqliteEventSource.open(data);
    const meta = events.meta();
    const dataHash = meta["catalog_hash"];
    if (meta["catalog"] !== undefined && meta["catalog"] !== catalog.name) warnings.push(`the data was generated for catalog \`${meta["catalog"]}\` (meta.catalog), the campaigns use \`${catalog.name}\``);
    if (dataHash !== undefined && dataHash !== catalog.hash) {
      warnings.push(`the data's catalog hash (meta.catalog_hash ${dataHash.slice(0, 12)}…) differs from catalog \`${catalog.name}\` (${catalog.hash.slice(0, 12)}…): the catalog changed since the data was made; the columns were checked and fit`);
    }
    const period = events.period();
    if (period && (from < period.from || to > period.to)) warnings.push(`the period ${clock.iso(from)} to ${clock.iso(to)} reaches beyond the data (${clock.iso(period.from)} to ${clock.iso(period.to)}): no inputs there`);
    for (const c of campaigns) {
      const w = c.plan.campaign.window;
      if (w.end <= from || w.start >= to) warnings.push(`campaign \`${c.plan.campaign.id}\` (${c.file}) has its window ${w.text} outside the period: nothing can happen in it`);
    }
    const updated = updatedAttributes(events, from, to);
    customers = SqliteCustomerSource.open(data, catalog, { cacheSize: LOOKUP_CACHE, prefilter: dryRunPrefilter(campaigns.map((c) => c.plan), updated), snapshot: true });
    const result = simulate({
      campaigns,
      customers,
      updated,
      events,
      clock,
      from,
      to,
      ...(request.onLine ? { onLine: request.onLine } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      ...(request.progressEvery !== undefined ? { progressEvery: request.progressEvery } : {}),
    });
    return reportSchema.parse({
      schema: "campaign-dry-run/1",
      data: { path: data, catalog: catalog.name, catalogHash: catalog.hash, dataCatalogHash: dataHash ?? null, customers: customers.count(), zone: catalog.zone },
      period: { from: clock.iso(from), to: clock.iso(to), fromMs: from, toMs: to, days: [...result.days] },
      inputs: result.inputs,
      campaigns: [...result.campaigns],
      totals: result.totals,
      warnings,
    } satisfies DryRunReport);
  } finally {
    customers?.close();
    events?.close();
  }
}
