/**
 * The whole `campaign diff` report from the plans of both sides: campaigns
 * matched by id (added and removed ones listed), each matched pair compared
 * section by section (./plan.ts), reassignment warnings (./reassign.ts) and,
 * with a database, reach and exact reassignment counts (./data.ts) and the
 * dry-run deltas (./dryrun.ts) from both sides' dry-run reports, which the
 * command runs (this module does no file access).
 */
import type { SqlDatabase } from "../../compiler/data/load.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import type { DryRunReport } from "../dryrun/schema.ts";
import { compareOnData } from "./data.ts";
import { campaignDryRunOf, dryRunSummary } from "./dryrun.ts";
import { diffPlans } from "./plan.ts";
import { reassignmentWarnings } from "./reassign.ts";
import type { CampaignDiff, CampaignRef, DiffReport } from "./types.ts";

/** One side of the diff: the files read and the campaigns they declare. */
export interface Side {
  readonly files: readonly string[];
  readonly campaigns: readonly { readonly plan: Plan; readonly file: string }[];
}

/** A database to count reach and reassignment on. */
export interface DiffData {
  /** As given on the command line, for the report. */
  readonly path: string;
  readonly db: SqlDatabase;
  /** The instant to select audiences at for a campaign (`--at`, else the old window's start). */
  readonly at: (oldPlan: Plan) => number;
  /** Both sides dry-run over the database for the same period, or why they were not (absent: not asked for). */
  readonly dryRun?: DryRunInput;
}

/** The two dry-run reports (each side's campaigns run together), or the reason there are none. */
export type DryRunInput = { readonly ran: true; readonly old: DryRunReport; readonly new: DryRunReport } | { readonly ran: false; readonly reason: string };

function ref(c: { readonly plan: Plan; readonly file: string }): CampaignRef {
  return { id: c.plan.campaign.id, ...(c.plan.campaign.label !== undefined ? { label: c.plan.campaign.label } : {}), file: c.file };
}

function byId(a: { plan: Plan }, b: { plan: Plan }): number {
  const x = a.plan.campaign.id;
  const y = b.plan.campaign.id;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compares one campaign's two plans. */
export function compareCampaign(a: Plan, b: Plan, data?: DiffData): CampaignDiff {
  const sections = diffPlans(a, b);
  const warnings = reassignmentWarnings(a, b);
  const label = b.campaign.label ?? a.campaign.label;
  return {
    id: b.campaign.id,
    ...(label !== undefined ? { label } : {}),
    changed: sections.length > 0,
    sections,
    warnings,
    ...(data ? { data: compareOnData(data.db, a, b, data.at(a), warnings.length > 0) } : {}),
    dryRun: data?.dryRun?.ran ? campaignDryRunOf(b.campaign.id, data.dryRun.old, data.dryRun.new) : null,
  };
}

/** Compares two sides. Campaign ids are unique within a side (the checker reports duplicates as errors). */
export function diffSides(oldSide: Side, newSide: Side, data?: DiffData): DiffReport {
  const oldById = new Map(oldSide.campaigns.map((c) => [c.plan.campaign.id, c]));
  const newById = new Map(newSide.campaigns.map((c) => [c.plan.campaign.id, c]));
  const removed = [...oldSide.campaigns].filter((c) => !newById.has(c.plan.campaign.id)).sort(byId).map(ref);
  const added = [...newSide.campaigns].filter((c) => !oldById.has(c.plan.campaign.id)).sort(byId).map(ref);
  const campaigns: CampaignDiff[] = [];
  for (const c of [...oldSide.campaigns].sort(byId)) {
    const n = newById.get(c.plan.campaign.id);
    if (n) campaigns.push(compareCampaign(c.plan, n.plan, data));
  }
  return {
    diffVersion: 1,
    old: { files: [...oldSide.files] },
    new: { files: [...newSide.files] },
    added,
    removed,
    campaigns,
    ...(data ? { data: { path: data.path } } : {}),
    ...(data?.dryRun ? { dryRun: data.dryRun.ran ? dryRunSummary(data.dryRun.old, data.dryRun.new) : { ran: false as const, reason: data.dryRun.reason } } : {}),
    summary: {
      added: added.length,
      removed: removed.length,
      changed: campaigns.filter((c) => c.changed).length,
      unchanged: campaigns.filter((c) => !c.changed).length,
      warnings: campaigns.reduce((n, c) => n + c.warnings.length, 0),
    },
  };
}
