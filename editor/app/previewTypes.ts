/**
 * The JSON that `POST /api/preview` answers with (editor/server/preview.ts),
 * shared by the server and the app. Types only: nothing here runs.
 *
 * The figures are the dry-run's own (cli/dryrun, spec/dry-run.md), cut down
 * to what the preview panel shows.
 */
import type { TraceNode } from "../../compiler/interp/interpret.ts";

/** A problem that keeps the preview from running, with where it is. */
export interface PreviewProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly message: string;
}

export interface PreviewWave {
  readonly wave: number;
  readonly channels: readonly string[];
  readonly due: number;
  readonly touched: number;
  readonly skipped: number;
  readonly suppressed: number;
  readonly cancelled: number;
  readonly pending: number;
}

export interface PreviewBudgetDay {
  readonly day: string;
  readonly spent: number;
  readonly cumulative: number;
  readonly pacingLine: number | null;
}

export interface PreviewGroup {
  readonly entries: number;
  readonly converted: number;
  readonly conversions: number;
  readonly rate: number | null;
}

/** One customer's explanation, as compiler/explain gives it. */
export interface PreviewExplanation {
  readonly result: "IN" | "OUT";
  /** Evaluation instant (local ISO with offset) and the zone. */
  readonly at: string;
  readonly zone: string;
  readonly audience: TraceNode;
  readonly trigger: { readonly event: string; readonly trace: TraceNode } | null;
  readonly problems: readonly { readonly attribute: string; readonly message: string }[];
}

export interface PreviewSample {
  readonly customer: string;
  /** `treated`: one of the first treated entrants of the run; `out`: a customer outside the audience. */
  readonly kind: "treated" | "out";
  /** Why this customer was picked, in words. */
  readonly why: string;
  readonly explanation: PreviewExplanation;
}

export interface PreviewCampaign {
  readonly id: string;
  readonly label: string | null;
  readonly file: string;
  readonly trigger: "event" | "batch";
  readonly window: { readonly from: string; readonly to: string };
  readonly audience: {
    readonly size: number;
    readonly definition: "batch-sql-count" | "event-trigger-matches";
    readonly at: string | null;
    readonly method: "sql" | "scan" | "events";
  };
  readonly entries: { readonly total: number; readonly treated: number; readonly holdout: number; readonly customers: number };
  readonly waves: readonly PreviewWave[];
  readonly touches: {
    readonly total: number;
    readonly byChannel: Readonly<Record<string, number>>;
    readonly byDay: readonly { readonly day: string; readonly total: number; readonly byChannel: Readonly<Record<string, number>> }[];
  };
  readonly suppressions: {
    readonly total: number;
    readonly byReason: Readonly<Record<string, number>>;
    /** The rules that decided most often (at most five). */
    readonly rules: readonly { readonly stage: string; readonly reason: string; readonly rule: string; readonly count: number }[];
  };
  readonly conversions: {
    readonly treated: PreviewGroup;
    readonly holdout: PreviewGroup;
    readonly uplift: { readonly difference: number; readonly low: number; readonly high: number } | null;
    readonly upliftNote: string | null;
  };
  readonly payouts: { readonly count: number; readonly cost: number };
  readonly cost: { readonly touches: number; readonly benefits: number; readonly total: number; readonly byChannel: Readonly<Record<string, number>> };
  readonly budget: {
    readonly total: number | null;
    readonly pacing: "none" | "even" | "curve";
    readonly spent: number;
    readonly burn: number | null;
    readonly byDay: readonly PreviewBudgetDay[];
  } | null;
  readonly samples: readonly PreviewSample[];
  /** Why fewer samples than asked for were found, if so. */
  readonly samplesNote: string | null;
}

export interface PreviewRun {
  readonly data: { readonly path: string; readonly customers: number; readonly catalog: string; readonly zone: string };
  readonly period: { readonly from: string; readonly to: string; readonly days: readonly string[] };
  /** Set when the run was cut short of the data's period to stay responsive. */
  readonly bounded: string | null;
  /** Inputs (events and profile updates) in the simulated period. */
  readonly inputs: number;
  /** Which campaigns ran together, and what that leaves out. */
  readonly scope: string;
  readonly warnings: readonly string[];
  /** Server-side milliseconds for the whole preview. */
  readonly ms: number;
}

export type PreviewResponse =
  | { readonly status: "ok"; readonly path: string; readonly campaigns: readonly PreviewCampaign[]; readonly run: PreviewRun }
  /** The file (or a file its campaigns need) has errors: no preview. `problems[0]` is the first. */
  | { readonly status: "errors"; readonly path: string; readonly message: string; readonly problems: readonly PreviewProblem[] }
  /** The file declares no campaign (a catalog, a segments library). */
  | { readonly status: "no-campaign"; readonly path: string; readonly message: string }
  /** No --data, or the file is missing: the campaigns check, nothing to run them over. */
  | { readonly status: "no-data"; readonly path: string; readonly message: string; readonly campaigns: readonly string[] }
  /** The data does not fit the campaigns, or the period is empty (the dry-run's own messages). */
  | { readonly status: "data-error"; readonly path: string; readonly message: string; readonly campaigns: readonly string[] }
  /** The run went over the preview's time budget. */
  | { readonly status: "timeout"; readonly path: string; readonly message: string; readonly campaigns: readonly string[] }
  /** A newer preview request (from this page or another) replaced this one before it finished: nothing to show. */
  | { readonly status: "superseded"; readonly path: string; readonly message: string };

export type PreviewStatus = PreviewResponse["status"];
