/**
 * Checks one campaign against its catalog and builds its plan. Every name
 * is resolved here; each rule reports its own diagnostic code.
 */
import { DateTime } from "luxon";
import type * as A from "../../language/ast.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import { closest } from "../../language/parser/literals.ts";
import type { Span } from "../../language/span.ts";
import { channelScope, isValidZone, rateLimits } from "../catalog/build.ts";
import type { AttributeInfo, CatalogModel, SegmentInfo } from "../catalog/model.ts";
import { andOf, type Pred, type Shift, type ValueExpr } from "../ir/predicate.ts";
import { catalogPlan } from "../plan/catalogPlan.ts";
import { PLAN_VERSION, type BenefitPlan, type BudgetPlan, type GoalPlan, type Plan, type TouchPlan, type TriggerPlan, type WavePlan } from "../plan/types.ts";
import { isNumeric } from "../types.ts";
import { checkCondition, checkValue, dateTimeMillis, durationShift } from "./expr.ts";
import { checkPeriod } from "./period.ts";
import type { Scope } from "./scope.ts";

export interface CampaignInput {
  readonly decl: A.CampaignDecl;
  readonly file: string;
  readonly sourceHash: string;
  readonly catalog: CatalogModel;
  /** Segments from the catalog and from `uses segments` libraries. */
  readonly segments: ReadonlyMap<string, SegmentInfo>;
  /** The file has syntax errors: clauses may be missing because the parser lost them, so absence is not reported. */
  readonly partial?: boolean;
}

const WEEKDAY_NUMBER: Record<A.Weekday, number> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };
const ZERO: Shift = { amount: 0, unit: "day" };

function nameNear(kind: string, code: string, id: A.Ident, known: Iterable<string>, out: Diagnostic[], of = ""): void {
  const near = closest(id.name, known);
  out.push(
    makeDiagnostic(code, `unknown ${kind} \`${id.name}\`${of}${near ? `; did you mean \`${near}\`?` : ""}`, id.span, {
      fixes: near ? [{ title: `replace with \`${near}\``, edits: [{ span: id.span, newText: near }] }] : [],
    }),
  );
}

function clausesOf<K extends A.CampaignClause["kind"]>(decl: A.CampaignDecl, kind: K): Extract<A.CampaignClause, { kind: K }>[] {
  return decl.clauses.filter((c): c is Extract<A.CampaignClause, { kind: K }> => c.kind === kind);
}

function hhmm(t: A.TimeLit): string {
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}

/** Epoch ms of a date (local midnight in `zone`) or date-time literal. */
function instant(v: A.DateLit | A.DateTimeLit, zone: string, endOfDay = false): number {
  if (v.kind === "datetime") return dateTimeMillis(v, zone) ?? 0;
  const d = DateTime.fromObject({ year: v.year, month: v.month, day: v.day }, { zone });
  return (endOfDay ? d.plus({ days: 1 }) : d).toMillis();
}

/** Checks a campaign; returns its plan (also when there are errors, for tools that want partial results). */
export function checkCampaign(input: CampaignInput, out: Diagnostic[]): Plan {
  const { decl, catalog } = input;
  const id = decl.name?.name ?? "";
  const segments = new Map(input.segments);
  for (const s of clausesOf(decl, "segment")) {
    if (!s.name) continue;
    const prev = segments.get(s.name.name);
    if (prev && prev.origin === `campaign ${id}`) out.push(makeDiagnostic("N011", `segment \`${s.name.name}\` is declared twice`, s.name.span));
    segments.set(s.name.name, { name: s.name.name, ...(s.label ? { label: s.label.value } : {}), decl: s, origin: `campaign ${id}` });
  }
  const base: Scope = { catalog, segments, context: "audience", customerAttributes: true, diagnostics: out, segmentStack: [] };

  // ---- window and priority
  const win = clausesOf(decl, "window")[0];
  let window = { start: 0, end: 0, text: "" };
  if (!win) {
    if (!input.partial) out.push(makeDiagnostic("T020", `campaign \`${id}\` has no \`window\`: say when it starts and ends`, decl.name?.span ?? decl.span));
  } else if (win.start && win.end) {
    window = { start: instant(win.start, catalog.zone), end: instant(win.end, catalog.zone, true), text: `${win.start.raw} .. ${win.end.raw}` };
    if (window.end <= window.start) {
      out.push(makeDiagnostic("A009", `window ends (${win.end.raw}) before it starts (${win.start.raw})`, win.span));
    }
  }
  const priority = clausesOf(decl, "priority")[0]?.value?.value ?? 0;

  // ---- audience and exclusions
  const parts: Pred[] = [];
  const audience = clausesOf(decl, "audience")[0];
  if (audience?.condition) parts.push(checkCondition(audience.condition, base));
  for (const ex of clausesOf(decl, "exclude")) {
    if (ex.condition) parts.push({ k: "not", arg: { k: "label", label: "exclude", pred: checkCondition(ex.condition, { ...base, context: "exclusion" }) } });
  }
  const audiencePred = andOf(parts);

  // ---- trigger and entry
  const trig = clausesOf(decl, "trigger")[0];
  let trigger: TriggerPlan = { kind: "batch", times: [], zone: { mode: "bank" } };
  let triggerFields: ReadonlyMap<string, AttributeInfo> | undefined;
  let triggerEvent: string | undefined;
  if (!trig) {
    if (!input.partial) out.push(makeDiagnostic("T021", `campaign \`${id}\` has no \`trigger\`: say when customers enter (an event or a schedule)`, decl.name?.span ?? decl.span));
  } else if (trig.trigger?.kind === "event") {
    const t = trig.trigger;
    const ev = t.event ? catalog.events.get(t.event.name) : undefined;
    if (t.event && !ev) nameNear("event", "N005", t.event, catalog.events.keys(), out);
    triggerFields = ev?.fields;
    triggerEvent = ev?.name;
    const scope: Scope = { ...base, context: "trigger condition", ...(ev ? { fields: ev.fields, eventName: ev.name } : { eventUnknown: true }) };
    const condition = t.condition ? checkCondition(t.condition, scope) : ({ k: "true" } as Pred);
    let absence: Extract<TriggerPlan, { kind: "event" }>["absence"];
    if (t.absence) {
      const aev = t.absence.event ? catalog.events.get(t.absence.event.name) : undefined;
      if (t.absence.event && !aev) nameNear("event", "N005", t.absence.event, catalog.events.keys(), out);
      const ascope: Scope = { ...base, context: "absence condition", ...(aev ? { fields: aev.fields, eventName: aev.name } : { eventUnknown: true }) };
      const acond = t.absence.condition ? checkCondition(t.absence.condition, ascope) : ({ k: "true" } as Pred);
      const within = t.absence.within ? durationShift(t.absence.within, base) : undefined;
      absence = { event: t.absence.event?.name ?? "", condition: acond, within: within ?? ZERO };
    }
    trigger = { kind: "event", event: t.event?.name ?? "", condition, ...(absence ? { absence } : {}) };
  } else if (trig.trigger?.kind === "batch") {
    trigger = batchTrigger(trig.trigger, catalog, out);
  }
  const entry = trig?.entry?.mode === "again" && trig.entry.coolDown ? { mode: "again" as const, coolDown: durationShift(trig.entry.coolDown, base) ?? ZERO } : { mode: "once" as const };

  // ---- goal
  const goalClause = clausesOf(decl, "goal")[0];
  let goal: GoalPlan | undefined;
  let goalFields: ReadonlyMap<string, AttributeInfo> | undefined;
  let goalEventName: string | undefined;
  if (goalClause?.goal) {
    const within = goalClause.within ? (durationShift(goalClause.within, base) ?? ZERO) : ZERO;
    const anchor = goalClause.anchor ?? "entry";
    if (goalClause.goal.kind === "eventGoal") {
      const g = goalClause.goal;
      const ev = g.event ? catalog.events.get(g.event.name) : undefined;
      if (g.event && !ev) nameNear("event", "N005", g.event, catalog.events.keys(), out);
      goalFields = ev?.fields;
      goalEventName = ev?.name;
      const scope: Scope = { ...base, context: "goal condition", ...(ev ? { fields: ev.fields, eventName: ev.name } : { eventUnknown: true }) };
      goal = { kind: "event", event: g.event?.name ?? "", condition: g.condition ? checkCondition(g.condition, scope) : { k: "true" }, within, anchor };
    } else {
      const g = goalClause.goal;
      const at = g.attribute ? catalog.attributes.get(g.attribute.name) : undefined;
      if (g.attribute && !at) nameNear("customer attribute", "N003", g.attribute, catalog.attributes.keys(), out);
      if (at && !isNumeric(at.type)) out.push(makeDiagnostic("T001", `a change goal needs a numeric attribute, and \`${at.name}\` is ${at.type.t}`, g.attribute?.span ?? g.span));
      const amount = checkValue(g.amount, base, at?.type);
      let amountIr: ValueExpr = { k: "const", value: 0, rep: "number" };
      if (amount.ir && amount.type.t !== "error") {
        if (at?.type.t === "money" && amount.type.t === "money" && amount.type.currency !== at.type.currency) {
          out.push(makeDiagnostic("T002", `\`${at.name}\` is in ${at.type.currency}, the change is in ${amount.type.currency}`, amount.span));
        }
        amountIr = amount.ir;
      }
      goalFields = at ? new Map([["change", { name: "change", type: at.type, span: at.span }]]) : undefined;
      goal = { kind: "change", attribute: g.attribute?.name ?? "", direction: g.direction, amount: amountIr, within, anchor };
    }
  }

  // ---- exits
  const exits = clausesOf(decl, "exit").map((x) => {
    if (x.event) {
      const ev = catalog.events.get(x.event.name);
      if (!ev) nameNear("event", "N005", x.event, catalog.events.keys(), out);
      const scope: Scope = { ...base, context: "exit condition", ...(ev ? { fields: ev.fields, eventName: ev.name } : { eventUnknown: true }) };
      return { event: x.event.name, condition: x.condition ? checkCondition(x.condition, scope) : ({ k: "true" } as Pred) };
    }
    return { condition: checkCondition(x.condition, { ...base, context: "exit condition" }) };
  });

  // ---- variants (before waves: templates may be per variant)
  const variantsClause = clausesOf(decl, "variants")[0];
  const variantNames = new Set(variantsClause?.variants.map((v) => v.name?.name ?? "") ?? []);
  const variants = variantsClause
    ? { salt: variantsClause.salt?.value ?? `${id}:variants`, arms: variantsClause.variants.map((v) => ({ name: v.name?.name ?? "", weight: v.weight?.value ?? 0 })) }
    : undefined;

  // ---- waves
  const waves: WavePlan[] = [];
  const unreachable = new Map<string, string>();
  if (goalEventName && goalFields) {
    for (const f of goalFields.keys()) {
      if (!triggerFields?.has(f)) unreachable.set(f, `\`${f}\` is a field of the goal event \`${goalEventName}\`, which is not known when a wave is sent`);
    }
  }
  const waveScope: Scope = { ...base, context: "wave condition", ...(triggerFields && triggerEvent ? { fields: triggerFields, eventName: triggerEvent } : {}), unreachableFields: unreachable };
  for (const [i, w] of (clausesOf(decl, "waves")[0]?.waves ?? []).entries()) {
    waves.push(checkWave(w, i + 1, waveScope, variantNames, out));
  }

  // ---- benefits
  const benefitClause = clausesOf(decl, "benefitClause")[0];
  let benefit: BenefitPlan | undefined;
  if (benefitClause) {
    const scope: Scope = { ...base, context: "benefit condition", ...(goalFields ? { fields: goalFields, eventName: goalEventName ?? "change" } : { eventUnknown: goalClause !== undefined }) };
    const tiers = benefitClause.tiers.map((t) => {
      if (t.benefit && !catalog.benefits.has(t.benefit.name)) nameNear("benefit", "N008", t.benefit, catalog.benefits.keys(), out);
      let quantity: ValueExpr = { k: "const", value: 1, rep: "number" };
      if (t.quantity) {
        const q = checkValue(t.quantity, scope);
        if (q.type.t !== "error") {
          if (!q.ir || !(isNumeric(q.type) || q.type.t === "percent")) out.push(makeDiagnostic("T001", "a benefit quantity is a number", t.quantity.span));
          else quantity = q.ir;
        }
      }
      return { benefit: t.benefit?.name ?? "", quantity, condition: t.condition ? checkCondition(t.condition, scope) : ({ k: "true" } as Pred) };
    });
    const l = benefitClause.limit;
    const limit: BenefitPlan["limit"] = !l || l.mode === "once" ? { mode: "once" } : l.mode === "everyTime" ? { mode: "everyTime" } : { mode: "atMost", count: l.count?.value ?? 1 };
    benefit = { tiers, limit };
  }

  // ---- caps, budget, holdout, policies
  const caps = clausesOf(decl, "cap").flatMap((c) => {
    const scope = channelScope(c.scope, catalog.channels, out);
    return rateLimits(c.limits, catalog.zone, out).map((l) => ({ count: l.count, period: l.period, scope }));
  });
  const cappedAction = clausesOf(decl, "capped")[0]?.action ?? "drop";
  const budgetClause = clausesOf(decl, "budget")[0];
  const budget = budgetClause ? checkBudget(budgetClause, catalog, out) : undefined;
  const holdoutClause = clausesOf(decl, "holdout")[0];
  const holdout = { share: holdoutClause?.share?.value ?? 0, salt: holdoutClause?.salt?.value ?? `${id}:holdout` };
  const policyClause = clausesOf(decl, "policyRef")[0];
  let policies = [...catalog.policies.keys()];
  if (policyClause?.name) {
    if (!catalog.policies.has(policyClause.name.name)) nameNear("contact policy", "N010", policyClause.name, catalog.policies.keys(), out);
    policies = [policyClause.name.name];
  }

  checkTests(decl, catalog, out);

  return {
    planVersion: PLAN_VERSION,
    campaign: { id, ...(decl.label ? { label: decl.label.value } : {}), priority, window, sourceFile: input.file, sourceHash: input.sourceHash },
    catalog: catalogPlan(catalog),
    audience: audiencePred,
    trigger,
    entry,
    ...(goal ? { goal } : {}),
    exits,
    waves,
    ...(benefit ? { benefit } : {}),
    caps,
    cappedAction,
    ...(budget ? { budget } : {}),
    holdout,
    ...(variants ? { variants } : {}),
    policies,
  };
}

function batchTrigger(t: A.BatchTrigger, catalog: CatalogModel, out: Diagnostic[]): TriggerPlan {
  let zone: Extract<TriggerPlan, { kind: "batch" }>["zone"] = { mode: "bank" };
  if (t.zone?.mode === "customer") {
    zone = { mode: "customer" };
    if (!catalog.customerZoneAttribute) out.push(makeDiagnostic("N021", "`customer time` needs a customer attribute of type `timezone` in the catalog; the bank's zone is used for everyone", t.zone.span, { severity: "warning" }));
  } else if (t.zone?.mode === "named" && t.zone.zone) {
    if (isValidZone(t.zone.zone.value)) zone = { mode: "named", zone: t.zone.zone.value };
    else out.push(makeDiagnostic("T010", `unknown time zone \`${t.zone.zone.value}\``, t.zone.zone.span));
  }
  const times = t.times.map(hhmm);
  if (t.once) {
    const z = zone.mode === "named" ? zone.zone : catalog.zone;
    let at = instant(t.once, z);
    if (t.once.kind === "date" && t.times[0]) at += (t.times[0].hour * 60 + t.times[0].minute) * 60_000;
    return { kind: "batch", once: at, times: [], zone };
  }
  const r = t.recurrence;
  const recurrence = r
    ? { every: r.every, weekdays: r.weekdays.map((d) => WEEKDAY_NUMBER[d]), ...(r.dayOfMonth ? { dayOfMonth: r.dayOfMonth.value } : {}) }
    : { every: "day" as const, weekdays: [] };
  if (r?.dayOfMonth && (!Number.isInteger(r.dayOfMonth.value) || r.dayOfMonth.value < 1 || r.dayOfMonth.value > 31)) {
    out.push(makeDiagnostic("T018", "day of month is between 1 and 31", r.dayOfMonth.span));
  }
  return { kind: "batch", recurrence, times, zone };
}

function checkWave(w: A.WaveDecl, index: number, scope: Scope, variantNames: ReadonlySet<string>, out: Diagnostic[]): WavePlan {
  const catalog = scope.catalog;
  let delay: Shift = ZERO;
  let at: string | undefined;
  let unlessConverted = false;
  const unlessOpened: number[] = [];
  const unlessClicked: number[] = [];
  const only: Pred[] = [];
  for (const m of w.modifiers) {
    switch (m.kind) {
      case "now":
        delay = ZERO;
        break;
      case "after":
        if (m.delay) delay = durationShift(m.delay, scope) ?? ZERO;
        if (m.at) at = hhmm(m.at);
        break;
      case "atTime":
        if (m.at) at = hhmm(m.at);
        break;
      case "unless": {
        if (m.what === "converted") {
          unlessConverted = true;
          break;
        }
        const target = m.wave ? m.wave.value : index - 1;
        if (target < 1 || target >= index || !Number.isInteger(target)) {
          const written = m.wave ? `unless wave ${m.wave.raw} ${m.what}` : `unless ${m.what}`;
          out.push(makeDiagnostic("T022", `\`${written}\` must refer to an earlier wave${index === 1 ? ", and this is the first" : `; this is wave ${index}`}`, m.span));
          break;
        }
        (m.what === "opened" ? unlessOpened : unlessClicked).push(target);
        break;
      }
      case "only":
        only.push(checkCondition(m.condition, scope));
        break;
    }
  }
  const touches: TouchPlan[] = [];
  for (const t of [w.touch, ...w.fallbacks]) {
    if (!t) continue;
    if (t.channel && !catalog.channels.has(t.channel.name)) nameNear("channel", "N007", t.channel, catalog.channels.keys(), out);
    const tpl = t.template;
    let template = tpl?.name?.value ?? "";
    let variantTemplates: Record<string, string> | undefined;
    if (tpl && tpl.perVariant.length > 0) {
      variantTemplates = {};
      for (const pv of tpl.perVariant) {
        if (!variantNames.has(pv.variant.name)) {
          out.push(makeDiagnostic("N013", variantNames.size === 0 ? `template for variant \`${pv.variant.name}\`, but the campaign declares no \`variants\`` : `unknown variant \`${pv.variant.name}\``, pv.variant.span));
        }
        variantTemplates[pv.variant.name] = pv.name?.value ?? "";
      }
      for (const v of variantNames) {
        if (!(v in variantTemplates)) out.push(makeDiagnostic("N013", `no template for variant \`${v}\``, tpl.span));
      }
      template = tpl.perVariant[0]?.name?.value ?? "";
    }
    if (tpl && template === "" && !variantTemplates) out.push(makeDiagnostic("T023", "a template name cannot be empty", tpl.span));
    touches.push({ channel: t.channel?.name ?? "", template, ...(variantTemplates ? { variantTemplates } : {}) });
  }
  return { index, delay, ...(at ? { at } : {}), unlessConverted, unlessOpened, unlessClicked, only: andOf(only), touches };
}

function checkBudget(b: A.BudgetClause, catalog: CatalogModel, out: Diagnostic[]): BudgetPlan {
  let total: number | undefined;
  const perPeriod: BudgetPlan["perPeriod"][number][] = [];
  for (const l of b.limits) {
    const amount = l.amount?.value ?? 0;
    if (l.amount?.currency && l.amount.currency.name !== catalog.currency) {
      out.push(makeDiagnostic("T002", `budget is in ${l.amount.currency.name}, but the catalog's currency is ${catalog.currency}`, l.amount.span));
    }
    if (amount <= 0) out.push(makeDiagnostic("T018", "a budget amount must be positive", l.amount?.span ?? l.span));
    if (!l.period) total = amount;
    else {
      const period = checkPeriod(l.period, catalog.zone, out);
      if (period) perPeriod.push({ amount, period });
    }
  }
  const pacing: BudgetPlan["pacing"] = !b.pacing ? { mode: "none" } : b.pacing.mode === "even" ? { mode: "even" } : { mode: "curve", curve: b.pacing.curve.map((p) => p.value) };
  return { ...(total !== undefined ? { total } : {}), perPeriod, pacing, whenSpent: b.whenSpent?.stop ?? "all" };
}

/** Name checks inside `test` blocks: the test runner relies on them. */
function checkTests(decl: A.CampaignDecl, catalog: CatalogModel, out: Diagnostic[]): void {
  for (const t of clausesOf(decl, "test")) {
    const customers = new Set<string>();
    for (const s of t.steps) {
      if (s.kind === "given" && s.customer) {
        customers.add(s.customer.name);
        for (const a of s.assignments) {
          if (a.name.name !== "tags" && a.name.name !== "id" && !catalog.attributes.has(a.name.name)) nameNear("customer attribute", "N003", a.name, catalog.attributes.keys(), out);
        }
      }
      const who = s.kind === "eventStep" || s.kind === "update" || s.kind === "expect" ? s.customer : undefined;
      if (who && !customers.has(who.name)) {
        out.push(makeDiagnostic("N017", `customer \`${who.name}\` is not given in this test`, who.span, { help: `add \`given customer ${who.name} { ... }\` before this step` }));
      }
      if (s.kind === "eventStep" && s.event) {
        const ev = catalog.events.get(s.event.name);
        if (!ev) nameNear("event", "N005", s.event, catalog.events.keys(), out);
        else for (const a of s.assignments) if (!ev.fields.has(a.name.name)) nameNear("field", "N006", a.name, ev.fields.keys(), out, ` of event \`${ev.name}\``);
      }
      if (s.kind === "expect" && s.target) {
        if (s.what === "touch" && !catalog.channels.has(s.target.name)) nameNear("channel", "N007", s.target, catalog.channels.keys(), out);
        if (s.what === "benefit" && !catalog.benefits.has(s.target.name)) nameNear("benefit", "N008", s.target, catalog.benefits.keys(), out);
      }
    }
  }
}

export type { Span };
