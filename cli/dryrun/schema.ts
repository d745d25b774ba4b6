/**
 * The dry-run report: the one model the terminal tables, `--json` and the
 * HTML page are rendered from. The zod schema is the source of truth: the
 * report's TypeScript type is inferred from it, `--json` prints
 * `reportSchema.parse(report)` (so keys come out in the schema's order, and a
 * report that breaks the schema is a bug, exit 3), and the JSON Schema in
 * spec/dry-run.md is `z.toJSONSchema(reportSchema)` (checked by a test).
 */
import { z } from "zod";

const count = z.number().int().nonnegative();
const money = z.number();
/** Counts by name (channel, reason, benefit, variant), keys sorted. */
const counts = z.record(z.string(), count);
const amounts = z.record(z.string(), money);

const ruleCount = z.object({
  /** `wave`: a wave's touch; `entry`: entry into the campaign; `payout`: a benefit payout. */
  stage: z.enum(["wave", "entry", "payout"]),
  reason: z.string(),
  rule: z.string(),
  count,
});

const outcome = z.object({
  total: count,
  byReason: counts,
  /** The same lines by the rule that decided, most frequent first. */
  rules: z.array(ruleCount),
});

const groupConversions = z.object({
  /** Entries of the group. */
  entries: count,
  /** Entries with at least one conversion. */
  converted: count,
  /** Conversion lines (every goal event inside the attribution window counts). */
  conversions: count,
  /** converted / entries; null when the group is empty. */
  rate: z.number().nullable(),
  /** Sum of the goal event's catalog `value` over the conversions; null when the goal has no value. */
  value: money.nullable(),
});

const wave = z.object({
  wave: count,
  /** The wave's touch and fallbacks, in order. */
  channels: z.array(z.string()),
  /** Treated entries: every wave is accounted for once per treated entry. */
  due: count,
  touched: count,
  skipped: count,
  suppressed: count,
  /** Waves cancelled before they came due: by a conversion, an exit, or the window's end. */
  cancelled: count,
  /** Still waiting when the simulation ended (scheduled, or deferred and not yet resolved). */
  pending: count,
  /** Of the resolved ones (touched, skipped, suppressed): those deferred at least once first. */
  deferredThenResolved: count,
  /** Of the pending ones: those waiting after a deferral. */
  pendingDeferred: count,
});

const dayTouches = z.object({ day: z.string(), total: count, byChannel: counts });

const budgetDay = z.object({
  day: z.string(),
  /** Benefit spend paid that day. */
  spent: money,
  cumulative: money,
  /** What pacing allows by the end of the day (even: linear over the window; curve: piecewise); null without pacing. */
  pacingLine: money.nullable(),
});

const campaign = z.object({
  id: z.string(),
  label: z.string().nullable(),
  file: z.string(),
  priority: z.number(),
  trigger: z.enum(["event", "batch"]),
  window: z.object({ from: z.string(), to: z.string() }),
  audience: z.object({
    /** `batch`: SQL count at `at`; `event`: distinct customers who matched on a trigger. See spec/dry-run.md. */
    definition: z.enum(["batch-sql-count", "event-trigger-matches"]),
    size: count,
    /** The instant a batch audience is counted at; null for event campaigns. */
    at: z.string().nullable(),
    /** How it was counted: the audience's SQL, a JS scan when it cannot run as SQL, or on the event stream. */
    method: z.enum(["sql", "scan", "events"]),
  }),
  entries: z.object({ total: count, treated: count, holdout: count, customers: count, byVariant: counts }),
  waves: z.array(wave),
  accounting: z.object({
    treatedEntries: count,
    waves: count,
    touched: count,
    skipped: count,
    suppressed: count,
    cancelled: count,
    pending: count,
    /** touched + skipped + suppressed + cancelled + pending = treatedEntries × waves. */
    balanced: z.boolean(),
  }),
  touches: z.object({ total: count, byChannel: counts, byDay: z.array(dayTouches) }),
  fallbacks: z.array(z.object({ from: z.string(), to: z.string(), reason: z.string(), count })),
  suppressions: outcome,
  deferrals: outcome,
  skips: outcome,
  exits: count,
  conversions: z.object({
    treated: groupConversions,
    holdout: groupConversions,
    uplift: z.object({ difference: z.number(), low: z.number(), high: z.number(), confidence: z.literal(0.95) }).nullable(),
    /** Why there is no uplift: "not enough data" when a group is empty. */
    upliftNote: z.string().nullable(),
  }),
  payouts: z.object({
    count,
    cost: money,
    byBenefit: z.array(z.object({ benefit: z.string(), count, quantity: z.number(), cost: money })),
    /** Payout lines suppressed for lack of budget, and their amount. */
    budgetSuppressed: z.object({ count, amount: money }),
  }),
  cost: z.object({ touches: money, byChannel: amounts, benefits: money, total: money }),
  budget: z
    .object({
      total: money.nullable(),
      pacing: z.enum(["none", "even", "curve"]),
      curve: z.array(z.number()).nullable(),
      perPeriod: z.array(z.object({ amount: money, period: z.string() })),
      spent: money,
      /** spent / total; null without a total. */
      burn: z.number().nullable(),
      byDay: z.array(budgetDay),
    })
    .nullable(),
  roi: z.object({
    /** (treated value − holdout value × treated entries / holdout entries) / cost; null with a note when it cannot be computed. */
    value: z.number().nullable(),
    treatedValue: money.nullable(),
    expectedFromHoldout: money.nullable(),
    incrementalValue: money.nullable(),
    cost: money,
    note: z.string().nullable(),
  }),
});

export const reportSchema = z.object({
  schema: z.literal("campaign-dry-run/1"),
  data: z.object({
    path: z.string(),
    catalog: z.string(),
    catalogHash: z.string(),
    /** The catalog hash recorded in the data's meta table, if any. */
    dataCatalogHash: z.string().nullable(),
    customers: count,
    zone: z.string(),
  }),
  period: z.object({ from: z.string(), to: z.string(), fromMs: z.number(), toMs: z.number(), days: z.array(z.string()) }),
  inputs: z.object({
    events: count,
    eventsByType: counts,
    profileUpdates: count,
    /**
     * Inputs handed to the runtime. The other events are ones no campaign could act on (no campaign triggers on
     * their type for a customer who could be in its audience, none holds the customer's entry or timer); the other
     * profile updates were for customers in no live journey, laid over the customer exactly as the runtime would.
     */
    handedIn: z.object({ events: count, profileUpdates: count }),
    /** Engagement events (`<channel>.opened` / `.clicked`) applied to a touch of the run, and those that matched none. */
    feedback: z.object({ applied: count, unmatched: count }),
    deadLetters: z.array(z.object({ reason: z.string(), count, example: z.string() })),
  }),
  campaigns: z.array(campaign),
  totals: z.object({
    entries: count,
    treated: count,
    holdout: count,
    touches: count,
    touchesByChannel: counts,
    touchesByDay: z.array(dayTouches),
    suppressions: count,
    suppressionsByReason: counts,
    deferrals: count,
    conversions: count,
    payouts: count,
    benefitCost: money,
    touchCost: money,
    costByChannel: amounts,
    cost: money,
    pending: count,
  }),
  warnings: z.array(z.string()),
});

export type DryRunReport = z.infer<typeof reportSchema>;
export type CampaignReport = DryRunReport["campaigns"][number];
export type OutcomeReport = CampaignReport["suppressions"];
export type DayTouches = CampaignReport["touches"]["byDay"][number];

/** The JSON Schema of `--json` (printed into spec/dry-run.md). */
export function reportJsonSchema(): unknown {
  return z.toJSONSchema(reportSchema);
}
