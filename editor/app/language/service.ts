/**
 * The editor's language service: diagnostics, completion, hover, outline and
 * formatting for one open file against the rest of the workspace. Pure
 * TypeScript over language/ and compiler/ (no DOM, no Node), so it runs in the
 * editor's web worker and in unit tests alike.
 *
 * Checking while typing runs the compiler's own stages (compiler/program.ts)
 * over the open file plus the workspace's catalog and segments files (their
 * parses are cached), so names resolve exactly as `campaign check` resolves
 * them. The stages are split: everything up to the campaign checker first
 * (syntax, names, types: what a keystroke must show quickly), then the
 * campaign's analyses. Cross-campaign analyses need every campaign and run on
 * the server (`/api/check`).
 */
import type { IToken, TokenType } from "chevrotain";
import type * as A from "../../../language/ast.ts";
import { hasErrors, type Diagnostic } from "../../../language/diagnostics/diagnostic.ts";
import * as T from "../../../language/lexer/tokens.ts";
import { campaignLexer, campaignParser, parse } from "../../../language/parser/parse.ts";
import { format } from "../../../language/printer/format.ts";
import { LineIndex, type Span } from "../../../language/span.ts";
import type { AttributeInfo, CatalogModel, PeriodModel, SegmentInfo } from "../../../compiler/catalog/model.ts";
import { emptyStageState, stages, type ParsedSource, type Stage } from "../../../compiler/program.ts";
import { showType, type ScalarType } from "../../../compiler/types.ts";
import { sha256Hex } from "../../../compiler/util/hash.ts";
import type { KeywordDoc } from "./keywordDocs.ts";
import type { CompletionEntry, CompletionKind, CompletionResult, DocumentSymbolData, FormatResultData, HoverResult, SymbolKind, WorkspaceFile } from "./protocol.ts";

/** The compiler's stage state, named through the public `Stage` type. */
type StageState = Parameters<Stage["run"]>[0];

interface CachedParse {
  readonly text: string;
  readonly source: ParsedSource;
  readonly diagnostics: readonly Diagnostic[];
}

/** The result of the fast part of a check, kept for completion and hover. */
interface Context {
  readonly path: string;
  readonly state: StageState;
  readonly inputs: readonly WorkspaceFile[];
  readonly ast: A.SourceFile;
}

export interface CheckOutcome {
  /** Syntax, name and type diagnostics of the open file. */
  readonly diagnostics: Diagnostic[];
  /** Runs the campaign analyses of the open file (slower; call when idle). */
  readonly analyses: () => Diagnostic[];
}

const STAGE_ANALYSES = "analyses";
const STAGE_PARSE = "parse";

export class LanguageService {
  private workspace = new Map<string, string>();
  private parses = new Map<string, CachedParse>();
  private context: Context | undefined;

  constructor(private readonly keywordDocs: ReadonlyMap<string, KeywordDoc>) {}

  /** Replaces the saved texts of the workspace's files. */
  setWorkspace(files: readonly WorkspaceFile[]): void {
    this.workspace = new Map(files.map((f) => [f.path, f.text]));
    for (const path of [...this.parses.keys()]) if (!this.workspace.has(path)) this.parses.delete(path);
    this.context = undefined;
  }

  private cachedParse(path: string, text: string): CachedParse {
    const hit = this.parses.get(path);
    if (hit && hit.text === text) return hit;
    const r = parse(text, path);
    const entry: CachedParse = { text, source: { path, text, hash: sha256Hex(text), ast: r.file }, diagnostics: r.diagnostics };
    this.parses.set(path, entry);
    return entry;
  }

  /** Checks the open file; see the module comment for what is included. */
  check(path: string, text: string): CheckOutcome {
    const state: StageState = emptyStageState();
    const inputs: WorkspaceFile[] = [{ path, text }];
    const own = parse(text, path);
    state.sources.push({ path, text, hash: sha256Hex(text), ast: own.file });
    state.diagnostics.push(...own.diagnostics);
    // Catalogs and segment libraries of the rest of the workspace (unless the open file declares the same name).
    const ownNames = new Set(own.file.decls.map((d) => `${d.kind}:${d.name?.name ?? ""}`));
    for (const [otherPath, otherText] of this.workspace) {
      if (otherPath === path) continue;
      const parsed = this.cachedParse(otherPath, otherText);
      const shared = parsed.source.ast.decls.filter((d) => (d.kind === "catalog" || d.kind === "segments") && !ownNames.has(`${d.kind}:${d.name?.name ?? ""}`));
      if (shared.length === 0) continue;
      state.sources.push({ ...parsed.source, ast: { ...parsed.source.ast, decls: shared } });
      inputs.push({ path: otherPath, text: otherText });
    }
    for (const stage of stages) {
      if (stage.name === STAGE_PARSE || stage.name === STAGE_ANALYSES) continue;
      stage.run(state, inputs);
    }
    this.context = { path, state, inputs, ast: own.file };
    const mine = (ds: readonly Diagnostic[]): Diagnostic[] => dedupe(ds.filter((d) => d.span.file === path));
    const fast = mine(state.diagnostics);
    return {
      diagnostics: fast,
      analyses: () => {
        const before = state.diagnostics.length;
        const analyses = stages.find((s) => s.name === STAGE_ANALYSES);
        analyses?.run(state, inputs);
        return mine(state.diagnostics.slice(before));
      },
    };
  }

  /** The context for completion and hover: the last check of this file, else a fresh one. */
  private contextFor(path: string, text: string): Context {
    if (this.context && this.context.path === path) return this.context;
    this.check(path, text);
    if (!this.context) throw new Error("check did not record a context");
    return this.context;
  }

  /** The catalog the file's names resolve against. */
  private catalogOf(ctx: Context, tokens: readonly IToken[]): CatalogModel | undefined {
    for (let i = 0; i + 2 < tokens.length; i++) {
      const t = tokens[i];
      if (t?.tokenType === T.Uses && tokens[i + 1]?.tokenType === T.Catalog) {
        const found = ctx.state.catalogs.get(nameOf(tokens[i + 2]));
        if (found) return found;
      }
      if (t?.tokenType === T.Catalog && i === 0) {
        const found = ctx.state.catalogs.get(nameOf(tokens[i + 1]));
        if (found) return found;
      }
    }
    return ctx.state.catalogs.values().next().value;
  }

  /** Segments visible in the file: the catalog's, used libraries', and the file's own. */
  private segmentsOf(ctx: Context, catalog: CatalogModel | undefined, tokens: readonly IToken[]): Map<string, SegmentInfo | { name: string; label?: string; origin: string }> {
    const out = new Map<string, SegmentInfo | { name: string; label?: string; origin: string }>();
    for (const [k, v] of catalog?.segments ?? []) out.set(k, v);
    for (let i = 0; i + 2 < tokens.length; i++) {
      if (tokens[i]?.tokenType === T.Uses && tokens[i + 1]?.tokenType === T.Segments) {
        for (const [k, v] of ctx.state.librarySegments.get(nameOf(tokens[i + 2])) ?? []) out.set(k, v);
      }
    }
    // Segments declared in this file (segment libraries, campaign-local segments).
    const walk = (segs: readonly A.SegmentDecl[], origin: string): void => {
      for (const s of segs) if (s.name) out.set(s.name.name, { name: s.name.name, ...(s.label ? { label: s.label.value } : {}), origin });
    };
    for (const d of ctx.ast.decls) {
      if (d.kind === "segments") walk(d.segments, `segments ${d.name?.name ?? ""}`);
      if (d.kind === "campaign") walk(d.clauses.filter((c): c is A.SegmentDecl => c.kind === "segment"), `campaign ${d.name?.name ?? ""}`);
    }
    return out;
  }

  // ------------------------------------------------------------ completion

  complete(path: string, text: string, offset: number): CompletionResult {
    const ctx = this.contextFor(path, text);
    const all = lex(text);
    const before = all.filter((t) => t.startOffset + t.image.length <= offset);
    // The word being typed (if the cursor touches a name or keyword) is the prefix, not context.
    const last = before[before.length - 1];
    let replaceFrom = offset;
    if (last && last.startOffset + last.image.length === offset && (tokenMatches(last, T.Name) || T.tokenClassOf.get(last.tokenType) === "keyword" || T.tokenClassOf.get(last.tokenType) === "type" || T.tokenClassOf.get(last.tokenType) === "unit")) {
      before.pop();
      replaceFrom = last.startOffset;
    }
    const catalog = this.catalogOf(ctx, all);
    const expected = contentAssist(before);
    const entries = new Map<string, CompletionEntry>();
    const add = (e: CompletionEntry): void => {
      if (!entries.has(`${e.kind}:${e.label}`)) entries.set(`${e.kind}:${e.label}`, e);
    };
    const kinds = nameKinds(expected, before);
    for (const kw of expected.keywords) add({ label: kw, kind: "keyword", sortText: `5${kw}`, ...this.keywordDetail(kw) });
    if (kinds.size > 0 && catalog) this.addNames(kinds, catalog, ctx, all, before, add);
    if (kinds.has("segment")) {
      for (const s of this.segmentsOf(ctx, catalog, all).values()) add({ label: s.name, kind: "segment", detail: s.label ?? "", documentation: `segment from ${s.origin}`, sortText: `1${s.name}` });
    }
    if (kinds.has("catalog")) for (const c of ctx.state.catalogs.values()) add({ label: c.name, kind: "catalog", detail: c.label ?? "", sortText: `1${c.name}` });
    if (kinds.has("library")) for (const l of ctx.state.libraries.keys()) add({ label: l, kind: "library", detail: "segments", sortText: `1${l}` });
    return { replaceFrom, entries: [...entries.values()] };
  }

  private keywordDetail(kw: string): { detail?: string; documentation?: string } {
    const doc = this.keywordDocs.get(kw);
    if (!doc) return {};
    return { detail: doc.rule, documentation: `${doc.syntax}\n\n${doc.summary}` };
  }

  private addNames(kinds: ReadonlySet<NameKind>, catalog: CatalogModel, ctx: Context, all: readonly IToken[], before: readonly IToken[], add: (e: CompletionEntry) => void): void {
    const fields = kinds.has("attribute") ? payloadFields(catalog, before) : undefined;
    if (kinds.has("enumValue")) {
      const subject = enumSubject(before);
      const type = subject ? (fields?.get(subject)?.type ?? catalog.attributes.get(subject)?.type) : undefined;
      if (type?.t === "enum") for (const v of type.values) add({ label: v, kind: "enumValue", detail: `${subject ?? ""}: ${showType(type)}`, sortText: `0${v}` });
    }
    if (fields) for (const f of fields.values()) add(attributeEntry(f, "field", "1"));
    if (kinds.has("attribute")) for (const a of catalog.attributes.values()) add(attributeEntry(a, "attribute", "2"));
    if (kinds.has("tag")) for (const t of catalog.tags.values()) add({ label: t.name, kind: "tag", detail: t.label ?? "tag", documentation: tagDoc(t.name, t.label), sortText: `1${t.name}` });
    if (kinds.has("event")) for (const e of catalog.events.values()) add({ label: e.name, kind: "event", detail: e.label ?? "event", documentation: eventDoc(e.name, e.label, e.fields), sortText: `1${e.name}` });
    if (kinds.has("channel")) for (const c of catalog.channels.values()) add({ label: c.name, kind: "channel", detail: c.label ?? "channel", documentation: channelDoc(catalog, c.name), sortText: `1${c.name}` });
    if (kinds.has("benefit")) for (const b of catalog.benefits.values()) add({ label: b.name, kind: "benefit", detail: b.label ?? "benefit", documentation: benefitDoc(catalog, b.name), sortText: `1${b.name}` });
    if (kinds.has("policy")) for (const p of catalog.policies.values()) add({ label: p.name, kind: "policy", detail: "contact policy", sortText: `1${p.name}` });
    void ctx;
    void all;
  }

  // ----------------------------------------------------------------- hover

  hover(path: string, text: string, offset: number): HoverResult | null {
    const all = lex(text);
    const at = all.findIndex((t) => t.startOffset <= offset && offset < t.startOffset + t.image.length);
    const token = all[at];
    if (!token) return null;
    const index = new LineIndex(text);
    const span = index.span(path, token.startOffset, token.image.length);
    const cls = T.tokenClassOf.get(token.tokenType);
    const word = token.image;
    const prev = all[at - 1];
    const ctx = this.contextFor(path, text);
    const catalog = this.catalogOf(ctx, all);
    const isKeyword = cls === "keyword" || cls === "type" || cls === "unit";
    // Soft keywords used as names (an attribute called `branch`) are names first.
    if (catalog && (!isKeyword || T.softKeywords.has(word))) {
      const name = token.tokenType === T.QuotedName ? word.slice(1, -1) : word;
      const md = this.describeName(name, catalog, ctx, all, all.slice(0, at), prev);
      if (md) return { markdown: md, span };
    }
    if (isKeyword) {
      const doc = this.keywordDocs.get(word);
      if (doc) return { markdown: `**\`${word}\`** — ${doc.soft ? "soft keyword (also usable as a name)" : "keyword"} · \`${doc.rule}\`\n\nSyntax: ${doc.syntax}\n\n${doc.summary}`, span };
    }
    return null;
  }

  private describeName(name: string, catalog: CatalogModel, ctx: Context, all: readonly IToken[], before: readonly IToken[], prev: IToken | undefined): string | undefined {
    const afterHas = prev && (prev.tokenType === T.Has || before.some((t, i) => t.tokenType === T.Has && i >= before.length - 12));
    const tag = catalog.tags.get(name);
    if (tag && afterHas) return tagDoc(name, tag.label);
    const field = payloadFields(catalog, before)?.get(name);
    if (field) return attributeDoc(field, "payload field");
    const attr = catalog.attributes.get(name);
    if (attr) return attributeDoc(attr, "attribute");
    const event = catalog.events.get(name);
    if (event) return eventDoc(name, event.label, event.fields);
    if (catalog.channels.has(name)) return channelDoc(catalog, name);
    if (catalog.benefits.has(name)) return benefitDoc(catalog, name);
    if (tag) return tagDoc(name, tag.label);
    const seg = this.segmentsOf(ctx, catalog, all).get(name);
    if (seg) return `**segment \`${name}\`**${seg.label ? ` — ${seg.label}` : ""}\n\ndeclared in ${seg.origin}`;
    const policy = catalog.policies.get(name);
    if (policy) return `**contact policy \`${name}\`**\n\n${policy.limits.map((l) => `- at most ${l.count} per ${showPeriod(l.period)}`).join("\n")}`;
    const cat = ctx.state.catalogs.get(name);
    if (cat) return `**catalog \`${name}\`**${cat.label ? ` — ${cat.label}` : ""}\n\ntime zone ${cat.zone}, currency ${cat.currency}; ${cat.attributes.size} attributes, ${cat.tags.size} tags, ${cat.events.size} events, ${cat.channels.size} channels`;
    return undefined;
  }

  // --------------------------------------------------------------- outline

  symbols(path: string, text: string): DocumentSymbolData[] {
    const { file } = parse(text, path);
    return file.decls.map((d) => declSymbol(d));
  }

  // ------------------------------------------------------------ formatting

  format(path: string, text: string): FormatResultData {
    const r = format(text, path);
    if (hasErrors(r.diagnostics)) {
      const first = r.diagnostics.find((d) => d.severity === "error");
      return { text, changed: false, refused: `fix the error at line ${first?.span.line ?? 1} first (${first?.code ?? ""}: ${first?.message ?? ""})` };
    }
    return { text: r.text, changed: r.changed };
  }
}

// ===================================================================== tokens

function lex(text: string): IToken[] {
  return campaignLexer().tokenize(text).tokens;
}

function nameOf(t: IToken | undefined): string {
  if (!t) return "";
  return t.image.startsWith("`") && t.image.endsWith("`") ? t.image.slice(1, -1) : t.image;
}

function tokenMatches(t: IToken, type: TokenType): boolean {
  return t.tokenType === type || (t.tokenType.CATEGORIES ?? []).includes(type);
}

// ======================================================= content assist

interface Expected {
  readonly keywords: readonly string[];
  /** Rule stacks under which a name may come next. */
  readonly nameStacks: readonly (readonly string[])[];
  /** Whether the grammar-driven analysis succeeded. */
  readonly ok: boolean;
}

const keywordSpelling = new Map<TokenType, string>([...T.keywordTokens.entries()].map(([w, t]) => [t, w]));

function expandCategory(t: TokenType): TokenType[] {
  if (t === T.DurationUnit) return T.durationUnitTokens;
  if (t === T.WeekdayName) return T.weekdayTokens;
  return [t];
}

/**
 * What may come next after `before`: Chevrotain's content assist over the
 * grammar, from the start of the enclosing top-level declaration; if an
 * earlier mistake in that declaration stops it, from the start of the
 * enclosing clause.
 */
function contentAssist(before: readonly IToken[]): Expected {
  const parser = campaignParser();
  const starts = clauseStarts(before);
  for (const { rule, from } of starts) {
    const suggestions = parser.computeContentAssist(rule, before.slice(from));
    if (suggestions.length === 0) continue;
    const keywords = new Set<string>();
    const nameStacks: string[][] = [];
    for (const s of suggestions) {
      for (const t of expandCategory(s.nextTokenType)) {
        const w = keywordSpelling.get(t);
        if (w !== undefined) keywords.add(w);
      }
      if (s.nextTokenType === T.Name) nameStacks.push(s.ruleStack);
    }
    return { keywords: [...keywords].sort(), nameStacks, ok: true };
  }
  return { keywords: [], nameStacks: [], ok: false };
}

const TOP_RULES = new Map<TokenType, string>([
  [T.Catalog, "catalogDecl"],
  [T.Campaign, "campaignDecl"],
  [T.Segments, "segmentsDecl"],
]);

/** Where content assist may start: the top-level declaration, then the clause at depth 1. */
function clauseStarts(before: readonly IToken[]): { rule: string; from: number }[] {
  let depth = 0;
  let declStart = -1;
  let declRule = "";
  let clauseStart = -1;
  for (let i = 0; i < before.length; i++) {
    const t = before[i];
    if (!t) continue;
    if (depth === 0 && TOP_RULES.has(t.tokenType)) {
      declStart = i;
      declRule = TOP_RULES.get(t.tokenType) ?? "";
      clauseStart = -1;
    }
    if (t.tokenType === T.LCurly) depth++;
    else if (t.tokenType === T.RCurly) depth = Math.max(0, depth - 1);
    else if (depth === 1 && declStart >= 0 && startsLine(before, i)) clauseStart = i;
  }
  if (declStart < 0) return [{ rule: "file", from: 0 }];
  const out = [{ rule: declRule, from: declStart }];
  const clauseRule = declRule === "campaignDecl" ? "campaignClause" : declRule === "catalogDecl" ? "catalogMember" : "";
  if (clauseStart >= 0 && clauseRule) {
    // Walk back to the line that starts the clause: a line starting with a clause keyword.
    out.push({ rule: clauseRule, from: clauseStart });
  }
  return out;
}

function startsLine(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i];
  const prev = tokens[i - 1];
  if (!t || !prev) return true;
  if ((prev.endLine ?? prev.startLine ?? 0) >= (t.startLine ?? 0)) return false;
  // Only lines that begin with a keyword can begin a clause.
  return keywordSpelling.has(t.tokenType);
}

// =============================================================== name kinds

type NameKind = "attribute" | "tag" | "event" | "channel" | "benefit" | "enumValue" | "segment" | "policy" | "catalog" | "library";

const EXPRESSION_RULES = new Set(["expression", "orExpr", "andExpr", "notExpr", "predicate", "additive", "multiplicative", "unary", "postfix", "primary", "literal"]);

/** Which kinds of names fit the position, from the grammar's rule stacks and the tokens before the cursor. */
function nameKinds(expected: Expected, before: readonly IToken[]): Set<NameKind> {
  const kinds = new Set<NameKind>();
  const prev = before[before.length - 1];
  const prev2 = before[before.length - 2];
  for (const stack of expected.nameStacks) {
    const rule = stack[stack.length - 1] ?? "";
    if (stack.includes("hasExpr")) kinds.add("tag");
    else if (rule === "primary" && prev?.tokenType === T.Segment) kinds.add("segment");
    else if (EXPRESSION_RULES.has(rule)) {
      kinds.add("attribute");
      if (afterComparison(before)) kinds.add("enumValue");
    } else if (rule === "touch" || rule === "channelScope") kinds.add("channel");
    else if (rule === "benefitTier") kinds.add("benefit");
    else if (rule === "eventTrigger" || rule === "absencePattern" || rule === "eventGoal" || rule === "exitClause" || (rule === "goalClause" && prev?.tokenType === T.Goal)) kinds.add("event");
    else if (rule === "changeGoal" || rule === "goalClause") kinds.add("attribute");
    else if (rule === "policyClause") kinds.add("policy");
    else if (rule === "usesClause") kinds.add(prev?.tokenType === T.Segments ? "library" : "catalog");
    else if (rule === "channelProp") kinds.add(prev?.tokenType === T.Optout ? "tag" : "attribute");
    else if (rule === "testStep" && prev?.tokenType === T.Event) kinds.add("event");
    else if (rule === "expectStep") kinds.add(prev?.tokenType === T.Benefit ? "benefit" : "channel");
    else if (rule === "assignmentBlock" || rule === "testValue" || rule === "scalarTestValue") {
      kinds.add("attribute");
      if (stack.includes("testValue")) kinds.add("tag");
    }
  }
  if (!expected.ok) {
    // The grammar could not follow the text (a mistake earlier in the clause): guess from the last tokens.
    if (prev?.tokenType === T.Has || (prev?.tokenType === T.LParen && prev2 && [T.Any, T.All, T.None].includes(prev2.tokenType))) kinds.add("tag");
    else if (prev?.tokenType === T.Segment) kinds.add("segment");
    else if (prev?.tokenType === T.On || prev?.tokenType === T.No) kinds.add("event");
    else {
      kinds.add("attribute");
      if (afterComparison(before)) kinds.add("enumValue");
    }
  }
  return kinds;
}

/** True after `NAME op`, `NAME in (`, `NAME in (a, `, `NAME not in (`. */
function afterComparison(before: readonly IToken[]): boolean {
  return enumSubject(before) !== undefined;
}

/** The name compared against at the cursor, e.g. `tier` in `tier >= |` or `risk in (R2, |`. */
function enumSubject(before: readonly IToken[]): string | undefined {
  let i = before.length - 1;
  const at = (k: number): IToken | undefined => before[k];
  const t = at(i);
  if (!t) return undefined;
  if (tokenMatches(t, T.CompareOp)) {
    const s = at(i - 1);
    return s && tokenMatches(s, T.Name) ? nameOf(s) : undefined;
  }
  // Inside an `in (...)` list: skip back over `name ,` pairs to the `(`.
  while (at(i)?.tokenType === T.Comma && at(i - 1) && tokenMatches(at(i - 1) as IToken, T.Name)) i -= 2;
  if (at(i)?.tokenType !== T.LParen || at(i - 1)?.tokenType !== T.In) return undefined;
  const subject = at(i - 2)?.tokenType === T.Not ? at(i - 3) : at(i - 2);
  return subject && tokenMatches(subject, T.Name) ? nameOf(subject) : undefined;
}

/**
 * The payload fields in scope: inside `on EVENT where ...`, `no EVENT where`,
 * `goal EVENT where` and `exit on EVENT where`, the fields of that event.
 */
function payloadFields(catalog: CatalogModel, before: readonly IToken[]): ReadonlyMap<string, AttributeInfo> | undefined {
  for (let i = before.length - 1; i >= 1; i--) {
    const t = before[i];
    if (!t) continue;
    if (t.tokenType === T.Where) {
      const event = before[i - 1];
      const intro = before[i - 2];
      if (event && intro && (intro.tokenType === T.On || intro.tokenType === T.No || intro.tokenType === T.Goal)) return catalog.events.get(nameOf(event))?.fields;
      return undefined;
    }
    // A clause keyword at the start of a line ends the search.
    if (startsLine(before, i) && [T.Audience, T.Exclude, T.Trigger, T.Goal, T.Waves, T.Cap, T.Budget, T.Test, T.Exit, T.Benefit, T.Window, T.Holdout, T.Variants].includes(t.tokenType)) return undefined;
  }
  return undefined;
}

// ============================================================ descriptions

function attributeEntry(a: AttributeInfo, kind: CompletionKind, rank: string): CompletionEntry {
  const needsQuotes = T.hardKeywords.includes(a.name);
  return {
    label: a.name,
    kind,
    detail: `${showType(a.type)}${a.label ? ` · ${a.label}` : ""}`,
    documentation: attributeDoc(a, kind === "field" ? "payload field" : "attribute"),
    sortText: `${rank}${a.name}`,
    ...(needsQuotes ? { insertText: `\`${a.name}\`` } : {}),
  };
}

function attributeDoc(a: AttributeInfo, what: string): string {
  return `**${what} \`${a.name}\`**${a.label ? ` — ${a.label}` : ""}\n\ntype: \`${showScalar(a.type)}\``;
}

function showScalar(t: ScalarType): string {
  return t.t === "enum" ? `enum(${t.values.join(", ")})` : showType(t);
}

function tagDoc(name: string, label: string | undefined): string {
  return `**tag \`${name}\`**${label ? ` — ${label}` : ""}\n\ntest with \`has ${name}\``;
}

function eventDoc(name: string, label: string | undefined, fields: ReadonlyMap<string, AttributeInfo>): string {
  const list = [...fields.values()].map((f) => `- \`${f.name}\`: ${showScalar(f.type)}${f.label ? ` — ${f.label}` : ""}`).join("\n");
  return `**event \`${name}\`**${label ? ` — ${label}` : ""}\n\n${list ? `payload:\n${list}` : "no payload fields"}`;
}

function channelDoc(catalog: CatalogModel, name: string): string {
  const c = catalog.channels.get(name);
  if (!c) return "";
  const lines = [
    `cost per touch: ${c.cost} ${catalog.currency}`,
    `quiet hours: ${c.quiet.length > 0 ? c.quiet.map((q) => `${q.from}-${q.to}`).join(", ") : "none"}`,
    ...(c.capacityPerDay !== undefined ? [`capacity: ${c.capacityPerDay} per day`] : []),
    ...(c.capacityPerBranch !== undefined ? [`capacity: ${c.capacityPerBranch} per day per branch`] : []),
    ...(c.address ? [`reachable when \`${c.address}\` is set`] : []),
    ...(c.optoutTag ? [`opt-out tag: \`${c.optoutTag}\``] : []),
  ];
  return `**channel \`${name}\`**${c.label ? ` — ${c.label}` : ""}\n\n${lines.map((l) => `- ${l}`).join("\n")}`;
}

function benefitDoc(catalog: CatalogModel, name: string): string {
  const b = catalog.benefits.get(name);
  if (!b) return "";
  return `**benefit \`${name}\`**${b.label ? ` — ${b.label}` : ""}\n\ncost: ${b.cost} ${catalog.currency}${b.perUnit ? " each (per unit)" : " per payout"}`;
}

function showPeriod(p: PeriodModel): string {
  return p.kind === "calendar" ? `${p.unit} (${p.zone})` : `rolling ${p.amount} ${p.unit}${p.amount === 1 ? "" : "s"}`;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.span.offset}:${d.span.length}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ================================================================ outline

function sym(name: string, detail: string, kind: SymbolKind, span: Span, selection: Span | undefined, children: DocumentSymbolData[] = []): DocumentSymbolData {
  return { name: name || "(unnamed)", detail, kind, span, selectionSpan: selection ?? span, children };
}

function declSymbol(d: A.TopDecl): DocumentSymbolData {
  switch (d.kind) {
    case "catalog":
      return sym(d.name?.name ?? "", d.label?.value ?? "catalog", "catalog", d.span, d.name?.span, d.members.flatMap(catalogMemberSymbols));
    case "segments":
      return sym(d.name?.name ?? "", "segments", "segments", d.span, d.name?.span, d.segments.map((s) => sym(s.name?.name ?? "", s.label?.value ?? "segment", "segment", s.span, s.name?.span)));
    case "campaign":
      return sym(d.name?.name ?? "", d.label?.value ?? "campaign", "campaign", d.span, d.name?.span, d.clauses.map(clauseSymbol));
  }
}

function fieldSymbols(fields: readonly A.FieldDecl[], kind: SymbolKind): DocumentSymbolData[] {
  return fields.map((f) => sym(f.name.name, [f.type?.name ?? "", f.label?.value ?? ""].filter(Boolean).join(" · "), kind, f.span, f.name.span));
}

function catalogMemberSymbols(m: A.CatalogMember): DocumentSymbolData[] {
  switch (m.kind) {
    case "customer":
      return [sym("customer", `${m.fields.length} attributes`, "clause", m.span, undefined, fieldSymbols(m.fields, "attribute"))];
    case "tag":
      return [sym(m.name?.name ?? "", m.label?.value ?? "tag", "tag", m.span, m.name?.span)];
    case "event":
      return [sym(m.name?.name ?? "", m.label?.value ?? "event", "event", m.span, m.name?.span, fieldSymbols(m.fields, "field"))];
    case "channel":
      return [sym(m.name?.name ?? "", m.label?.value ?? "channel", "channel", m.span, m.name?.span)];
    case "benefit":
      return [sym(m.name?.name ?? "", m.label?.value ?? "benefit", "benefit", m.span, m.name?.span)];
    case "policy":
      return [sym(m.name?.name ?? "", "contact policy", "policy", m.span, m.name?.span)];
    case "segment":
      return [sym(m.name?.name ?? "", m.label?.value ?? "segment", "segment", m.span, m.name?.span)];
    case "timezone":
      return [sym("timezone", m.zone?.value ?? "", "clause", m.span, undefined)];
    case "currency":
      return [sym("currency", m.code?.name ?? "", "clause", m.span, undefined)];
  }
}

function clauseSymbol(c: A.CampaignClause): DocumentSymbolData {
  switch (c.kind) {
    case "uses":
      return sym(`uses ${c.what} ${c.name?.name ?? ""}`, "", "clause", c.span, undefined);
    case "trigger": {
      const t = c.trigger;
      const detail = t?.kind === "event" ? `on ${t.event?.name ?? "?"}` : t?.kind === "batch" ? (t.once ? `once at ${t.once.raw}` : `every ${t.recurrence?.every ?? "?"}`) : "";
      return sym("trigger", detail, "clause", c.span, undefined);
    }
    case "goal": {
      const g = c.goal;
      const detail = g?.kind === "eventGoal" ? (g.event?.name ?? "") : g?.kind === "changeGoal" ? `${g.attribute?.name ?? "?"} ${g.direction}` : "";
      return sym("goal", detail, "clause", c.span, undefined);
    }
    case "waves":
      return sym("waves", `${c.waves.length} waves`, "clause", c.span, undefined, c.waves.map((w) => sym(`${w.number?.raw ?? "?"}. ${w.touch?.channel?.name ?? ""}`, w.touch?.template?.name?.value ?? "", "wave", w.span, w.touch?.channel?.span)));
    case "test":
      return sym(`test ${c.title ? `"${c.title.value}"` : ""}`.trim(), `${c.steps.length} steps`, "test", c.span, c.title?.span);
    case "segment":
      return sym(c.name?.name ?? "", c.label?.value ?? "segment", "segment", c.span, c.name?.span);
    case "benefitClause":
      return sym("benefit", c.tiers.map((t) => t.benefit?.name ?? "").join(", "), "clause", c.span, undefined);
    case "policyRef":
      return sym("policy", c.name?.name ?? "", "clause", c.span, undefined);
    case "capped":
      return sym("when capped", c.action ?? "", "clause", c.span, undefined);
    default:
      return sym(c.kind, "", "clause", c.span, undefined);
  }
}
