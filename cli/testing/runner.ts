/**
 * The test runner behind `campaign test`: runs a campaign's `test` blocks on
 * the production runtime (runtime/) with a simulated clock, an in-memory
 * store and the test's customers, and checks the expectations against what
 * the run produced (spec/language.md section 8).
 *
 * Pure logic: no file system, no process, no wall clock, so the editor can
 * run tests in the browser with the same code. The CLI (cli/commands/test.ts)
 * reads the files, checks the program and prints the report (./report.ts).
 *
 * What one test does, in order:
 *
 * 1. Customers: every `given customer` step, wherever it stands, becomes a
 *    customer record whose id is the test's name for her (`c1`); values are
 *    read by their catalog types (./values.ts). Unlisted attributes are
 *    missing.
 * 2. Runtime: a fresh MemoryStore and a CampaignRuntime with **only this
 *    campaign's plan**. Tests are about one campaign: what its author expects
 *    of it must not depend on which other campaigns happen to be in the same
 *    directory. Contention between campaigns (shared policy limits,
 *    capacities, priority) is what the dry-run is for. The catalog's contact
 *    policies still apply, counting this campaign's own touches.
 * 3. Clock: it starts at the first timed step (`at`, `event`, `update`).
 *    Batch runs before that instant do not happen (the runner lets the
 *    runtime pass them with no customer to offer, see TestCustomers). Steps
 *    run in the order written and may not go back in time (X202).
 *    - `at T`: everything due up to and including T runs.
 *    - `event` / `update` at T: everything due strictly before T runs, then
 *      the input is handed in, so inputs at an instant are processed before
 *      scheduled work at that instant.
 *    - An event named `<channel>.opened` / `<channel>.clicked` is also touch
 *      feedback: it is applied (handleFeedback) to this campaign's most
 *      recent touch on that channel to the customer sent at or before the
 *      event's time; a `campaignId` field other than this campaign's id, or a
 *      `template` field no such touch has, makes it apply to nothing (noted
 *      in the result). The event itself is then handed in as well, like any
 *      event (it may be a trigger or goal).
 *    - An `update` with a tag list replaces the customer's tag set in the
 *      customer source (profile updates carry scalar attributes only), then
 *      the other attributes go in as a profile update.
 * 4. Horizon: the latest instant named anywhere in the test, including
 *    `expect ... at`. The clock runs to it; then new entries stop (no batch
 *    run offers anyone entry) and the clock runs on, timer by timer, while
 *    journeys have work pending (waves, quiet-hour waits, deferrals, absence
 *    timers, goal deadlines), up to a bound: the horizon plus the sum of the
 *    waves' delays, the attribution window and 32 days per wave for waits
 *    and deferrals, never more than three years.
 * 5. Expectations are checked against the whole run's outbox for this
 *    campaign (see `checkExpectation`).
 */
import { DateTime } from "luxon";
import type * as A from "../../language/ast.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Span } from "../../language/span.ts";
import type { CustomerRecord, RuntimeValue, Shift } from "../../compiler/ir/predicate.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { CampaignRuntime, MemoryStore } from "../../runtime/index.ts";
import type { CustomerSource, InputResult, JourneyEntry, OutboxAction, PayoutAction, TouchAction } from "../../runtime/index.ts";
import { convertTags, convertTestValue, literalInstant } from "./values.ts";
import "./codes.ts";

/** One campaign to test: its checked plan and its declaration (for the test blocks). */
export interface TestableCampaign {
  readonly plan: Plan;
  readonly decl: A.CampaignDecl;
  /** The file the campaign is declared in, as shown to the user. */
  readonly file: string;
}

export interface RunOptions {
  /** Run only tests whose title contains this text (case-sensitive). */
  readonly filter?: string;
}

/** A touch or payout of the run, for reports. */
export interface ActionLine {
  readonly kind: "touch" | "payout";
  /** Epoch ms. */
  readonly at: number;
  /** Local time in the catalog zone: `2026-12-05 09:00`. */
  readonly time: string;
  readonly customer: string;
  readonly channel?: string;
  readonly template?: string;
  readonly wave?: number;
  readonly variant?: string;
  readonly benefit?: string;
  readonly quantity?: number;
  /** The action in words: `sms "wealth_sms_1" (wave 2)`, `benefit points 2000`. */
  readonly text: string;
}

/** A journey line of the run (a decision and the rule that made it), for reports. */
export interface JourneyLine {
  readonly at: number;
  readonly time: string;
  readonly customer: string;
  readonly kind: JourneyEntry["kind"];
  readonly text: string;
}

export interface ExpectationResult {
  /** The expectation in words, times in the catalog zone: `expect sms "x" to c1 at 2026-12-05 09:00`. */
  readonly text: string;
  readonly span: Span;
  readonly customer: string;
  readonly passed: boolean;
  /** For a failed `expect no ...` / `expect nothing`: the actions that break it. */
  readonly offending: readonly ActionLine[];
}

export interface CustomerOutcome {
  readonly actions: readonly ActionLine[];
  readonly journey: readonly JourneyLine[];
}

export interface TestResult {
  readonly campaign: string;
  readonly file: string;
  readonly title: string;
  readonly span: Span;
  readonly status: "passed" | "failed";
  /** The catalog zone all `time` strings are in. */
  readonly zone: string;
  readonly expectations: readonly ExpectationResult[];
  /** Why the test could not run (bad values, steps out of order); the test then fails. */
  readonly diagnostics: readonly Diagnostic[];
  /** Everything the run produced, by customer id (test name). */
  readonly customers: Readonly<Record<string, CustomerOutcome>>;
  /** Things worth knowing that are not actions: feedback that applied to no touch, dead letters, a run stopped at its bound. */
  readonly notes: readonly string[];
}

export interface TestRunReport {
  readonly results: readonly TestResult[];
  readonly passed: number;
  readonly failed: number;
}

/** Runs every test of every campaign (those whose title contains `filter`, if given), campaigns in id order. */
export function runTests(campaigns: readonly TestableCampaign[], options: RunOptions = {}): TestRunReport {
  const results: TestResult[] = [];
  const sorted = [...campaigns].sort((a, b) => (a.plan.campaign.id < b.plan.campaign.id ? -1 : a.plan.campaign.id > b.plan.campaign.id ? 1 : 0));
  for (const c of sorted) {
    for (const clause of c.decl.clauses) {
      if (clause.kind !== "test") continue;
      const title = clause.title?.value ?? "";
      if (options.filter !== undefined && !title.includes(options.filter)) continue;
      results.push(runTest(c, clause));
    }
  }
  const passed = results.filter((r) => r.status === "passed").length;
  return { results, passed, failed: results.length - passed };
}

// ------------------------------------------------------------------ customers

/**
 * The test's customers. Batch triggers offer entry to the customers a
 * hinted `scan` returns (the runtime re-checks each); while entry is closed
 * (before the clock starts and after the horizon) the hinted scan returns
 * no one, which the CustomerSource contract allows (a source may pre-filter).
 * An unhinted scan (the runtime's zone discovery) always returns everyone.
 */
export class TestCustomers implements CustomerSource {
  private readonly map = new Map<string, CustomerRecord>();
  entryOpen = false;

  set(record: CustomerRecord): void {
    this.map.set(record.id, record);
  }

  get(id: string): CustomerRecord | undefined {
    return this.map.get(id);
  }

  *scan(hint?: { readonly campaign: string }): Iterable<CustomerRecord> {
    if (hint && !this.entryOpen) return;
    for (const k of [...this.map.keys()].sort()) {
      const r = this.map.get(k);
      if (r) yield r;
    }
  }
}

// ------------------------------------------------------------------ one test

type TimedStep =
  | { readonly kind: "at"; readonly at: number; readonly step: A.AtStep }
  | { readonly kind: "event"; readonly at: number; readonly step: A.EventStep; readonly fields: Record<string, RuntimeValue> }
  | { readonly kind: "update"; readonly at: number; readonly step: A.UpdateStep; readonly attrs: Record<string, RuntimeValue>; readonly tags?: string[] };

interface Prepared {
  readonly customers: CustomerRecord[];
  readonly steps: TimedStep[];
  readonly expects: A.ExpectStep[];
  readonly horizon: number | undefined;
  readonly diagnostics: Diagnostic[];
}

/** Reads the steps of a test: customers, timed steps with converted values, expectations. */
export function prepareTest(plan: Plan, test: A.TestClause): Prepared {
  const zone = plan.catalog.zone;
  const diagnostics: Diagnostic[] = [];
  const attrTypes = new Map(plan.catalog.attributes.map((a) => [a.name, a.type]));
  // The tag set: the catalog's attribute of type `tags`, or `tags` when it declares none.
  const tagAttrs = new Set(plan.catalog.attributes.filter((a) => a.type.t === "tags").map((a) => a.name));
  if (!attrTypes.has("tags")) tagAttrs.add("tags");
  const declaredTags = new Set(plan.catalog.tags.map((t) => t.name));

  const readAssignments = (assignments: readonly A.TestAssignment[], kind: "given" | "update"): { attrs: Record<string, RuntimeValue>; tags?: string[] } => {
    const attrs = Object.create(null) as Record<string, RuntimeValue>;
    let tags: string[] | undefined;
    for (const a of assignments) {
      const name = a.name.name;
      if (!a.value) continue; // a syntax error, already reported by the parser
      if (tagAttrs.has(name)) {
        const r = convertTags(a.value, declaredTags, `\`${name}\``);
        if (r.ok) tags = r.tags;
        else diagnostics.push(...r.diagnostics);
        continue;
      }
      const type = attrTypes.get(name);
      if (!type) {
        // The checker reports unknown attributes of `given` (N003); `id` and the attributes of `update` are ours.
        if (kind === "update" || name === "id") {
          diagnostics.push(
            makeDiagnostic("X203", name === "id" ? "`id` is not an attribute: the customer's name in the test is her id" : `unknown customer attribute \`${name}\``, a.name.span),
          );
        }
        continue;
      }
      const c = convertTestValue(a.value, type, zone, `attribute \`${name}\``);
      if (c.ok) attrs[name] = c.value;
      else diagnostics.push(c.diagnostic);
    }
    return tags ? { attrs, tags } : { attrs };
  };

  const customers = new Map<string, { attrs: Record<string, RuntimeValue>; tags: string[] }>();
  const steps: TimedStep[] = [];
  const expects: A.ExpectStep[] = [];
  let horizon: number | undefined;
  const named = (ms: number | undefined): void => {
    if (ms !== undefined && (horizon === undefined || ms > horizon)) horizon = ms;
  };
  let previous: { at: number; span: Span } | undefined;
  const timed = (at: number, span: Span): boolean => {
    named(at);
    if (previous && at < previous.at) {
      diagnostics.push(
        makeDiagnostic("X202", `this step is at ${localTime(at, zone)}, before the step above it at ${localTime(previous.at, zone)}`, span, {
          related: [{ span: previous.span, message: "the earlier step" }],
          help: "steps run in the order written on one clock, which cannot go back: move this step up",
        }),
      );
      return false;
    }
    previous = { at, span };
    return true;
  };

  for (const s of test.steps) {
    switch (s.kind) {
      case "given": {
        if (!s.customer) break;
        const r = readAssignments(s.assignments, "given");
        const prev = customers.get(s.customer.name);
        customers.set(s.customer.name, { attrs: { ...(prev?.attrs ?? {}), ...r.attrs }, tags: r.tags ?? prev?.tags ?? [] });
        break;
      }
      case "at": {
        if (!s.time) break;
        const at = literalInstant(s.time, zone);
        if (at !== undefined && timed(at, s.span)) steps.push({ kind: "at", at, step: s });
        break;
      }
      case "eventStep": {
        if (!s.at || !s.event || !s.customer) break;
        const at = literalInstant(s.at, zone);
        const type = plan.catalog.events.find((e) => e.name === s.event?.name);
        const fields = Object.create(null) as Record<string, RuntimeValue>;
        for (const a of s.assignments) {
          const f = type?.fields.find((x) => x.name === a.name.name);
          if (!f || !a.value) continue; // unknown fields are N006 (checker)
          const c = convertTestValue(a.value, f.type, zone, `field \`${f.name}\` of \`${s.event.name}\``);
          if (c.ok) fields[f.name] = c.value;
          else diagnostics.push(c.diagnostic);
        }
        if (at !== undefined && timed(at, s.span)) steps.push({ kind: "event", at, step: s, fields });
        break;
      }
      case "update": {
        if (!s.at || !s.customer) break;
        const at = literalInstant(s.at, zone);
        const r = readAssignments(s.assignments, "update");
        if (at !== undefined && timed(at, s.span)) steps.push({ kind: "update", at, step: s, attrs: r.attrs, ...(r.tags ? { tags: r.tags } : {}) });
        break;
      }
      case "expect":
        expects.push(s);
        if (s.at) named(literalInstant(s.at, zone));
        break;
    }
  }
  const records = [...customers].map(([id, c]) => ({ id, attrs: c.attrs, tags: new Set(c.tags) }));
  return { customers: records, steps, expects, horizon, diagnostics };
}

const MS_PER_UNIT: Record<Shift["unit"], number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 31 * 86_400_000,
  year: 366 * 86_400_000,
};

/** Upper bound of the run after the horizon: see the module comment. */
export function runBound(plan: Plan, horizon: number): number {
  const shift = (s: Shift): number => Math.max(0, s.amount) * MS_PER_UNIT[s.unit];
  let span = 0;
  for (const w of plan.waves) span += shift(w.delay) + 32 * 86_400_000;
  if (plan.goal) span += shift(plan.goal.within);
  if (plan.trigger.kind === "event" && plan.trigger.absence) span += shift(plan.trigger.absence.within);
  return horizon + Math.min(span + 86_400_000, 3 * 366 * 86_400_000);
}

/** The outcome of driving the runtime through a test's time line. */
export interface Simulation {
  readonly actions: readonly OutboxAction[];
  readonly journey: readonly JourneyEntry[];
  readonly notes: readonly string[];
}

/** Drives the runtime through prepared steps (see the module comment) and returns what it produced. */
export function simulate(plan: Plan, prepared: Prepared): Simulation {
  const notes: string[] = [];
  const zone = plan.catalog.zone;
  const first = prepared.steps[0];
  if (!first || prepared.horizon === undefined) {
    notes.push("the test has no timed step (`at`, `event`, `update`): the clock never started");
    return { actions: [], journey: [], notes };
  }
  const customers = new TestCustomers();
  for (const c of prepared.customers) customers.set(c);
  const store = new MemoryStore();
  let now = first.at;
  // Only this campaign's plan: see the module comment.
  const runtime = new CampaignRuntime({ plans: [plan], store, clock: { now: () => now }, customers });
  let seq = 0;
  const id = (prefix: string): string => `${prefix}${++seq}`;
  const check = (what: string, r: InputResult): void => {
    if (r.status === "dead-letter") notes.push(`${what} went to the dead-letter table: ${r.reason}`);
  };

  // Pass the batch runs before the clock starts, offering entry to no one.
  runtime.runDue(first.at - 1);
  customers.entryOpen = true;

  for (const s of prepared.steps) {
    now = s.at;
    if (s.kind === "at") {
      runtime.runDue(s.at);
      continue;
    }
    runtime.runDue(s.at - 1);
    const customer = s.step.customer?.name ?? "";
    if (s.kind === "update") {
      if (s.tags) {
        const rec = customers.get(customer);
        if (rec) customers.set({ ...rec, tags: new Set(s.tags) });
      }
      check(`update of ${customer} at ${localTime(s.at, zone)}`, runtime.handleProfileUpdate({ id: id("u"), customerId: customer, at: s.at, attrs: s.attrs }));
      continue;
    }
    const type = s.step.event?.name ?? "";
    const engagement = /^(.+)\.(opened|clicked)$/.exec(type);
    if (engagement && plan.catalog.channels.some((c) => c.name === engagement[1])) {
      const channel = engagement[1] ?? "";
      const kind = engagement[2] === "clicked" ? "clicked" : "opened";
      const touch = engagedTouch(plan, store.allOutbox().map((r) => r.action), customer, channel, s.at, s.fields);
      if (touch) check(`${type} for ${customer}`, runtime.handleFeedback({ id: id("f"), touchId: touch.id, kind, at: s.at }));
      else notes.push(`${type} for ${customer} at ${localTime(s.at, zone)} applies to no touch of this campaign`);
    }
    check(`${type} for ${customer} at ${localTime(s.at, zone)}`, runtime.handleEvent({ id: id("e"), type, customerId: customer, at: s.at, fields: s.fields }));
  }

  // On to the horizon, then no more entries; journeys already started run on.
  now = prepared.horizon;
  runtime.runDue(prepared.horizon);
  customers.entryOpen = false;
  const bound = runBound(plan, prepared.horizon);
  for (let i = 0; i < 100_000; i++) {
    const next = store.dueTimers(bound, 1)[0];
    if (!next) break;
    now = Math.max(now, next.dueAt);
    runtime.runDue(next.dueAt);
  }
  const left = store.dueTimers(Number.MAX_SAFE_INTEGER, 1)[0];
  if (left) notes.push(`the run stopped at ${localTime(bound, zone)} with work still pending (next due ${localTime(left.dueAt, zone)})`);
  for (const d of store.deadLetters()) notes.push(`dead letter at ${localTime(d.at, zone)}: ${d.reason}`);
  const actions = store.allOutbox().map((r) => r.action).filter((a) => a.campaign === plan.campaign.id);
  const journey = store.journey().filter((j) => j.campaign === plan.campaign.id);
  runtime.close();
  return { actions, journey, notes };
}

/** The touch an engagement event applies to: this campaign's latest touch on the channel to the customer at or before `at`. */
export function engagedTouch(plan: Plan, actions: readonly OutboxAction[], customer: string, channel: string, at: number, fields: Readonly<Record<string, RuntimeValue>>): TouchAction | undefined {
  const campaignId = fields["campaignId"];
  const template = fields["template"];
  if (typeof campaignId === "string" && campaignId !== plan.campaign.id) return undefined;
  let best: TouchAction | undefined;
  for (const a of actions) {
    if (a.kind !== "touch" || a.customerId !== customer || a.channel !== channel || a.at > at || a.campaign !== plan.campaign.id) continue;
    if (typeof template === "string" && a.template !== template) continue;
    if (!best || a.at >= best.at) best = a;
  }
  return best;
}

function runTest(c: TestableCampaign, test: A.TestClause): TestResult {
  const plan = c.plan;
  const zone = plan.catalog.zone;
  const base = { campaign: plan.campaign.id, file: c.file, title: test.title?.value ?? "", span: test.title?.span ?? test.span, zone };
  const prepared = prepareTest(plan, test);
  if (prepared.diagnostics.length > 0) {
    return { ...base, status: "failed", expectations: [], diagnostics: prepared.diagnostics, customers: {}, notes: [] };
  }
  const sim = simulate(plan, prepared);
  const byCustomer: Record<string, CustomerOutcome> = {};
  for (const r of prepared.customers) {
    byCustomer[r.id] = {
      actions: sim.actions.filter((a) => a.customerId === r.id).map((a) => actionLine(a, zone)),
      journey: sim.journey.filter((j) => j.customerId === r.id).map((j) => journeyLine(j, zone)),
    };
  }
  const expectations = prepared.expects.map((e) => checkExpectation(e, sim.actions, zone));
  const status = expectations.every((e) => e.passed) ? "passed" : "failed";
  return { ...base, status, expectations, diagnostics: [], customers: byCustomer, notes: sim.notes };
}

// ------------------------------------------------------------------ expectations

/**
 * Checks one expectation against the run's actions:
 * - `expect CHANNEL ["tpl"] to c [at T]`: some touch on the channel (any
 *   channel for `touch`), with the template if given, at T to the minute if
 *   given; `expect benefit [NAME [N]] to c [at T]` likewise for payouts,
 *   quantity compared exactly;
 * - `expect no ...`: no such action at all (at T, if given);
 * - `expect nothing to c`: no touch and no payout to c.
 */
export function checkExpectation(e: A.ExpectStep, actions: readonly OutboxAction[], zone: string): ExpectationResult {
  const customer = e.customer?.name ?? "";
  const at = e.at ? literalInstant(e.at, zone) : undefined;
  const mine = actions.filter((a) => a.customerId === customer);
  const matches = mine.filter((a) => {
    if (e.what === "nothing") return true;
    if (at !== undefined && Math.floor(a.at / 60_000) !== Math.floor(at / 60_000)) return false;
    if (e.what === "touch") {
      if (a.kind !== "touch") return false;
      if (e.target && a.channel !== e.target.name) return false;
      return !e.template || a.template === e.template.value;
    }
    if (a.kind !== "payout") return false;
    if (e.target && a.benefit !== e.target.name) return false;
    return !e.quantity || Math.abs(a.quantity - e.quantity.value) < 1e-9;
  });
  // `expect nothing` asks for absence; `expect no nothing` (if written) for presence.
  const wantsAbsence = e.what === "nothing" ? !e.negated : e.negated;
  const passed = wantsAbsence ? matches.length === 0 : matches.length > 0;
  return {
    text: expectationText(e, at, zone),
    span: e.span,
    customer,
    passed,
    offending: !passed && wantsAbsence ? matches.map((a) => actionLine(a, zone)) : [],
  };
}

/** An expectation in words, with its time shown in the catalog zone. */
export function expectationText(e: A.ExpectStep, at: number | undefined, zone: string): string {
  const parts = ["expect"];
  if (e.negated) parts.push("no");
  if (e.what === "nothing") parts.push("nothing");
  else if (e.what === "benefit") {
    parts.push("benefit");
    if (e.target) parts.push(e.target.name);
    if (e.quantity) parts.push(e.quantity.raw);
  } else {
    parts.push(e.target ? e.target.name : "touch");
    if (e.template) parts.push(JSON.stringify(e.template.value));
  }
  parts.push("to", e.customer?.name ?? "?");
  if (at !== undefined) parts.push("at", localTime(at, zone));
  return parts.join(" ");
}

// ------------------------------------------------------------------ lines

/** `2026-12-05 09:00` (seconds only when not zero) in `zone`. */
export function localTime(ms: number, zone: string): string {
  const d = DateTime.fromMillis(ms, { zone });
  return d.toFormat(d.second !== 0 || d.millisecond !== 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm");
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

export function actionLine(a: OutboxAction, zone: string): ActionLine {
  const time = localTime(a.at, zone);
  if (a.kind === "touch") {
    const t: TouchAction = a;
    return {
      kind: "touch",
      at: t.at,
      time,
      customer: t.customerId,
      channel: t.channel,
      template: t.template,
      wave: t.wave,
      ...(t.variant ? { variant: t.variant } : {}),
      text: `${t.channel} ${JSON.stringify(t.template)} (wave ${t.wave}${t.variant ? `, variant ${t.variant}` : ""})`,
    };
  }
  const p: PayoutAction = a;
  return { kind: "payout", at: p.at, time, customer: p.customerId, benefit: p.benefit, quantity: p.quantity, text: `benefit ${p.benefit} ${num(p.quantity)}` };
}

export function journeyLine(j: JourneyEntry, zone: string): JourneyLine {
  const bits: string[] = [j.kind];
  if (j.wave !== undefined) bits.push(`wave ${j.wave}`);
  if (j.channel) bits.push(j.channel);
  if (j.template) bits.push(JSON.stringify(j.template));
  if (j.group) bits.push(j.group);
  if (j.variant) bits.push(`variant ${j.variant}`);
  let text = bits.join(" ");
  // A touch's rule is its wave number, already shown.
  const why = [j.reason, j.kind === "touch" ? undefined : j.rule].filter((x): x is string => typeof x === "string" && x !== "");
  if (why.length > 0) text += `: ${why.join(": ")}`;
  if (j.until !== undefined) text += ` (until ${localTime(j.until, zone)})`;
  return { at: j.at, time: localTime(j.at, zone), customer: j.customerId, kind: j.kind, text };
}
