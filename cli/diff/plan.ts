/**
 * Comparing two plans of the same campaign, section by section, for
 * `campaign diff`. Only real differences are reported: the source file's
 * name and hash and the catalog's hash say which revision a plan came from,
 * not what it does, and are ignored (as `planContentHash` ignores the
 * hashes); the window's text is shown but only its instants are compared.
 *
 * The audience is compared clause by clause: its top-level `and` is
 * flattened, exclusions (folded into the audience as `not (exclude ...)`)
 * are split off into their own section and flattened on their top-level
 * `or`, equal clauses are matched in any order, and each leftover old
 * clause is paired with a leftover new clause about the same subjects (the
 * same segment, or the same attributes, fields and tags; failing that, some
 * of them) as "changed"; the rest are removed or added.
 * Waves, benefit tiers and exits are ordered and aligned with ./align.ts.
 */
import { attributesRead, fieldsRead, walkPred, type Pred } from "../../compiler/ir/predicate.ts";
import type { CatalogPlan, Plan, WavePlan } from "../../compiler/plan/types.ts";
import { showInstant } from "../../compiler/time/resolve.ts";
import { canonicalJson } from "../../compiler/util/hash.ts";
import { align } from "./align.ts";
import { SECTIONS, type Change, type Json, type SectionDiff, type SectionName } from "./types.ts";
import {
  armsWords,
  benefitLimitWords,
  benefitTypeWords,
  budgetWords,
  channelWords,
  delayWords,
  entryWords,
  eventTypeWords,
  exitWords,
  fallbackWords,
  fieldWords,
  goalWords,
  pacingWords,
  percent,
  perPeriodWords,
  policyWords,
  predWords,
  rateLimitWords,
  shiftWords,
  templateWords,
  tierWords,
  triggerWords,
  valueWords,
  waveConditionWords,
  waveWords,
  whenSpentWords,
} from "./words.ts";

/** Structural equality of plan parts (key order does not matter). */
export function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** A plan part as JSON data for the report (a copy, so the report shares nothing with the plan). */
export function toJson(v: unknown): Json {
  return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as Json);
}

function changed(item: string, oldWords: string, newWords: string, oldValue: unknown, newValue: unknown): Change {
  return { kind: "changed", item, old: oldWords, new: newWords, oldValue: toJson(oldValue), newValue: toJson(newValue) };
}

function removed(item: string, words: string, value: unknown): Change {
  return { kind: "removed", item, old: words, oldValue: toJson(value) };
}

function added(item: string, words: string, value: unknown): Change {
  return { kind: "added", item, new: words, newValue: toJson(value) };
}

/** Compares an optional part: added, removed, or changed (with `words` for each side). */
function optional<T>(out: Change[], item: string, a: T | undefined, b: T | undefined, words: (v: T) => string): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) out.push(added(item, words(b as T), b));
  else if (b === undefined) out.push(removed(item, words(a), a));
  else if (!same(a, b)) out.push(changed(item, words(a), words(b), a, b));
}

/**
 * Compares lists whose order does not matter (caps, budget periods): equal
 * items match in any order; a leftover old item and a leftover new item with
 * the same `key` (the same period and channels) are one changed item.
 */
function unorderedList<T>(out: Change[], item: string, a: readonly T[], b: readonly T[], key: (x: T) => unknown, words: (x: T, zone: string) => string, za: string, zb: string): void {
  const restA = a.filter((x) => !b.some((y) => same(x, y)));
  const restB = b.filter((y) => !a.some((x) => same(x, y)));
  const used = new Set<number>();
  for (const x of restA) {
    const j = restB.findIndex((y, k) => !used.has(k) && same(key(x), key(y)));
    if (j >= 0) {
      used.add(j);
      const y = restB[j] as T;
      out.push(changed(item, words(x, za), words(y, zb), x, y));
    } else out.push(removed(item, words(x, za), x));
  }
  restB.forEach((y, k) => {
    if (!used.has(k)) out.push(added(item, words(y, zb), y));
  });
}

// ------------------------------------------------------------------ audience

/** The audience's own clauses and its exclusions, each flattened. */
export function splitAudience(p: Pred): { clauses: Pred[]; exclusions: Pred[] } {
  const top = p.k === "and" ? p.args : p.k === "true" ? [] : [p];
  const clauses: Pred[] = [];
  const exclusions: Pred[] = [];
  for (const c of top) {
    if (c.k === "not" && c.arg.k === "label" && c.arg.label === "exclude") {
      const inner = c.arg.pred;
      exclusions.push(...(inner.k === "or" ? inner.args : [inner]));
    } else clauses.push(c);
  }
  return { clauses, exclusions };
}

/** What a clause is about (a segment, or the attributes, fields and tags it reads), for pairing a removed clause with an added one. */
function subjects(p: Pred): Set<string> {
  const core = p.k === "not" ? p.arg : p;
  if (core.k === "label") return new Set([`label ${core.label}`]);
  const names = new Set<string>([...attributesRead(core)].map((a) => `attr ${a}`));
  for (const f of fieldsRead(core)) names.add(`field ${f}`);
  walkPred(core, (n) => {
    if (n.k === "tag") names.add(`tag ${n.tag}`);
  });
  return names;
}

function sameSubjects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size > 0 && a.size === b.size && [...a].every((x) => b.has(x));
}

function overlapping(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return [...a].some((x) => b.has(x));
}

/** Words for a pair of clauses; when they read the same (a segment's definition changed), with segments expanded. */
function clauseWords(a: Pred, b: Pred, zoneA: string, zoneB: string): [string, string] {
  const wa = predWords(a, { zone: zoneA });
  const wb = predWords(b, { zone: zoneB });
  if (wa !== wb) return [wa, wb];
  return [predWords(a, { zone: zoneA, expand: true }), predWords(b, { zone: zoneB, expand: true })];
}

/** Clause-by-clause comparison of two conjunctions (or disjunctions): order does not matter. */
export function diffClauses(a: readonly Pred[], b: readonly Pred[], zoneA: string, zoneB: string): Change[] {
  const restA = [...a];
  const restB = [...b];
  // Equal clauses, in any order.
  for (let i = restA.length - 1; i >= 0; i--) {
    const j = restB.findIndex((c) => same(c, restA[i]));
    if (j >= 0) {
      restA.splice(i, 1);
      restB.splice(j, 1);
    }
  }
  // Pair leftovers about the same subjects first, then about overlapping ones.
  const subA = restA.map(subjects);
  const subB = restB.map(subjects);
  const partner = new Map<number, number>();
  const used = new Set<number>();
  for (const fits of [sameSubjects, overlapping]) {
    subA.forEach((sa, i) => {
      if (partner.has(i)) return;
      const j = subB.findIndex((sb, k) => !used.has(k) && fits(sa, sb));
      if (j >= 0) {
        partner.set(i, j);
        used.add(j);
      }
    });
  }
  const out: Change[] = [];
  restA.forEach((c, i) => {
    const j = partner.get(i);
    if (j !== undefined) {
      const d = restB[j] as Pred;
      const [wa, wb] = clauseWords(c, d, zoneA, zoneB);
      out.push(changed("", wa, wb, c, d));
    } else out.push(removed("", predWords(c, { zone: zoneA }), c));
  });
  restB.forEach((d, k) => {
    if (!used.has(k)) out.push(added("", predWords(d, { zone: zoneB }), d));
  });
  return out;
}

// ------------------------------------------------------------------ waves

function withoutIndex(w: WavePlan): Omit<WavePlan, "index"> {
  const { index: _index, ...rest } = w;
  return rest;
}

function waveChanges(a: WavePlan, b: WavePlan, zoneA: string, zoneB: string): Change[] {
  const label = a.index === b.index ? `wave ${b.index}` : `wave ${b.index} (was ${a.index})`;
  const out: Change[] = [];
  const ta = a.touches[0];
  const tb = b.touches[0];
  if (ta?.channel !== tb?.channel) out.push(changed(`${label} channel`, ta?.channel ?? "none", tb?.channel ?? "none", ta?.channel, tb?.channel));
  if (!same(ta && { template: ta.template, variantTemplates: ta.variantTemplates }, tb && { template: tb.template, variantTemplates: tb.variantTemplates })) {
    out.push(changed(`${label} template`, ta ? templateWords(ta) : "none", tb ? templateWords(tb) : "none", ta && { template: ta.template, variantTemplates: ta.variantTemplates }, tb && { template: tb.template, variantTemplates: tb.variantTemplates }));
  }
  if (!same(a.delay, b.delay)) out.push(changed(`${label} delay`, delayWords(a), delayWords(b), a.delay, b.delay));
  optional(out, `${label} at`, a.at, b.at, (t) => t);
  const cond = (w: WavePlan): unknown => ({ unlessConverted: w.unlessConverted, unlessOpened: w.unlessOpened, unlessClicked: w.unlessClicked, only: w.only });
  if (!same(cond(a), cond(b))) out.push(changed(`${label} conditions`, waveConditionWords(a, zoneA), waveConditionWords(b, zoneB), cond(a), cond(b)));
  if (!same(a.touches.slice(1), b.touches.slice(1))) out.push(changed(`${label} fallbacks`, fallbackWords(a), fallbackWords(b), a.touches.slice(1), b.touches.slice(1)));
  return out;
}

// ------------------------------------------------------------------ catalog

type Named = { readonly name: string };

function namedList<T extends Named>(out: Change[], what: string, a: readonly T[], b: readonly T[], words: (v: T) => string): void {
  const byName = (xs: readonly T[]): Map<string, T> => new Map(xs.map((x) => [x.name, x]));
  const ma = byName(a);
  const mb = byName(b);
  for (const [name, x] of ma) {
    const y = mb.get(name);
    if (!y) out.push(removed(`${what} ${name}`, words(x), x));
    else if (!same(x, y)) out.push(changed(`${what} ${name}`, words(x), words(y), x, y));
  }
  for (const [name, y] of mb) if (!ma.has(name)) out.push(added(`${what} ${name}`, words(y), y));
}

function diffCatalog(a: CatalogPlan, b: CatalogPlan): Change[] {
  const out: Change[] = [];
  if (a.name !== b.name) out.push(changed("name", a.name, b.name, a.name, b.name));
  if (a.zone !== b.zone) out.push(changed("timezone", a.zone, b.zone, a.zone, b.zone));
  if (a.currency !== b.currency) out.push(changed("currency", a.currency, b.currency, a.currency, b.currency));
  optional(out, "customer zone attribute", a.customerZoneAttribute, b.customerZoneAttribute, (s) => s);
  optional(out, "branch attribute", a.branchAttribute, b.branchAttribute, (s) => s);
  namedList(out, "attribute", a.attributes, b.attributes, fieldWords);
  namedList(out, "tag", a.tags, b.tags, (t) => (t.label !== undefined ? JSON.stringify(t.label) : "(no label)"));
  namedList(out, "event", a.events, b.events, (e) => eventTypeWords(e, a.zone));
  namedList(out, "channel", a.channels, b.channels, channelWords);
  namedList(out, "benefit", a.benefits, b.benefits, benefitTypeWords);
  namedList(out, "contact policy", a.policies, b.policies, (p) => policyWords(p, a.zone));
  return out;
}

// ------------------------------------------------------------------ the plan

function windowWords(p: Plan, showInstants: boolean): string {
  const w = p.campaign.window;
  return showInstants ? `${w.text} (${showInstant(w.start, p.catalog.zone)} to ${showInstant(w.end, p.catalog.zone)}, end excluded)` : w.text;
}

/** The differences between two plans of one campaign, by section; empty when they mean the same. */
export function diffPlans(a: Plan, b: Plan): SectionDiff[] {
  const za = a.catalog.zone;
  const zb = b.catalog.zone;
  const sections = new Map<SectionName, Change[]>();
  const at = (s: SectionName): Change[] => {
    let list = sections.get(s);
    if (!list) sections.set(s, (list = []));
    return list;
  };

  // campaign
  optional(at("campaign"), "label", a.campaign.label, b.campaign.label, (l) => JSON.stringify(l));

  // window and priority
  const wa = a.campaign.window;
  const wb = b.campaign.window;
  if (wa.start !== wb.start || wa.end !== wb.end) {
    const instants = wa.text === wb.text;
    at("window").push(changed("", windowWords(a, instants), windowWords(b, instants), { start: wa.start, end: wa.end }, { start: wb.start, end: wb.end }));
  }
  if (a.campaign.priority !== b.campaign.priority) at("priority").push(changed("", String(a.campaign.priority), String(b.campaign.priority), a.campaign.priority, b.campaign.priority));

  // audience and exclusions
  const sa = splitAudience(a.audience);
  const sb = splitAudience(b.audience);
  at("audience").push(...diffClauses(sa.clauses, sb.clauses, za, zb));
  at("exclusions").push(...diffClauses(sa.exclusions, sb.exclusions, za, zb));

  // trigger
  const ta = a.trigger;
  const tb = b.trigger;
  if (!same(ta, tb)) {
    const t = at("trigger");
    if (ta.kind === "event" && tb.kind === "event") {
      if (ta.event !== tb.event) t.push(changed("event", ta.event, tb.event, ta.event, tb.event));
      if (!same(ta.condition, tb.condition)) {
        const [x, y] = clauseWords(ta.condition, tb.condition, za, zb);
        t.push(changed("condition", ta.condition.k === "true" ? "none" : x, tb.condition.k === "true" ? "none" : y, ta.condition, tb.condition));
      }
      optional(t, "absence", ta.absence, tb.absence, (ab) => `no ${ab.event}${ab.condition.k !== "true" ? ` where ${predWords(ab.condition, { zone: za })}` : ""} within ${shiftWords(ab.within)}`);
    } else t.push(changed("", triggerWords(ta, za), triggerWords(tb, zb), ta, tb));
  }
  if (!same(a.entry, b.entry)) at("entry").push(changed("entry rule", entryWords(a.entry), entryWords(b.entry), a.entry, b.entry));

  // goal
  const ga = a.goal;
  const gb = b.goal;
  const g = at("goal");
  if (ga && gb && ga.kind === gb.kind && !same(ga, gb)) {
    if (ga.kind === "event" && gb.kind === "event") {
      if (ga.event !== gb.event) g.push(changed("event", ga.event, gb.event, ga.event, gb.event));
      if (!same(ga.condition, gb.condition)) {
        const [x, y] = clauseWords(ga.condition, gb.condition, za, zb);
        g.push(changed("condition", ga.condition.k === "true" ? "none" : x, gb.condition.k === "true" ? "none" : y, ga.condition, gb.condition));
      }
    } else if (ga.kind === "change" && gb.kind === "change") {
      if (ga.attribute !== gb.attribute) g.push(changed("attribute", ga.attribute, gb.attribute, ga.attribute, gb.attribute));
      if (ga.direction !== gb.direction) g.push(changed("direction", ga.direction, gb.direction, ga.direction, gb.direction));
      if (!same(ga.amount, gb.amount)) g.push(changed("amount", valueWords(ga.amount, za), valueWords(gb.amount, zb), ga.amount, gb.amount));
    }
    if (!same(ga.within, gb.within) || ga.anchor !== gb.anchor) {
      g.push(changed("attribution window", `${shiftWords(ga.within)} of ${ga.anchor}`, `${shiftWords(gb.within)} of ${gb.anchor}`, { within: ga.within, anchor: ga.anchor }, { within: gb.within, anchor: gb.anchor }));
    }
  } else if (ga && gb && !same(ga, gb)) g.push(changed("", goalWords(ga, za), goalWords(gb, zb), ga, gb));
  else optional(g, "", ga, gb, (x) => goalWords(x, ga === x ? za : zb));

  // exits
  for (const e of align(a.exits, b.exits, same)) {
    if (e.kind === "changed") at("exits").push(changed(`exit ${e.newIndex + 1}`, exitWords(e.old, za), exitWords(e.new, zb), e.old, e.new));
    else if (e.kind === "removed") at("exits").push(removed(`exit ${e.oldIndex + 1}`, exitWords(e.old, za), e.old));
    else if (e.kind === "added") at("exits").push(added(`exit ${e.newIndex + 1}`, exitWords(e.new, zb), e.new));
  }

  // waves
  for (const w of align(a.waves, b.waves, (x, y) => same(withoutIndex(x), withoutIndex(y)))) {
    if (w.kind === "changed") at("waves").push(...waveChanges(w.old, w.new, za, zb));
    else if (w.kind === "removed") at("waves").push(removed(`wave ${w.old.index}`, waveWords(w.old, za), w.old));
    else if (w.kind === "added") at("waves").push(added(`wave ${w.new.index}`, waveWords(w.new, zb), w.new));
  }

  // benefits
  const ba = a.benefit;
  const bb = b.benefit;
  const benefitWords = (x: NonNullable<Plan["benefit"]>, zone: string): string => `${x.tiers.map((t) => tierWords(t, zone)).join("; ")}; ${benefitLimitWords(x.limit)}`;
  if (ba && bb) {
    for (const t of align(ba.tiers, bb.tiers, same)) {
      if (t.kind === "changed") at("benefits").push(changed(`tier ${t.newIndex + 1}`, tierWords(t.old, za), tierWords(t.new, zb), t.old, t.new));
      else if (t.kind === "removed") at("benefits").push(removed(`tier ${t.oldIndex + 1}`, tierWords(t.old, za), t.old));
      else if (t.kind === "added") at("benefits").push(added(`tier ${t.newIndex + 1}`, tierWords(t.new, zb), t.new));
    }
    if (!same(ba.limit, bb.limit)) at("benefits").push(changed("limit", benefitLimitWords(ba.limit), benefitLimitWords(bb.limit), ba.limit, bb.limit));
  } else optional(at("benefits"), "benefit", ba, bb, (x) => benefitWords(x, x === ba ? za : zb));

  // caps
  const caps = at("caps");
  unorderedList(caps, "cap", a.caps, b.caps, (c) => ({ period: c.period, scope: c.scope }), (c, zone) => rateLimitWords(c, zone), za, zb);
  if (a.cappedAction !== b.cappedAction) caps.push(changed("when capped", a.cappedAction, b.cappedAction, a.cappedAction, b.cappedAction));

  // budget
  const ua = a.budget;
  const ub = b.budget;
  const budget = at("budget");
  if (ua && ub) {
    optional(budget, "total", ua.total, ub.total, (n) => valueWords({ k: "const", value: n, rep: "number" }));
    unorderedList(budget, "per period", ua.perPeriod, ub.perPeriod, (p) => p.period, (p, zone) => perPeriodWords(p, zone), za, zb);
    if (!same(ua.pacing, ub.pacing)) budget.push(changed("pacing", pacingWords(ua.pacing), pacingWords(ub.pacing), ua.pacing, ub.pacing));
    if (ua.whenSpent !== ub.whenSpent) budget.push(changed("when spent", whenSpentWords(ua.whenSpent), whenSpentWords(ub.whenSpent), ua.whenSpent, ub.whenSpent));
  } else optional(budget, "budget", ua, ub, (x) => budgetWords(x, x === ua ? za : zb));

  // holdout
  if (a.holdout.share !== b.holdout.share) at("holdout").push(changed("share", percent(a.holdout.share), percent(b.holdout.share), a.holdout.share, b.holdout.share));
  if (a.holdout.salt !== b.holdout.salt) at("holdout").push(changed("salt", JSON.stringify(a.holdout.salt), JSON.stringify(b.holdout.salt), a.holdout.salt, b.holdout.salt));

  // variants
  const va = a.variants;
  const vb = b.variants;
  const variants = at("variants");
  if (va && vb) {
    const namesA = va.arms.map((x) => x.name);
    const namesB = vb.arms.map((x) => x.name);
    const common = namesA.filter((n) => namesB.includes(n));
    const sameOrder = same(common, namesB.filter((n) => namesA.includes(n)));
    if (sameOrder) {
      for (const x of va.arms) {
        const y = vb.arms.find((arm) => arm.name === x.name);
        if (!y) variants.push(removed(`variant ${x.name}`, percent(x.weight), x));
        else if (x.weight !== y.weight) variants.push(changed(`variant ${x.name} weight`, percent(x.weight), percent(y.weight), x.weight, y.weight));
      }
      for (const y of vb.arms) if (!namesA.includes(y.name)) variants.push(added(`variant ${y.name}`, percent(y.weight), y));
    } else if (!same(va.arms, vb.arms)) variants.push(changed("arms", armsWords(va.arms), armsWords(vb.arms), va.arms, vb.arms));
    if (va.salt !== vb.salt) variants.push(changed("salt", JSON.stringify(va.salt), JSON.stringify(vb.salt), va.salt, vb.salt));
  } else optional(variants, "variants", va, vb, (x) => `${armsWords(x.arms)}; salt ${JSON.stringify(x.salt)}`);

  // policies
  for (const p of a.policies) if (!b.policies.includes(p)) at("policies").push(removed("policy", p, p));
  for (const p of b.policies) if (!a.policies.includes(p)) at("policies").push(added("policy", p, p));

  // catalog
  const { hash: _ha, ...ca } = a.catalog;
  const { hash: _hb, ...cb } = b.catalog;
  if (!same(ca, cb)) at("catalog").push(...diffCatalog(a.catalog, b.catalog));

  const out: SectionDiff[] = [];
  for (const section of SECTIONS) {
    const changes = sections.get(section);
    if (changes && changes.length > 0) out.push({ section, changes });
  }
  return out;
}
