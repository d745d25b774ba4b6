/**
 * Conditions of a checked campaign as predicate IR whose leaves carry their
 * source spans, so a conflict found by the reasoner can point at the clauses
 * that cause it. Leaves are re-checked with the checker's own
 * `checkCondition` (into a throwaway diagnostics list) and wrapped in
 * `@N` labels; the result is compared with the plan's predicate and, if it
 * differs in anything but those labels, the plan's predicate is used instead
 * (without leaf spans), so the analyses never reason about something else.
 */
import type * as A from "../../../language/ast.ts";
import type { Span } from "../../../language/span.ts";
import type { AttributeInfo, CatalogModel, SegmentInfo } from "../../catalog/model.ts";
import { checkCondition } from "../../check/expr.ts";
import type { Scope } from "../../check/scope.ts";
import { andOf, walkPred, type Pred } from "../../ir/predicate.ts";
import type { Env, Scalar } from "../../logic/index.ts";
import type { CheckedCampaign } from "../../program.ts";

/** Spans by `@N` label. */
export type SpanTable = Map<string, Span>;

export function clausesOf<K extends A.CampaignClause["kind"]>(decl: A.CampaignDecl, kind: K): Extract<A.CampaignClause, { kind: K }>[] {
  return decl.clauses.filter((c): c is Extract<A.CampaignClause, { kind: K }> => c.kind === kind);
}

/** Segment predicates as the plan expanded them, by label (`segment NAME`). */
function planSegments(c: CheckedCampaign): Map<string, Pred> {
  const out = new Map<string, Pred>();
  const visit = (p: Pred): void =>
    walkPred(p, (n) => {
      if (n.k === "label" && n.label.startsWith("segment ") && !out.has(n.label)) out.set(n.label, n.pred);
    });
  visit(c.plan.audience);
  if (c.plan.trigger.kind === "event") visit(c.plan.trigger.condition);
  for (const w of c.plan.waves) visit(w.only);
  return out;
}

function campaignSegments(c: CheckedCampaign): Map<string, SegmentInfo> {
  const segs = new Map(c.catalog.segments);
  for (const s of clausesOf(c.decl, "segment")) if (s.name) segs.set(s.name.name, { name: s.name.name, decl: s, origin: `campaign ${c.decl.name?.name ?? ""}` });
  return segs;
}

function scopeFor(c: CheckedCampaign, context: string, fields?: ReadonlyMap<string, AttributeInfo>, eventName?: string): Scope {
  return { catalog: c.catalog, segments: campaignSegments(c), context, customerAttributes: true, diagnostics: [], segmentStack: [], ...(fields && eventName ? { fields, eventName } : {}) };
}

function tagged(e: A.Expr | undefined, scope: Scope, spans: SpanTable, segs: Map<string, Pred>): Pred {
  if (!e) return { k: "true" };
  switch (e.kind) {
    case "group":
      return tagged(e.expr, scope, spans, segs);
    case "not":
      return { k: "not", arg: tagged(e.operand, scope, spans, segs) };
    case "logical": {
      const l = tagged(e.left, scope, spans, segs);
      const r = tagged(e.right, scope, spans, segs);
      if (e.op === "and") return andOf([l, r]);
      const args: Pred[] = [];
      for (const p of [l, r]) if (p.k === "or") args.push(...p.args);
      else args.push(p);
      return { k: "or", args };
    }
    default: {
      const label = `@${spans.size}`;
      spans.set(label, e.span);
      if (e.kind === "segmentRef" && e.name) {
        const seg = segs.get(`segment ${e.name.name}`);
        if (seg) return { k: "label", label, pred: { k: "label", label: `segment ${e.name.name}`, pred: seg } };
      }
      return { k: "label", label, pred: checkCondition(e, scope) };
    }
  }
}

/** The predicate with `@N` labels removed and `and`/`or` flattened, for comparison. */
function canon(p: Pred): Pred {
  switch (p.k) {
    case "label":
      return p.label.startsWith("@") ? canon(p.pred) : { k: "label", label: p.label, pred: canon(p.pred) };
    case "and": {
      const args = p.args.map(canon).flatMap((a) => (a.k === "and" ? a.args : a.k === "true" ? [] : [a]));
      return args.length === 0 ? { k: "true" } : args.length === 1 ? (args[0] as Pred) : { k: "and", args };
    }
    case "or": {
      const args = p.args.map(canon).flatMap((a) => (a.k === "or" ? a.args : [a]));
      return args.length === 1 ? (args[0] as Pred) : { k: "or", args };
    }
    case "not":
      return { k: "not", arg: canon(p.arg) };
    default:
      return p;
  }
}

function sameAs(mine: Pred, plan: Pred): boolean {
  return JSON.stringify(canon(mine)) === JSON.stringify(canon(plan));
}

export interface CampaignConditions {
  readonly spans: SpanTable;
  /** Audience with exclusions, as in `plan.audience`. */
  readonly audience: Pred;
  /** The trigger's `where` (true for batch triggers). */
  readonly trigger: Pred;
  /** Each wave's `only` conditions, by 0-based wave index. */
  readonly waveOnly: readonly Pred[];
}

const cache = new WeakMap<CheckedCampaign, CampaignConditions>();

/** The campaign's conditions with leaf spans (see the module comment). */
export function conditionsOf(c: CheckedCampaign): CampaignConditions {
  const hit = cache.get(c);
  if (hit) return hit;
  const spans: SpanTable = new Map();
  const segs = planSegments(c);
  const base = scopeFor(c, "audience");
  const parts: Pred[] = [];
  const aud = clausesOf(c.decl, "audience")[0];
  if (aud?.condition) parts.push(tagged(aud.condition, base, spans, segs));
  for (const ex of clausesOf(c.decl, "exclude")) {
    if (ex.condition) parts.push({ k: "not", arg: { k: "label", label: "exclude", pred: tagged(ex.condition, { ...base, context: "exclusion" }, spans, segs) } });
  }
  let audience = andOf(parts);
  if (!sameAs(audience, c.plan.audience)) audience = c.plan.audience;

  const t = clausesOf(c.decl, "trigger")[0]?.trigger;
  const ev = c.plan.trigger.kind === "event" ? c.catalog.events.get(c.plan.trigger.event) : undefined;
  let trigger: Pred = { k: "true" };
  if (c.plan.trigger.kind === "event") {
    trigger = c.plan.trigger.condition;
    if (t?.kind === "event" && t.condition && ev) {
      const mine = tagged(t.condition, scopeFor(c, "trigger condition", ev.fields, ev.name), spans, segs);
      if (sameAs(mine, trigger)) trigger = mine;
    }
  }
  const waveDecls = clausesOf(c.decl, "waves")[0]?.waves ?? [];
  const waveOnly = c.plan.waves.map((w, i) => {
    const d = waveDecls[i];
    if (!d) return w.only;
    const preds = d.modifiers.filter((m): m is Extract<A.WaveModifier, { kind: "only" }> => m.kind === "only").map((m) => tagged(m.condition, scopeFor(c, "wave condition", ev?.fields, ev?.name), spans, segs));
    const mine = andOf(preds);
    return sameAs(mine, w.only) ? mine : w.only;
  });
  const out = { spans, audience, trigger, waveOnly };
  cache.set(c, out);
  return out;
}

/** The reasoner's view of a catalog: enum and bool domains, integral types; `fields` for `field:` subjects. */
export function envOf(catalog: CatalogModel, fields?: (subject: string) => AttributeInfo | undefined): Env {
  const info = (s: string): AttributeInfo | undefined => (s.startsWith("attr:") ? catalog.attributes.get(s.slice(5)) : fields?.(s));
  return {
    domain: (s): readonly Scalar[] | undefined => {
      const t = info(s)?.type;
      if (t?.t === "enum") return t.values;
      if (t?.t === "bool") return [true, false];
      return undefined;
    },
    integral: (s) => {
      const t = info(s)?.type.t;
      return t === "int" || t === "date";
    },
  };
}

const envCache = new WeakMap<CheckedCampaign, Env>();

/** Env for a campaign's audience and trigger (fields of its trigger event); one per campaign. */
export function campaignEnv(c: CheckedCampaign): Env {
  const hit = envCache.get(c);
  if (hit) return hit;
  const ev = c.plan.trigger.kind === "event" ? c.catalog.events.get(c.plan.trigger.event) : undefined;
  const env = envOf(c.catalog, (s) => (s.startsWith("field:") ? ev?.fields.get(s.slice(6)) : undefined));
  envCache.set(c, env);
  return env;
}

/** Source spans of the leaves a literal came from (innermost `@N` label). */
export function spanOfLabels(labels: readonly string[], spans: SpanTable): Span | undefined {
  for (let i = labels.length - 1; i >= 0; i--) {
    const l = labels[i] as string;
    if (l.startsWith("@")) return spans.get(l);
  }
  return undefined;
}

/** The segment a literal came from, if any (outermost). */
export function segmentOfLabels(labels: readonly string[]): string | undefined {
  return labels.find((l) => l.startsWith("segment "))?.slice(8);
}
