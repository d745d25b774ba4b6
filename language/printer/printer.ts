/**
 * The canonical layout of .campaign files (documented in spec/formatting.md).
 *
 * `printFile` walks the AST and produces output lines with source anchors
 * (see lines.ts); comments are placed afterwards by offset. Layout decisions
 * depend only on the tree, the line width and whether comments lie inside a
 * breakable expression, never on the source's own spacing (except that one
 * blank line between items of a block is kept), which makes the output
 * idempotent.
 */
import type * as A from "../ast.ts";
import type { Span } from "../span.ts";
import { chainOperands, duration, expr, ident, literal, num, str } from "./expr.ts";
import { anchorHead, anchorOf, anchorTail, renderLines, type Anchor, type BlankRule, type Line } from "./lines.ts";

/** Spaces per indentation level. */
export const INDENT = 2;
/** Lines longer than this break a clause's and/or expression one operand per line. */
export const MAX_WIDTH = 100;

interface LineOptions {
  blank?: BlankRule;
  commentBlank?: boolean;
  commentIndent?: number;
  opens?: boolean;
}

class Printer {
  readonly lines: Line[] = [];
  private readonly commentOffsets: number[];

  constructor(comments: readonly A.Comment[]) {
    this.commentOffsets = comments.map((c) => c.span.offset).sort((a, b) => a - b);
  }

  line(indent: number, text: string, anchor: Anchor, opts: LineOptions = {}): void {
    this.lines.push({
      indent,
      text,
      anchor,
      blank: opts.blank ?? "never",
      commentBlank: opts.commentBlank ?? (opts.blank !== undefined && opts.blank !== "never"),
      commentIndent: opts.commentIndent ?? indent,
      opens: opts.opens ?? false,
    });
  }

  /** Whether a comment starts in [start, end). */
  hasComment(start: number, end: number): boolean {
    let lo = 0;
    let hi = this.commentOffsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.commentOffsets[mid] ?? 0) < start) lo = mid + 1;
      else hi = mid;
    }
    const o = this.commentOffsets[lo];
    return o !== undefined && o < end;
  }

  // ------------------------------------------------------------ file

  file(f: A.SourceFile): void {
    for (const d of f.decls) {
      switch (d.kind) {
        case "catalog":
          this.catalog(d);
          break;
        case "campaign":
          this.campaign(d);
          break;
        case "segments":
          this.segmentsDecl(d);
          break;
      }
    }
  }

  /** `keyword name "label" {`: the header of a block declaration. */
  private header(indent: number, words: string, node: A.Node, name: A.Ident | undefined, label: A.StringLit | undefined, blank: BlankRule): void {
    const last = label ?? name;
    const text = [words, name ? ident(name) : undefined, label ? str(label) : undefined].filter((x) => x !== undefined).join(" ") + " {";
    this.line(indent, text, last ? anchorOf(node.span, last.span) : anchorHead(node.span, words.length), { blank, opens: true });
  }

  private close(indent: number, node: A.Node, text = "}"): void {
    this.line(indent, text, anchorTail(node.span), { commentBlank: true, commentIndent: indent + INDENT });
  }

  // --------------------------------------------------------- catalog

  private catalog(c: A.CatalogDecl): void {
    this.header(0, "catalog", c, c.name, c.label, "force");
    for (const m of c.members) this.catalogMember(m, INDENT);
    this.close(0, c);
  }

  private catalogMember(m: A.CatalogMember, ind: number): void {
    const keep: LineOptions = { blank: "keep" };
    switch (m.kind) {
      case "timezone":
        this.line(ind, `timezone ${str(m.zone)}`, anchorOf(m.span), keep);
        return;
      case "currency":
        this.line(ind, `currency ${ident(m.code)}`, anchorOf(m.span), keep);
        return;
      case "customer":
        this.line(ind, "customer {", anchorHead(m.span, "customer".length), { ...keep, opens: true });
        for (const f of m.fields) this.line(ind + INDENT, field(f, false), anchorOf(f.span), keep);
        this.close(ind, m);
        return;
      case "tag":
        this.line(ind, words("tag", ident(m.name), m.label && str(m.label)), anchorOf(m.span), keep);
        return;
      case "event":
        this.eventMember(m, ind);
        return;
      case "channel":
        this.line(ind, words("channel", ident(m.name), m.label && str(m.label), ...m.props.map(channelProp)), anchorOf(m.span), keep);
        return;
      case "benefit":
        this.line(
          ind,
          words("benefit", ident(m.name), m.label && str(m.label), m.cost && `cost ${num(m.cost)}`, m.cost && m.perUnit ? "each" : undefined),
          anchorOf(m.span),
          keep,
        );
        return;
      case "policy":
        this.line(ind, `contact policy ${ident(m.name)} {`, m.name ? anchorOf(m.span, m.name.span) : anchorHead(m.span, 7), { ...keep, opens: true });
        for (const r of m.rules) {
          if (r.kind === "policyLimit") this.line(ind + INDENT, words("at most", rateLimits(r.limits), r.scope && scope(r.scope)), anchorOf(r.span), keep);
          else this.exprClause(ind + INDENT, "exclude", r, r.condition, keep);
        }
        this.close(ind, m);
        return;
      case "segment":
        this.segment(m, ind);
        return;
    }
  }

  private eventMember(m: A.EventMember, ind: number): void {
    const keep: LineOptions = { blank: "keep" };
    const head = words("event", ident(m.name), m.label && str(m.label));
    const value = m.value ? ` value ${expr(m.value)}` : "";
    const body = m.fields.map((f) => field(f, true)).join(", ");
    const inline = `${head} ${body ? `{ ${body} }` : "{}"}${value}`;
    const headEnd = m.label ?? m.name;
    const bodyStart = headEnd ? headEnd.span.offset + headEnd.span.length : m.span.offset;
    const bodyEnd = m.value ? m.value.span.offset : m.span.offset + m.span.length;
    if (ind + inline.length <= MAX_WIDTH && !this.hasComment(bodyStart, bodyEnd)) {
      this.line(ind, inline, anchorOf(m.span), keep);
      return;
    }
    this.line(ind, `${head} {`, headEnd ? anchorOf(m.span, headEnd.span) : anchorHead(m.span, 5), { ...keep, opens: true });
    for (const f of m.fields) this.line(ind + INDENT, field(f, true), anchorOf(f.span), keep);
    if (m.value) {
      const v = m.value.span;
      this.line(ind, `}${value}`, { start: v.offset, end: m.span.offset + m.span.length, startLine: v.line, endLine: m.span.endLine }, { commentBlank: true, commentIndent: ind + INDENT });
    } else this.close(ind, m);
  }

  private segment(s: A.SegmentDecl, ind: number): void {
    this.exprClause(ind, words("segment", ident(s.name), s.label && str(s.label), "="), s, s.condition, { blank: "keep" }, (s.label ?? s.name)?.span);
  }

  private segmentsDecl(d: A.SegmentsDecl): void {
    this.header(0, "segments", d, d.name, undefined, "force");
    const items: (A.UsesClause | A.SegmentDecl)[] = [...d.uses, ...d.segments].sort((a, b) => a.span.offset - b.span.offset);
    for (const it of items) {
      if (it.kind === "uses") this.line(INDENT, `uses ${it.what} ${ident(it.name)}`, anchorOf(it.span), { blank: "keep" });
      else this.segment(it, INDENT);
    }
    this.close(0, d);
  }

  // -------------------------------------------------------- campaign

  private campaign(c: A.CampaignDecl): void {
    this.header(0, "campaign", c, c.name, c.label, "force");
    for (const cl of c.clauses) this.clause(cl, INDENT);
    this.close(0, c);
  }

  private clause(c: A.CampaignClause, ind: number): void {
    const keep: LineOptions = { blank: "keep" };
    const one = (text: string): void => this.line(ind, text, anchorOf(c.span), keep);
    const cont = ind + INDENT;
    switch (c.kind) {
      case "uses":
        one(`uses ${c.what} ${ident(c.name)}`);
        return;
      case "window":
        one(`window ${c.start?.raw ?? ""} .. ${c.end?.raw ?? ""}`);
        return;
      case "priority":
        one(`priority ${num(c.value)}`);
        return;
      case "audience":
        this.exprClause(ind, "audience", c, c.condition, keep);
        return;
      case "exclude":
        this.exprClause(ind, "exclude", c, c.condition, keep);
        return;
      case "trigger": {
        const t = c.trigger;
        const text = t ? `trigger ${t.kind === "event" ? eventTrigger(t) : batchTrigger(t)}` : "trigger";
        if (!c.entry) {
          one(text);
          return;
        }
        this.line(ind, text, t ? anchorOf(c.span, t.span) : anchorHead(c.span, 7), keep);
        this.line(cont, c.entry.mode === "once" ? "once per customer" : `again after ${duration(c.entry.coolDown)}`, anchorOf(c.entry.span));
        return;
      }
      case "goal":
        one(goal(c));
        return;
      case "exit":
        if (c.event) one(words("exit on", ident(c.event), c.condition && `where ${expr(c.condition)}`));
        else this.exprClause(ind, "exit when", c, c.condition, keep);
        return;
      case "waves":
        this.line(ind, "waves", anchorHead(c.span, "waves".length), keep);
        for (const w of c.waves) this.wave(w, cont);
        return;
      case "benefitClause":
        this.line(ind, "benefit on goal", anchorHead(c.span, "benefit".length), keep);
        for (const t of c.tiers) {
          this.line(cont, words(ident(t.benefit), t.quantity && expr(t.quantity), t.condition && `when ${expr(t.condition)}`), anchorOf(t.span));
        }
        if (c.limit) {
          const l = c.limit;
          this.line(cont, l.mode === "once" ? "once per customer" : l.mode === "everyTime" ? "every time" : `at most ${num(l.count)} per customer`, anchorOf(l.span));
        }
        return;
      case "cap":
        one(words("cap", rateLimits(c.limits), c.scope && scope(c.scope)));
        return;
      case "capped":
        one(`when capped: ${c.action ?? "defer"}`);
        return;
      case "budget": {
        const parts = c.limits.map((l) => `${num(l.amount)} ${l.period ? `per ${period(l.period)}` : "total"}`);
        if (c.pacing) parts.push(c.pacing.mode === "even" ? "paced evenly" : `paced by curve (${c.pacing.curve.map((p) => p.raw).join(", ")})`);
        const text = `budget ${parts.join(", ")}`;
        if (!c.whenSpent) {
          one(text);
          return;
        }
        const lastEnd = [...c.limits.map((l) => l.span), ...(c.pacing ? [c.pacing.span] : [])].reduce<Span>((a, b) => (b.offset > a.offset ? b : a), c.span);
        this.line(ind, text, anchorOf(c.span, lastEnd), keep);
        const stop = c.whenSpent.stop === "all" ? "all" : c.whenSpent.stop;
        this.line(cont, `when spent: stop ${stop}`, anchorOf(c.whenSpent.span));
        return;
      }
      case "holdout":
        one(words("holdout", c.share?.raw, c.salt && `salt ${str(c.salt)}`));
        return;
      case "variants": {
        const vs = c.variants.map((v) => `${ident(v.name)} ${v.weight?.raw ?? ""}`).join(", ");
        one(words(vs ? `variants { ${vs} }` : "variants {}", c.salt && `salt ${str(c.salt)}`));
        return;
      }
      case "policyRef":
        one(`policy ${ident(c.name)}`);
        return;
      case "segment":
        this.segment(c, ind);
        return;
      case "test":
        this.test(c, ind);
        return;
    }
  }

  private wave(w: A.WaveDecl, ind: number): void {
    const prefix = `${w.number?.raw ?? ""}. `;
    const mods: string[] = [];
    w.modifiers.forEach((m, i) => {
      const text = modifier(m);
      const prev = w.modifiers[i - 1];
      // A comma where a space would change the reading: around `only <condition>`, and
      // before `at T` after an `after D` (which would otherwise take the time).
      const needsComma = m.kind === "only" || prev?.kind === "only" || (m.kind === "atTime" && prev?.kind === "after" && !prev.at);
      if (i > 0 && needsComma) mods.push(", " + text);
      else mods.push(" " + text);
    });
    const lastMod = w.modifiers[w.modifiers.length - 1];
    const mainEnd = lastMod?.span ?? w.touch?.span ?? w.number?.span ?? w.span;
    this.line(ind, prefix + touch(w.touch) + mods.join(""), anchorOf(w.span, mainEnd));
    for (const f of w.fallbacks) this.line(ind + prefix.length, `else ${touch(f)}`, anchorOf(f.span));
  }

  private test(t: A.TestClause, ind: number): void {
    this.header(ind, "test", t, undefined, t.title, "keep");
    for (const s of t.steps) this.testStep(s, ind + INDENT);
    this.close(ind, t);
  }

  /**
   * A test step on one line, or, when its `{ ... }` does not fit in the line
   * width or holds a comment, with one assignment per line.
   */
  private testStep(s: A.TestStep, ind: number): void {
    const flat = testStep(s);
    const keep: LineOptions = { blank: "keep" };
    const as = s.kind === "given" || s.kind === "update" || s.kind === "eventStep" ? s.assignments : [];
    const headEnd = s.kind === "given" ? s.customer?.span : s.kind === "update" || s.kind === "eventStep" ? s.at?.span : undefined;
    const end = s.span.offset + s.span.length;
    const bodyStart = headEnd ? headEnd.offset + headEnd.length : end;
    if (as.length === 0 || !headEnd || (ind + flat.length <= MAX_WIDTH && !this.hasComment(bodyStart, end))) {
      this.line(ind, flat, anchorOf(s.span), keep);
      return;
    }
    const head = flat.slice(0, flat.length - assignments(as).length) + "{";
    this.line(ind, head, anchorOf(s.span, headEnd), { ...keep, opens: true });
    as.forEach((a, i) => this.line(ind + INDENT, assignment(a) + (i < as.length - 1 ? "," : ""), anchorOf(a.span), keep));
    this.close(ind, s);
  }

  /**
   * A clause ending in an expression (`audience`, `exclude`, `segment x =`, `exit when`):
   * on one line when it fits and holds no comment, otherwise the keyword on
   * its own line and the and/or chain one operand per line below it.
   */
  private exprClause(ind: number, head: string, node: A.Node, e: A.Expr | undefined, opts: LineOptions, headEnd?: Span): void {
    const flat = `${head} ${expr(e)}`;
    const headAnchor: Anchor = headEnd ? anchorOf(node.span, headEnd) : anchorHead(node.span, head.split(" ")[0]?.length ?? 0);
    if (!e || e.kind !== "logical") {
      this.line(ind, e ? flat : head, anchorOf(node.span), opts);
      return;
    }
    const regionStart = headAnchor.end;
    const exprEnd = e.span.offset + e.span.length;
    if (ind + flat.length <= MAX_WIDTH && !this.hasComment(regionStart, exprEnd)) {
      this.line(ind, flat, anchorOf(node.span), opts);
      return;
    }
    this.line(ind, head, headAnchor, opts);
    this.chain(e, ind + INDENT, "", false);
  }

  /** Lines of an and/or chain: one operand per line, each after the first led by its operator. */
  private chain(e: A.LogicalExpr, ind: number, prefix: string, nested: boolean): void {
    chainOperands(e).forEach((o, i) => {
      const pre = i === 0 ? prefix : `${e.op} `;
      const oInd = i === 0 || !nested ? ind : ind + INDENT;
      this.operand(o, oInd, pre);
    });
  }

  /** One operand of a broken chain; an operand that is itself a chain of the other operator breaks too. */
  private operand(o: A.Expr, ind: number, prefix: string): void {
    if (o.kind === "logical") {
      this.chain(o, ind, prefix, true);
      return;
    }
    this.line(ind, prefix + expr(o), anchorOf(o.span));
  }
}

// ------------------------------------------------------------------ pieces

/** Joins the defined, non-empty words with single spaces. */
function words(...parts: (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === "string" && p !== "").join(" ");
}

function typeRef(t: A.TypeRef | undefined): string {
  if (!t) return "";
  if (t.name === "money") return t.currency ? `money ${ident(t.currency)}` : "money";
  if (t.name === "enum") return `enum(${t.values.map(ident).join(", ")})`;
  return t.name;
}

/** A field: `aum money "label"` in a customer block, `amount: money` in an event. */
function field(f: A.FieldDecl, colon: boolean): string {
  return words(ident(f.name) + (colon ? ":" : ""), typeRef(f.type), f.label && str(f.label));
}

function channelProp(p: A.ChannelProp): string {
  switch (p.kind) {
    case "cost":
      return `cost ${num(p.amount)}`;
    case "quiet":
      return `quiet ${p.ranges.map((r) => `${r.from?.raw ?? ""}-${r.to?.raw ?? ""}`).join(", ")}`;
    case "capacity":
      return `capacity ${num(p.count)} per day${p.perBranch ? " per branch" : ""}`;
    case "address":
      return `address ${ident(p.attribute)}`;
    case "optout":
      return `optout ${ident(p.tag)}`;
  }
}

function period(p: A.Period): string {
  switch (p.form) {
    case "calendar":
      return words(p.explicitCalendar ? "calendar" : undefined, p.unit, p.zone && `in ${str(p.zone)}`);
    case "rolling":
      return `rolling ${duration(p.duration)}`;
    case "ambiguous":
      return duration(p.duration);
  }
}

function rateLimits(ls: readonly A.RateLimit[]): string {
  return ls.map((l) => `${num(l.count)} per ${l.period ? period(l.period) : ""}`).join(", ");
}

function scope(s: A.ChannelScope): string {
  if (s.mode === "across") return "across all channels";
  if (s.mode === "each") return "per channel";
  return `on ${s.channels.map(ident).join(", ")}`;
}

function eventTrigger(t: A.EventTrigger): string {
  const a = t.absence;
  return words(
    "on",
    ident(t.event),
    t.condition && `where ${expr(t.condition)}`,
    a && words("and no", ident(a.event), a.condition && `where ${expr(a.condition)}`, `within ${duration(a.within)}`),
  );
}

function batchTrigger(t: A.BatchTrigger): string {
  const zone = t.zone ? (t.zone.mode === "customer" ? "customer time" : t.zone.mode === "bank" ? "bank time" : `in ${str(t.zone.zone)}`) : undefined;
  const times = t.times.map((x) => x.raw).join(", ");
  if (t.once) return words("once at", t.once.raw, times && `at ${times}`, zone);
  const r = t.recurrence;
  let every = "";
  if (r) {
    if (r.every === "day") every = "day";
    else if (r.every === "weekday") every = "weekday";
    else if (r.every === "month") every = `month on day ${num(r.dayOfMonth)}`;
    else every = r.weekdays.join(", ");
  }
  return words("every", every, `at ${times}`, zone);
}

function goal(c: A.GoalClause): string {
  const g = c.goal;
  let what = "";
  if (g?.kind === "eventGoal") what = words(ident(g.event), g.condition && `where ${expr(g.condition)}`);
  else if (g?.kind === "changeGoal") what = words(ident(g.attribute), g.direction, "by", g.atLeast ? "at least" : undefined, expr(g.amount));
  return words("goal", what, `within ${duration(c.within)}`, c.anchor && `of ${c.anchor}`);
}

function template(t: A.TemplateRef | undefined): string {
  if (!t) return "";
  if (t.name) return str(t.name);
  const items = t.perVariant.map((v) => `${ident(v.variant)} ${str(v.name)}`).join(", ");
  return items ? `{ ${items} }` : "{}";
}

function touch(t: A.Touch | undefined): string {
  return t ? words(ident(t.channel), template(t.template)) : "";
}

function modifier(m: A.WaveModifier): string {
  switch (m.kind) {
    case "now":
      return "now";
    case "after":
      return words("after", duration(m.delay), m.at && `at ${m.at.raw}`);
    case "atTime":
      return `at ${m.at?.raw ?? ""}`;
    case "unless":
      return words("unless", m.wave && `wave ${num(m.wave)}`, m.what);
    case "only":
      return `only ${expr(m.condition)}`;
  }
}

function testScalar(v: A.Literal | A.Ident): string {
  return v.kind === "ident" ? ident(v) : literal(v);
}

function testValue(v: A.TestValue | undefined): string {
  const x = v?.value;
  if (!x) return "";
  if (x.kind === "list") return `[${x.items.map(testScalar).join(", ")}]`;
  return testScalar(x);
}

function assignment(a: A.TestAssignment): string {
  return words(ident(a.name), testValue(a.value));
}

function assignments(as: readonly A.TestAssignment[]): string {
  return as.length === 0 ? "{}" : `{ ${as.map(assignment).join(", ")} }`;
}

function testStep(s: A.TestStep): string {
  switch (s.kind) {
    case "given":
      return `given customer ${ident(s.customer)} ${assignments(s.assignments)}`;
    case "at":
      return `at ${s.time?.raw ?? ""}`;
    case "eventStep":
      return words("event", ident(s.event), "for", ident(s.customer), "at", s.at?.raw, s.assignments.length > 0 ? assignments(s.assignments) : undefined);
    case "update":
      return words("update", ident(s.customer), "at", s.at?.raw, assignments(s.assignments));
    case "expect": {
      let what: string;
      if (s.what === "nothing") what = "nothing";
      else if (s.what === "benefit") what = words("benefit", s.target && ident(s.target), s.target && s.quantity && num(s.quantity));
      else what = s.target ? words(ident(s.target), s.template && str(s.template)) : "touch";
      return words("expect", s.negated ? "no" : undefined, what, "to", ident(s.customer), s.at && `at ${s.at.raw}`);
    }
  }
}

/** Prints a parsed file, with its comments, in the canonical layout. */
export function printFile(file: A.SourceFile): string {
  const p = new Printer(file.comments);
  p.file(file);
  return renderLines(p.lines, file.comments);
}
