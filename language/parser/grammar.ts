/**
 * The Chevrotain grammar of .campaign files, building the AST directly
 * (embedded actions) with error recovery on: a rule that fails yields
 * `undefined` and its parent carries on, so a file with mistakes still gives
 * a tree with spans.
 *
 * Rules are grouped: file and declarations, catalog, campaign clauses,
 * triggers, waves, benefits/caps/budget, tests, expressions, literals.
 * The generated EBNF in spec/grammar.ebnf is printed from this grammar.
 */
import { EmbeddedActionsParser, type IOrAlt, type IToken, type TokenType } from "chevrotain";
import type * as A from "../ast.ts";
import * as T from "../lexer/tokens.ts";
import type { Span } from "../span.ts";
import { ParseErrorMessages } from "./errorMessages.ts";
import { decodeDate, decodeDateTime, decodeNumber, decodeString, decodeTime, DURATION_WORDS } from "./literals.ts";

/** A problem found while decoding a literal, turned into a diagnostic by the caller. */
export interface LiteralProblem {
  code: string;
  message: string;
  token: IToken;
  fix?: string;
}

/** A `}` the parser expected at `at` (a token, or the end of the file) to close `open`. */
export interface UnclosedBrace {
  readonly open: IToken;
  readonly at: IToken;
}

const WEEKDAYS = new Set(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);

function defined<X>(x: X | undefined): x is X {
  return x !== undefined;
}

// Performance: tsx (esbuild `keepNames`) wraps every arrow function written
// as an object property (`{ ALT: () => ... }`) in `__name(...)`, an
// Object.defineProperty per closure per call, which made hot rules several
// times slower. Building the objects through these helpers passes the arrows
// as arguments, which keepNames leaves alone. Same objects, same behaviour.

/** `{ ALT: f }` for an OR alternative. */
function alt<R>(ALT: () => R): IOrAlt<R> {
  return { ALT };
}

/** `{ GATE, DEF }` for a gated OPTION or MANY. */
function gated<R>(GATE: () => boolean, DEF: () => R): { GATE: () => boolean; DEF: () => R } {
  return { GATE, DEF };
}

export class CampaignParser extends EmbeddedActionsParser {
  /** The file name spans are attributed to. */
  fileName = "";
  /** Literal problems found during the current parse. */
  literalProblems: LiteralProblem[] = [];
  /**
   * Each `}` the parser expected but did not find, innermost first at any one
   * token: the token found instead and the `{` that `}` would have closed
   * (parse.ts attaches it to the diagnostic as a related span). The caller
   * clears it before each parse.
   */
  unclosedBraces: UnclosedBrace[] = [];
  readonly messages: ParseErrorMessages;

  constructor() {
    const messages = new ParseErrorMessages();
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: messages });
    this.messages = messages;
    this.performSelfAnalysis();
  }

  // ------------------------------------------------------------ helpers

  private realToken(t: IToken | undefined): t is IToken {
    return t !== undefined && !Number.isNaN(t.startOffset) && t.tokenType !== undefined && t.image !== undefined;
  }

  /** The span of one token. */
  tokSpan(t: IToken): Span {
    if (!this.realToken(t)) return { file: this.fileName, offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
    return {
      file: this.fileName,
      offset: t.startOffset,
      length: (t.endOffset ?? t.startOffset) - t.startOffset + 1,
      line: t.startLine ?? 1,
      column: t.startColumn ?? 1,
      endLine: t.endLine ?? t.startLine ?? 1,
      endColumn: (t.endColumn ?? t.startColumn ?? 0) + 1,
    };
  }

  /** The span from `start` to the last consumed token. */
  private spanFrom(start: IToken): Span {
    let end = this.LA(0);
    const s = this.realToken(start) ? start : end;
    if (!this.realToken(end) || (this.realToken(s) && end.startOffset < s.startOffset)) end = s;
    if (!this.realToken(s)) return this.tokSpan(s);
    const a = this.tokSpan(s);
    const b = this.tokSpan(end);
    return { ...a, length: b.offset + b.length - a.offset, endLine: b.endLine, endColumn: b.endColumn };
  }

  private ident(t: IToken): A.Ident {
    const image = t.image ?? "";
    const name = image.startsWith("`") && image.endsWith("`") && image.length >= 2 ? image.slice(1, -1) : image;
    return { kind: "ident", name, span: this.tokSpan(t) };
  }

  private problem(p: Omit<LiteralProblem, "token">, token: IToken): void {
    if (this.realToken(token)) this.literalProblems.push({ ...p, token });
  }

  private str(t: IToken): A.StringLit {
    const d = decodeString(t.image ?? '""');
    if (!d.ok) this.problem(d, t);
    return { kind: "string", value: d.ok ? d.value : (t.image ?? "").replace(/^"|"$/g, ""), span: this.tokSpan(t) };
  }

  private numberLit(t: IToken, currency?: A.Ident): A.NumberLit {
    const d = decodeNumber(t.image ?? "0");
    const raw = t.image ?? "";
    if (!d.ok) {
      this.problem(d, t);
      return { kind: "number", value: 0, raw, span: this.tokSpan(t) };
    }
    if (d.value.kind !== "plain") {
      this.problem({ code: "S007", message: `expected a plain number or amount, found \`${raw}\`` }, t);
      return { kind: "number", value: d.value.kind === "percent" ? d.value.value : d.value.amount, raw, span: this.tokSpan(t) };
    }
    return {
      kind: "number",
      value: d.value.value,
      raw,
      span: this.tokSpan(t),
      ...(d.value.scale ? { scale: d.value.scale } : {}),
      ...(currency ? { currency } : {}),
    };
  }

  private percentLit(t: IToken): A.PercentLit {
    const d = decodeNumber(t.image ?? "0");
    const raw = t.image ?? "";
    if (!d.ok) this.problem(d, t);
    else if (d.value.kind !== "percent") this.problem({ code: "S007", message: `expected a percentage such as \`10%\`, found \`${raw}\``, fix: `${raw}%` }, t);
    const value = d.ok ? (d.value.kind === "percent" ? d.value.value : d.value.kind === "plain" ? d.value.value / 100 : 0) : 0;
    return { kind: "percent", value, raw, span: this.tokSpan(t) };
  }

  /** A duration from a number token and an optional unit keyword token. */
  private durationLit(num: IToken, unit: IToken | undefined): A.DurationLit {
    const raw = unit && this.realToken(unit) ? `${num.image} ${unit.image}` : (num.image ?? "");
    const span = unit && this.realToken(unit) ? { ...this.tokSpan(num), length: unit.endOffset! - num.startOffset + 1, endLine: unit.endLine ?? 1, endColumn: (unit.endColumn ?? 0) + 1 } : this.tokSpan(num);
    const d = decodeNumber(num.image ?? "0");
    if (!d.ok) {
      this.problem(d, num);
      return { kind: "duration", amount: 0, unit: "day", raw, span };
    }
    if (unit && this.realToken(unit)) {
      if (d.value.kind !== "plain" || d.value.scale) this.problem({ code: "S007", message: `\`${num.image}\` cannot be followed by a unit` }, num);
      return { kind: "duration", amount: d.value.kind === "plain" ? d.value.value : 0, unit: DURATION_WORDS[unit.image] ?? "day", raw, span };
    }
    if (d.value.kind === "duration") return { kind: "duration", amount: d.value.amount, unit: d.value.unit, raw, span };
    this.problem({ code: "S007", message: `expected a duration such as \`${num.image} days\`, found \`${num.image}\``, fix: `${num.image} days` }, num);
    return { kind: "duration", amount: d.value.kind === "plain" ? d.value.value : 0, unit: "day", raw, span };
  }

  private dateLit(t: IToken): A.DateLit {
    const d = decodeDate(t.image ?? "");
    if (!d.ok) this.problem(d, t);
    const v = d.ok ? d.value : { year: 1970, month: 1, day: 1 };
    return { kind: "date", ...v, raw: t.image ?? "", span: this.tokSpan(t) };
  }

  private dateTimeLit(t: IToken): A.DateTimeLit {
    const d = decodeDateTime(t.image ?? "");
    if (!d.ok) this.problem(d, t);
    const v = d.ok ? d.value : { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    return { kind: "datetime", ...v, raw: t.image ?? "", span: this.tokSpan(t) };
  }

  private timeLit(t: IToken): A.TimeLit {
    const d = decodeTime(t.image ?? "");
    if (!d.ok) this.problem(d, t);
    const v = d.ok ? d.value : { hour: 0, minute: 0, second: 0 };
    return { kind: "time", ...v, raw: t.image ?? "", span: this.tokSpan(t) };
  }

  private currencyAhead(): boolean {
    const t = this.LA(1);
    return t.tokenType === T.Name && /^[A-Z]{3}$/.test(t.image);
  }

  /** True when the next token starts on the line where the last consumed token ends. */
  private readonly sameLineGate = (): boolean => {
    const prev = this.LA(0);
    const next = this.LA(1);
    return prev.endLine === undefined || next.startLine === undefined || next.startLine === prev.endLine;
  };

  /**
   * Consumes the `}` that closes `open`. When the next token is not `}`, the
   * CONSUME below reports the error; this remembers which `{` was left open
   * there, unless recovery then finds the `}` right after one stray token
   * (single-token deletion), in which case the block is closed after all.
   * Each rule calls this once, so the CONSUME keeps its rule's occurrence.
   */
  private closeBrace(open: IToken): IToken {
    let missing: UnclosedBrace | undefined;
    this.ACTION(() => {
      const next = this.LA(1);
      if (next.tokenType !== T.RCurly) this.unclosedBraces.push((missing = { open, at: next }));
    });
    const close = this.CONSUME(T.RCurly);
    this.ACTION(() => {
      const at = missing && this.realToken(close) && close.isInsertedInRecovery !== true ? this.unclosedBraces.lastIndexOf(missing) : -1;
      if (at >= 0) this.unclosedBraces.splice(at, 1);
    });
    return close;
  }

  /** `currencyAhead` as a GATE, built once. */
  private readonly currencyGate = (): boolean => this.currencyAhead();

  private isPercentToken(t: IToken): boolean {
    return t.tokenType === T.NumberLiteral && t.image.endsWith("%");
  }

  // ---------------------------------------------------- file and decls

  file = this.RULE("file", (): A.TopDecl[] => {
    const decls: (A.TopDecl | undefined)[] = [];
    this.MANY(() => {
      decls.push(this.SUBRULE(this.topDecl));
    });
    return decls.filter(defined);
  });

  // Alternatives of hot ORs are built once and cached (Chevrotain performance
  // guide): building them per call allocates closures, and under tsx/esbuild
  // `keepNames` every `ALT: () => ...` also costs an Object.defineProperty.
  private topDeclAlts?: IOrAlt<A.TopDecl | undefined>[];
  topDecl = this.RULE("topDecl", (): A.TopDecl | undefined =>
    this.OR((this.topDeclAlts ??= [
      { ALT: () => this.SUBRULE(this.catalogDecl) },
      { ALT: () => this.SUBRULE(this.campaignDecl) },
      { ALT: () => this.SUBRULE(this.segmentsDecl) },
    ])),
  );

  // ------------------------------------------------------------- catalog

  catalogDecl = this.RULE("catalogDecl", (): A.CatalogDecl => {
    const start = this.CONSUME(T.Catalog);
    const name = this.CONSUME(T.Name);
    let label: IToken | undefined;
    this.OPTION(() => {
      label = this.CONSUME(T.StringLiteral);
    });
    const open = this.CONSUME(T.LCurly);
    const members: (A.CatalogMember | undefined)[] = [];
    this.MANY(() => {
      members.push(this.SUBRULE(this.catalogMember));
    });
    this.closeBrace(open);
    return this.ACTION(() => ({
      kind: "catalog" as const,
      name: this.ident(name),
      ...(label ? { label: this.str(label) } : {}),
      members: members.filter(defined),
      span: this.spanFrom(start),
    }));
  });

  private catalogMemberAlts?: IOrAlt<A.CatalogMember | undefined>[];
  catalogMember = this.RULE("catalogMember", (): A.CatalogMember | undefined =>
    this.OR((this.catalogMemberAlts ??= [
      { ALT: () => this.SUBRULE(this.timezoneMember) },
      { ALT: () => this.SUBRULE(this.currencyMember) },
      { ALT: () => this.SUBRULE(this.customerMember) },
      { ALT: () => this.SUBRULE(this.tagMember) },
      { ALT: () => this.SUBRULE(this.eventMember) },
      { ALT: () => this.SUBRULE(this.channelMember) },
      { ALT: () => this.SUBRULE(this.benefitMember) },
      { ALT: () => this.SUBRULE(this.policyMember) },
      { ALT: () => this.SUBRULE(this.segmentDecl) },
    ])),
  );

  timezoneMember = this.RULE("timezoneMember", (): A.TimezoneMember => {
    const start = this.CONSUME(T.Timezone);
    const zone = this.CONSUME(T.StringLiteral);
    return this.ACTION(() => ({ kind: "timezone" as const, zone: this.str(zone), span: this.spanFrom(start) }));
  });

  currencyMember = this.RULE("currencyMember", (): A.CurrencyMember => {
    const start = this.CONSUME(T.Currency);
    const code = this.CONSUME(T.Name);
    return this.ACTION(() => ({ kind: "currency" as const, code: this.ident(code), span: this.spanFrom(start) }));
  });

  customerMember = this.RULE("customerMember", (): A.CustomerMember => {
    const start = this.CONSUME(T.Customer);
    const open = this.CONSUME(T.LCurly);
    const fields: (A.FieldDecl | undefined)[] = [];
    this.MANY(() => {
      fields.push(this.SUBRULE(this.fieldDecl));
    });
    this.closeBrace(open);
    return this.ACTION(() => ({ kind: "customer" as const, fields: fields.filter(defined), span: this.spanFrom(start) }));
  });

  /** `aum money "label"` or `amount: money`, with an optional trailing comma. */
  fieldDecl = this.RULE("fieldDecl", (): A.FieldDecl => {
    const name = this.CONSUME(T.Name);
    this.OPTION(() => this.CONSUME(T.Colon));
    const type = this.SUBRULE(this.typeRef);
    let label: IToken | undefined;
    this.OPTION2(() => {
      label = this.CONSUME(T.StringLiteral);
    });
    const result = this.ACTION(() => ({
      kind: "field" as const,
      name: this.ident(name),
      type,
      ...(label ? { label: this.str(label) } : {}),
      span: this.spanFrom(name),
    }));
    this.OPTION3(() => this.CONSUME(T.Comma));
    return result;
  });

  typeRef = this.RULE("typeRef", (): A.TypeRef => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Money);
          let currency: IToken | undefined;
          this.OPTION({ GATE: () => this.currencyAhead(), DEF: () => (currency = this.CONSUME(T.Name)) });
          return this.ACTION(() => ({ kind: "type" as const, name: "money" as const, ...(currency ? { currency: this.ident(currency) } : {}), span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Enum);
          this.CONSUME(T.LParen);
          const values: IToken[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => values.push(this.CONSUME2(T.Name)) });
          this.CONSUME(T.RParen);
          return this.ACTION(() => ({ kind: "type" as const, name: "enum" as const, values: values.map((v) => this.ident(v)), span: this.spanFrom(start) }));
        },
      },
      { ALT: () => this.simpleType(this.CONSUME(T.Int), "int") },
      { ALT: () => this.simpleType(this.CONSUME(T.NumberType), "number") },
      { ALT: () => this.simpleType(this.CONSUME(T.StringType), "string") },
      { ALT: () => this.simpleType(this.CONSUME(T.Bool), "bool") },
      { ALT: () => this.simpleType(this.CONSUME(T.DateType), "date") },
      { ALT: () => this.simpleType(this.CONSUME(T.DatetimeType), "datetime") },
      { ALT: () => this.simpleType(this.CONSUME(T.Timezone), "timezone") },
      { ALT: () => this.simpleType(this.CONSUME(T.Tags), "tags") },
      { ALT: () => this.simpleType(this.CONSUME(T.Score), "score") },
    ]);
  });

  private simpleType(t: IToken, name: "int" | "number" | "string" | "bool" | "date" | "datetime" | "timezone" | "tags" | "score"): A.TypeRef {
    return { kind: "type", name, span: this.tokSpan(t) };
  }

  tagMember = this.RULE("tagMember", (): A.TagMember => {
    const start = this.CONSUME(T.Tag);
    const name = this.CONSUME(T.Name);
    let label: IToken | undefined;
    this.OPTION(() => (label = this.CONSUME(T.StringLiteral)));
    return this.ACTION(() => ({ kind: "tag" as const, name: this.ident(name), ...(label ? { label: this.str(label) } : {}), span: this.spanFrom(start) }));
  });

  eventMember = this.RULE("eventMember", (): A.EventMember => {
    const start = this.CONSUME(T.Event);
    const name = this.CONSUME(T.Name);
    let label: IToken | undefined;
    this.OPTION(() => (label = this.CONSUME(T.StringLiteral)));
    const open = this.CONSUME(T.LCurly);
    const fields: (A.FieldDecl | undefined)[] = [];
    this.MANY(() => {
      fields.push(this.SUBRULE(this.fieldDecl));
    });
    this.closeBrace(open);
    let value: A.Expr | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.Value);
      value = this.SUBRULE(this.expression);
    });
    return this.ACTION(() => ({
      kind: "event" as const,
      name: this.ident(name),
      ...(label ? { label: this.str(label) } : {}),
      fields: fields.filter(defined),
      ...(value ? { value } : {}),
      span: this.spanFrom(start),
    }));
  });

  channelMember = this.RULE("channelMember", (): A.ChannelMember => {
    const start = this.CONSUME(T.Channel);
    const name = this.CONSUME(T.Name);
    let label: IToken | undefined;
    this.OPTION(() => (label = this.CONSUME(T.StringLiteral)));
    const props: (A.ChannelProp | undefined)[] = [];
    this.MANY(() => {
      props.push(this.SUBRULE(this.channelProp));
    });
    return this.ACTION(() => ({
      kind: "channel" as const,
      name: this.ident(name),
      ...(label ? { label: this.str(label) } : {}),
      props: props.filter(defined),
      span: this.spanFrom(start),
    }));
  });

  channelProp = this.RULE("channelProp", (): A.ChannelProp => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Cost);
          const amount = this.SUBRULE(this.amount);
          return this.ACTION(() => ({ kind: "cost" as const, amount, span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Quiet);
          const ranges: A.TimeRange[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => ranges.push(this.SUBRULE(this.timeRange)) });
          return this.ACTION(() => ({ kind: "quiet" as const, ranges: ranges.filter(defined), span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Capacity);
          const count = this.CONSUME(T.NumberLiteral);
          this.CONSUME(T.Per);
          this.CONSUME(T.Day);
          let perBranch = false;
          this.OPTION(() => {
            this.CONSUME2(T.Per);
            this.CONSUME(T.Branch);
            perBranch = true;
          });
          return this.ACTION(() => ({ kind: "capacity" as const, count: this.numberLit(count), perBranch, span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Address);
          const attribute = this.CONSUME2(T.Name);
          return this.ACTION(() => ({ kind: "address" as const, attribute: this.ident(attribute), span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Optout);
          const tag = this.CONSUME3(T.Name);
          return this.ACTION(() => ({ kind: "optout" as const, tag: this.ident(tag), span: this.spanFrom(start) }));
        },
      },
    ]);
  });

  timeRange = this.RULE("timeRange", (): A.TimeRange => {
    const from = this.CONSUME(T.TimeLiteral);
    this.CONSUME(T.Minus);
    const to = this.CONSUME2(T.TimeLiteral);
    return this.ACTION(() => ({ kind: "timeRange" as const, from: this.timeLit(from), to: this.timeLit(to), span: this.spanFrom(from) }));
  });

  benefitMember = this.RULE("benefitMember", (): A.BenefitMember => {
    const start = this.CONSUME(T.Benefit);
    const name = this.CONSUME(T.Name);
    let label: IToken | undefined;
    this.OPTION(() => (label = this.CONSUME(T.StringLiteral)));
    let cost: A.NumberLit | undefined;
    let perUnit = false;
    this.OPTION2(() => {
      this.CONSUME(T.Cost);
      cost = this.SUBRULE(this.amount);
      this.OPTION3(() => {
        this.CONSUME(T.Each);
        perUnit = true;
      });
    });
    return this.ACTION(() => ({
      kind: "benefit" as const,
      name: this.ident(name),
      ...(label ? { label: this.str(label) } : {}),
      ...(cost ? { cost } : {}),
      perUnit,
      span: this.spanFrom(start),
    }));
  });

  policyMember = this.RULE("policyMember", (): A.PolicyMember => {
    const start = this.CONSUME(T.Contact);
    this.CONSUME(T.Policy);
    const name = this.CONSUME(T.Name);
    const open = this.CONSUME(T.LCurly);
    const rules: (A.PolicyLimitRule | A.PolicyExcludeRule | undefined)[] = [];
    this.MANY(() => {
      rules.push(this.SUBRULE(this.policyRule));
    });
    this.closeBrace(open);
    return this.ACTION(() => ({ kind: "policy" as const, name: this.ident(name), rules: rules.filter(defined), span: this.spanFrom(start) }));
  });

  policyRule = this.RULE("policyRule", (): A.PolicyLimitRule | A.PolicyExcludeRule => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.At);
          this.CONSUME(T.Most);
          const limits = this.SUBRULE(this.rateLimits);
          let scope: A.ChannelScope | undefined;
          this.OPTION(() => (scope = this.SUBRULE(this.channelScope)));
          return this.ACTION(() => ({ kind: "policyLimit" as const, limits, ...(scope ? { scope } : {}), span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Exclude);
          const condition = this.SUBRULE(this.expression);
          return this.ACTION(() => ({ kind: "policyExclude" as const, condition, span: this.spanFrom(start) }));
        },
      },
    ]);
  });

  /** `3 per day, 5 per week`. */
  rateLimits = this.RULE("rateLimits", (): A.RateLimit[] => {
    const limits: A.RateLimit[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const count = this.CONSUME(T.NumberLiteral);
        this.CONSUME(T.Per);
        const period = this.SUBRULE(this.period);
        this.ACTION(() => limits.push({ kind: "rateLimit", count: this.numberLit(count), period, span: this.spanFrom(count) }));
      },
    });
    return limits;
  });

  period = this.RULE("period", (): A.Period => {
    const start = this.LA(1);
    return this.OR([
      alt(() => {
        let explicitCalendar = false;
        this.OPTION(() => {
          this.CONSUME(T.Calendar);
          explicitCalendar = true;
        });
        const unitTok = this.OR2([alt(() => this.CONSUME(T.Day)), alt(() => this.CONSUME(T.Week)), alt(() => this.CONSUME(T.Month))]);
        let zone: IToken | undefined;
        this.OPTION2(() => {
          this.CONSUME(T.In);
          zone = this.CONSUME(T.StringLiteral);
        });
        return this.ACTION(() => ({
          kind: "period" as const,
          form: "calendar" as const,
          unit: unitTok.image as "day" | "week" | "month",
          ...(explicitCalendar ? { explicitCalendar } : {}),
          ...(zone ? { zone: this.str(zone) } : {}),
          span: this.spanFrom(start),
        }));
      }),
      alt(() => {
        this.CONSUME(T.Rolling);
        const duration = this.SUBRULE(this.duration);
        return this.ACTION(() => ({ kind: "period" as const, form: "rolling" as const, duration, span: this.spanFrom(start) }));
      }),
      alt(() => {
        const duration = this.SUBRULE2(this.duration);
        return this.ACTION(() => ({ kind: "period" as const, form: "ambiguous" as const, duration, span: this.spanFrom(start) }));
      }),
    ]);
  });

  channelScope = this.RULE("channelScope", (): A.ChannelScope => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Across);
          this.CONSUME(T.All);
          this.CONSUME(T.Channels);
          return this.ACTION(() => ({ kind: "channelScope" as const, mode: "across" as const, channels: [], span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Per);
          this.CONSUME(T.Channel);
          return this.ACTION(() => ({ kind: "channelScope" as const, mode: "each" as const, channels: [], span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.On);
          const names: IToken[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => names.push(this.CONSUME(T.Name)) });
          return this.ACTION(() => ({ kind: "channelScope" as const, mode: "list" as const, channels: names.map((n) => this.ident(n)), span: this.spanFrom(start) }));
        },
      },
    ]);
  });

  segmentDecl = this.RULE("segmentDecl", (): A.SegmentDecl => {
    const start = this.CONSUME(T.Segment);
    const name = this.CONSUME(T.Name);
    let label: IToken | undefined;
    this.OPTION(() => (label = this.CONSUME(T.StringLiteral)));
    this.CONSUME(T.Equals);
    const condition = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: "segment" as const, name: this.ident(name), ...(label ? { label: this.str(label) } : {}), condition, span: this.spanFrom(start) }));
  });

  segmentsDecl = this.RULE("segmentsDecl", (): A.SegmentsDecl => {
    const start = this.CONSUME(T.Segments);
    const name = this.CONSUME(T.Name);
    const open = this.CONSUME(T.LCurly);
    const uses: (A.UsesClause | undefined)[] = [];
    const segments: (A.SegmentDecl | undefined)[] = [];
    this.MANY(() => {
      this.OR([{ ALT: () => uses.push(this.SUBRULE(this.usesClause)) }, { ALT: () => segments.push(this.SUBRULE(this.segmentDecl)) }]);
    });
    this.closeBrace(open);
    return this.ACTION(() => ({ kind: "segments" as const, name: this.ident(name), uses: uses.filter(defined), segments: segments.filter(defined), span: this.spanFrom(start) }));
  });

  // ------------------------------------------------------------ campaign

  campaignDecl = this.RULE("campaignDecl", (): A.CampaignDecl => {
    const start = this.CONSUME(T.Campaign);
    const name = this.CONSUME(T.Name);
    let label: IToken | undefined;
    this.OPTION(() => (label = this.CONSUME(T.StringLiteral)));
    const open = this.CONSUME(T.LCurly);
    const clauses: (A.CampaignClause | undefined)[] = [];
    this.MANY(() => {
      clauses.push(this.SUBRULE(this.campaignClause));
    });
    this.closeBrace(open);
    return this.ACTION(() => ({
      kind: "campaign" as const,
      name: this.ident(name),
      ...(label ? { label: this.str(label) } : {}),
      clauses: clauses.filter(defined),
      span: this.spanFrom(start),
    }));
  });

  private campaignClauseAlts?: IOrAlt<A.CampaignClause | undefined>[];
  campaignClause = this.RULE("campaignClause", (): A.CampaignClause | undefined =>
    this.OR((this.campaignClauseAlts ??= [
      { ALT: () => this.SUBRULE(this.usesClause) },
      { ALT: () => this.SUBRULE(this.windowClause) },
      { ALT: () => this.SUBRULE(this.priorityClause) },
      { ALT: () => this.SUBRULE(this.audienceClause) },
      { ALT: () => this.SUBRULE(this.excludeClause) },
      { ALT: () => this.SUBRULE(this.triggerClause) },
      { ALT: () => this.SUBRULE(this.goalClause) },
      { ALT: () => this.SUBRULE(this.exitClause) },
      { ALT: () => this.SUBRULE(this.wavesClause) },
      { ALT: () => this.SUBRULE(this.benefitClause) },
      { ALT: () => this.SUBRULE(this.capClause) },
      { ALT: () => this.SUBRULE(this.cappedClause) },
      { ALT: () => this.SUBRULE(this.budgetClause) },
      { ALT: () => this.SUBRULE(this.holdoutClause) },
      { ALT: () => this.SUBRULE(this.variantsClause) },
      { ALT: () => this.SUBRULE(this.policyClause) },
      { ALT: () => this.SUBRULE(this.segmentDecl) },
      { ALT: () => this.SUBRULE(this.testClause) },
    ])),
  );

  usesClause = this.RULE("usesClause", (): A.UsesClause => {
    const start = this.CONSUME(T.Uses);
    const what = this.OR([{ ALT: () => this.CONSUME(T.Catalog) }, { ALT: () => this.CONSUME(T.Segments) }]);
    const name = this.CONSUME(T.Name);
    return this.ACTION(() => ({ kind: "uses" as const, what: what.image === "segments" ? ("segments" as const) : ("catalog" as const), name: this.ident(name), span: this.spanFrom(start) }));
  });

  windowClause = this.RULE("windowClause", (): A.WindowClause => {
    const start = this.CONSUME(T.Window);
    const from = this.SUBRULE(this.dateOrDateTime);
    this.CONSUME(T.DotDot);
    const to = this.SUBRULE2(this.dateOrDateTime);
    return this.ACTION(() => ({ kind: "window" as const, start: from, end: to, span: this.spanFrom(start) }));
  });

  private dateOrDateTimeAlts?: IOrAlt<A.DateLit | A.DateTimeLit>[];
  dateOrDateTime = this.RULE("dateOrDateTime", (): A.DateLit | A.DateTimeLit =>
    this.OR((this.dateOrDateTimeAlts ??= [
      { ALT: () => {
        const t = this.CONSUME(T.DateLiteral);
        return this.ACTION(() => this.dateLit(t));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.DateTimeLiteral);
        return this.ACTION(() => this.dateTimeLit(t));
      } },
    ])),
  );

  priorityClause = this.RULE("priorityClause", (): A.PriorityClause => {
    const start = this.CONSUME(T.Priority);
    const value = this.CONSUME(T.NumberLiteral);
    return this.ACTION(() => ({ kind: "priority" as const, value: this.numberLit(value), span: this.spanFrom(start) }));
  });

  audienceClause = this.RULE("audienceClause", (): A.AudienceClause => {
    const start = this.CONSUME(T.Audience);
    const condition = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: "audience" as const, condition, span: this.spanFrom(start) }));
  });

  excludeClause = this.RULE("excludeClause", (): A.ExcludeClause => {
    const start = this.CONSUME(T.Exclude);
    const condition = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: "exclude" as const, condition, span: this.spanFrom(start) }));
  });

  // ------------------------------------------------------------ triggers

  triggerClause = this.RULE("triggerClause", (): A.TriggerClause => {
    const start = this.CONSUME(T.Trigger);
    const trigger = this.OR([{ ALT: () => this.SUBRULE(this.eventTrigger) }, { ALT: () => this.SUBRULE(this.batchTrigger) }]);
    let entry: A.EntryRule | undefined;
    this.OPTION(() => (entry = this.SUBRULE(this.entryRule)));
    return this.ACTION(() => ({ kind: "trigger" as const, trigger, ...(entry ? { entry } : {}), span: this.spanFrom(start) }));
  });

  eventTrigger = this.RULE("eventTrigger", (): A.EventTrigger => {
    const start = this.CONSUME(T.On);
    const event = this.CONSUME(T.Name);
    let condition: A.Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Where);
      condition = this.SUBRULE(this.expression);
    });
    let absence: A.AbsencePattern | undefined;
    this.OPTION2(() => (absence = this.SUBRULE(this.absencePattern)));
    return this.ACTION(() => ({
      kind: "event" as const,
      event: this.ident(event),
      ...(condition ? { condition } : {}),
      ...(absence ? { absence } : {}),
      span: this.spanFrom(start),
    }));
  });

  absencePattern = this.RULE("absencePattern", (): A.AbsencePattern => {
    const start = this.CONSUME(T.And);
    this.CONSUME(T.No);
    const event = this.CONSUME(T.Name);
    let condition: A.Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Where);
      condition = this.SUBRULE(this.expression);
    });
    this.CONSUME(T.Within);
    const within = this.SUBRULE(this.duration);
    return this.ACTION(() => ({ kind: "absence" as const, event: this.ident(event), ...(condition ? { condition } : {}), within, span: this.spanFrom(start) }));
  });

  batchTrigger = this.RULE("batchTrigger", (): A.BatchTrigger => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Once);
          this.CONSUME(T.At);
          const when = this.SUBRULE(this.dateOrDateTime);
          const times: IToken[] = [];
          this.OPTION(() => {
            this.CONSUME2(T.At);
            times.push(this.CONSUME(T.TimeLiteral));
          });
          let zone: A.ZoneSpec | undefined;
          this.OPTION2(() => (zone = this.SUBRULE(this.zoneSpec)));
          return this.ACTION(() => ({ kind: "batch" as const, once: when, times: times.map((t) => this.timeLit(t)), ...(zone ? { zone } : {}), span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Every);
          const recurrence = this.SUBRULE(this.recurrence);
          this.CONSUME3(T.At);
          const times: IToken[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => times.push(this.CONSUME2(T.TimeLiteral)) });
          let zone: A.ZoneSpec | undefined;
          this.OPTION3(() => (zone = this.SUBRULE2(this.zoneSpec)));
          return this.ACTION(() => ({ kind: "batch" as const, recurrence, times: times.map((t) => this.timeLit(t)), ...(zone ? { zone } : {}), span: this.spanFrom(start) }));
        },
      },
    ]);
  });

  recurrence = this.RULE("recurrence", (): A.Recurrence => {
    const start = this.LA(1);
    return this.OR([
      { ALT: () => (this.CONSUME(T.Day), this.ACTION(() => ({ kind: "recurrence" as const, every: "day" as const, weekdays: [], span: this.spanFrom(start) }))) },
      { ALT: () => (this.CONSUME(T.Weekday), this.ACTION(() => ({ kind: "recurrence" as const, every: "weekday" as const, weekdays: [], span: this.spanFrom(start) }))) },
      {
        ALT: () => {
          this.OPTION(() => {
            this.CONSUME(T.Week);
            this.CONSUME(T.On);
          });
          const days: IToken[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => days.push(this.CONSUME(T.WeekdayName)) });
          return this.ACTION(() => ({
            kind: "recurrence" as const,
            every: "week" as const,
            weekdays: days.map((d) => d.image).filter((d): d is A.Weekday => WEEKDAYS.has(d)),
            span: this.spanFrom(start),
          }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Month);
          this.CONSUME2(T.On);
          this.CONSUME2(T.Day);
          const n = this.CONSUME(T.NumberLiteral);
          return this.ACTION(() => ({ kind: "recurrence" as const, every: "month" as const, weekdays: [], dayOfMonth: this.numberLit(n), span: this.spanFrom(start) }));
        },
      },
    ]);
  });

  zoneSpec = this.RULE("zoneSpec", (): A.ZoneSpec => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Customer);
          this.CONSUME(T.Time);
          return this.ACTION(() => ({ kind: "zoneSpec" as const, mode: "customer" as const, span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Bank);
          this.CONSUME2(T.Time);
          return this.ACTION(() => ({ kind: "zoneSpec" as const, mode: "bank" as const, span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.In);
          const zone = this.CONSUME(T.StringLiteral);
          return this.ACTION(() => ({ kind: "zoneSpec" as const, mode: "named" as const, zone: this.str(zone), span: this.spanFrom(start) }));
        },
      },
    ]);
  });

  entryRule = this.RULE("entryRule", (): A.EntryRule => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Once);
          this.CONSUME(T.Per);
          this.CONSUME(T.Customer);
          return this.ACTION(() => ({ kind: "entry" as const, mode: "once" as const, span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Again);
          this.CONSUME(T.After);
          const coolDown = this.SUBRULE(this.duration);
          return this.ACTION(() => ({ kind: "entry" as const, mode: "again" as const, coolDown, span: this.spanFrom(start) }));
        },
      },
    ]);
  });

  // ---------------------------------------------------------- goal, exit

  goalClause = this.RULE("goalClause", (): A.GoalClause => {
    const start = this.CONSUME(T.Goal);
    const goal = this.OR([
      {
        GATE: () => this.LA(2).tokenType === T.Up || this.LA(2).tokenType === T.Down,
        ALT: () => this.SUBRULE(this.changeGoal),
      },
      { ALT: () => this.SUBRULE(this.eventGoal) },
    ]);
    this.CONSUME(T.Within);
    const within = this.SUBRULE(this.duration);
    let anchor: A.GoalAnchor | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Of);
      anchor = this.OR2([
        { ALT: () => (this.CONSUME(T.Entry), "entry" as const) },
        { ALT: () => (this.CONSUME(T.First), this.CONSUME(T.Touch), "first touch" as const) },
      ]);
    });
    return this.ACTION(() => ({ kind: "goal" as const, goal, within, ...(anchor ? { anchor } : {}), span: this.spanFrom(start) }));
  });

  eventGoal = this.RULE("eventGoal", (): A.EventGoal => {
    const event = this.CONSUME(T.Name);
    let condition: A.Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Where);
      condition = this.SUBRULE(this.expression);
    });
    return this.ACTION(() => ({ kind: "eventGoal" as const, event: this.ident(event), ...(condition ? { condition } : {}), span: this.spanFrom(event) }));
  });

  changeGoal = this.RULE("changeGoal", (): A.ChangeGoal => {
    const attribute = this.CONSUME(T.Name);
    const dir = this.OR([{ ALT: () => this.CONSUME(T.Up) }, { ALT: () => this.CONSUME(T.Down) }]);
    this.CONSUME(T.By);
    let atLeast = false;
    this.OPTION(() => {
      this.CONSUME(T.At);
      this.CONSUME(T.Least);
      atLeast = true;
    });
    const amount = this.SUBRULE(this.additive);
    return this.ACTION(() => ({
      kind: "changeGoal" as const,
      attribute: this.ident(attribute),
      direction: dir.image === "down" ? ("down" as const) : ("up" as const),
      atLeast,
      amount,
      span: this.spanFrom(attribute),
    }));
  });

  exitClause = this.RULE("exitClause", (): A.ExitClause => {
    const start = this.CONSUME(T.Exit);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.On);
          const event = this.CONSUME(T.Name);
          let condition: A.Expr | undefined;
          this.OPTION(() => {
            this.CONSUME(T.Where);
            condition = this.SUBRULE(this.expression);
          });
          return this.ACTION(() => ({ kind: "exit" as const, event: this.ident(event), ...(condition ? { condition } : {}), span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.When);
          const condition = this.SUBRULE2(this.expression);
          return this.ACTION(() => ({ kind: "exit" as const, condition, span: this.spanFrom(start) }));
        },
      },
    ]);
  });

  // --------------------------------------------------------------- waves

  wavesClause = this.RULE("wavesClause", (): A.WavesClause => {
    const start = this.CONSUME(T.Waves);
    const waves: (A.WaveDecl | undefined)[] = [];
    this.AT_LEAST_ONE(() => {
      waves.push(this.SUBRULE(this.waveDecl));
    });
    return this.ACTION(() => ({ kind: "waves" as const, waves: waves.filter(defined), span: this.spanFrom(start) }));
  });

  waveDecl = this.RULE("waveDecl", (): A.WaveDecl => {
    const num = this.CONSUME(T.NumberLiteral);
    this.CONSUME(T.Dot);
    const touch = this.SUBRULE(this.touch);
    const modifiers: (A.WaveModifier | undefined)[] = [];
    this.MANY(() => {
      this.OPTION(() => this.CONSUME(T.Comma));
      modifiers.push(this.SUBRULE(this.waveModifier));
    });
    const fallbacks: (A.Touch | undefined)[] = [];
    this.MANY2(() => {
      this.CONSUME(T.Else);
      fallbacks.push(this.SUBRULE2(this.touch));
    });
    return this.ACTION(() => ({
      kind: "wave" as const,
      number: this.numberLit(num),
      touch,
      modifiers: modifiers.filter(defined),
      fallbacks: fallbacks.filter(defined),
      span: this.spanFrom(num),
    }));
  });

  touch = this.RULE("touch", (): A.Touch => {
    const channel = this.CONSUME(T.Name);
    const template = this.SUBRULE(this.templateRef);
    return this.ACTION(() => ({ kind: "touch" as const, channel: this.ident(channel), template, span: this.spanFrom(channel) }));
  });

  templateRef = this.RULE("templateRef", (): A.TemplateRef => {
    const start = this.LA(1);
    return this.OR([
      alt(() => {
        const name = this.CONSUME(T.StringLiteral);
        return this.ACTION(() => ({ kind: "template" as const, name: this.str(name), perVariant: [], span: this.spanFrom(start) }));
      }),
      alt(() => {
        const open = this.CONSUME(T.LCurly);
        const items: { variant: A.Ident; name?: A.StringLit; span: Span }[] = [];
        this.MANY(() => {
          const v = this.CONSUME(T.Name);
          const n = this.CONSUME2(T.StringLiteral);
          this.ACTION(() => items.push({ variant: this.ident(v), name: this.str(n), span: this.spanFrom(v) }));
          this.OPTION(() => this.CONSUME(T.Comma));
        });
        this.closeBrace(open);
        return this.ACTION(() => ({ kind: "template" as const, perVariant: items, span: this.spanFrom(start) }));
      }),
    ]);
  });

  waveModifier = this.RULE("waveModifier", (): A.WaveModifier => {
    const start = this.LA(1);
    return this.OR([
      alt(() => (this.CONSUME(T.Now), this.ACTION(() => ({ kind: "now" as const, span: this.spanFrom(start) })))),
      alt(() => {
        this.CONSUME(T.After);
        const delay = this.SUBRULE(this.duration);
        let at: IToken | undefined;
        this.OPTION(() => {
          this.CONSUME(T.At);
          at = this.CONSUME(T.TimeLiteral);
        });
        return this.ACTION(() => ({ kind: "after" as const, delay, ...(at ? { at: this.timeLit(at) } : {}), span: this.spanFrom(start) }));
      }),
      alt(() => {
        this.CONSUME2(T.At);
        const at = this.CONSUME2(T.TimeLiteral);
        return this.ACTION(() => ({ kind: "atTime" as const, at: this.timeLit(at), span: this.spanFrom(start) }));
      }),
      alt(() => {
        this.CONSUME(T.Unless);
        let wave: IToken | undefined;
        this.OPTION2(() => {
          this.CONSUME(T.Wave);
          wave = this.CONSUME(T.NumberLiteral);
        });
        const what = this.OR2([
          alt(() => this.CONSUME(T.Converted)),
          alt(() => this.CONSUME(T.Opened)),
          alt(() => this.CONSUME(T.Clicked)),
        ]);
        return this.ACTION(() => ({
          kind: "unless" as const,
          what: what.image as "converted" | "opened" | "clicked",
          ...(wave ? { wave: this.numberLit(wave) } : {}),
          span: this.spanFrom(start),
        }));
      }),
      alt(() => {
        this.CONSUME(T.Only);
        const condition = this.SUBRULE(this.expression);
        return this.ACTION(() => ({ kind: "only" as const, condition, span: this.spanFrom(start) }));
      }),
    ]);
  });

  // -------------------------------------------- benefits, caps, budgets

  benefitClause = this.RULE("benefitClause", (): A.BenefitClause => {
    const start = this.CONSUME(T.Benefit);
    this.CONSUME(T.On);
    this.CONSUME(T.Goal);
    const tiers: (A.BenefitTier | undefined)[] = [];
    this.AT_LEAST_ONE(() => {
      tiers.push(this.SUBRULE(this.benefitTier));
    });
    let limit: A.BenefitClause["limit"];
    this.OPTION(() => {
      const ls = this.LA(1);
      limit = this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Once);
            this.CONSUME(T.Per);
            this.CONSUME(T.Customer);
            return this.ACTION(() => ({ mode: "once" as const, span: this.spanFrom(ls) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.At);
            this.CONSUME(T.Most);
            const count = this.CONSUME(T.NumberLiteral);
            this.CONSUME2(T.Per);
            this.CONSUME2(T.Customer);
            return this.ACTION(() => ({ mode: "atMost" as const, count: this.numberLit(count), span: this.spanFrom(ls) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Every);
            this.CONSUME(T.Time);
            return this.ACTION(() => ({ mode: "everyTime" as const, span: this.spanFrom(ls) }));
          },
        },
      ]);
    });
    return this.ACTION(() => ({ kind: "benefitClause" as const, tiers: tiers.filter(defined), ...(limit ? { limit } : {}), span: this.spanFrom(start) }));
  });

  /** `points 2000 when amount >= 50k`, `points 1% of amount`, `cash88 when ...`. */
  benefitTier = this.RULE("benefitTier", (): A.BenefitTier => {
    const benefit = this.CONSUME(T.Name);
    let quantity: A.Expr | undefined;
    this.OPTION(
      gated(
        () => {
          const t = this.LA(1).tokenType;
          return t === T.NumberLiteral || t === T.LParen || t === T.Minus;
        },
        () => (quantity = this.SUBRULE(this.additive)),
      ),
    );
    let condition: A.Expr | undefined;
    this.OPTION2(
      gated(
        () => this.LA(2).tokenType !== T.Capped && this.LA(2).tokenType !== T.Spent,
        () => {
          this.CONSUME(T.When);
          condition = this.SUBRULE(this.expression);
        },
      ),
    );
    return this.ACTION(() => ({
      kind: "benefitTier" as const,
      benefit: this.ident(benefit),
      ...(quantity ? { quantity } : {}),
      ...(condition ? { condition } : {}),
      span: this.spanFrom(benefit),
    }));
  });

  capClause = this.RULE("capClause", (): A.CapClause => {
    const start = this.CONSUME(T.Cap);
    this.OPTION(() => {
      this.CONSUME(T.At);
      this.CONSUME(T.Most);
    });
    const limits = this.SUBRULE(this.rateLimits);
    let scope: A.ChannelScope | undefined;
    this.OPTION2(() => (scope = this.SUBRULE(this.channelScope)));
    return this.ACTION(() => ({ kind: "cap" as const, limits, ...(scope ? { scope } : {}), span: this.spanFrom(start) }));
  });

  cappedClause = this.RULE("cappedClause", (): A.CappedClause => {
    const start = this.CONSUME(T.When);
    this.CONSUME(T.Capped);
    this.CONSUME(T.Colon);
    const action = this.OR([
      { ALT: () => (this.CONSUME(T.Drop), "drop" as const) },
      { ALT: () => (this.CONSUME(T.Defer), "defer" as const) },
      { ALT: () => (this.CONSUME(T.Next), this.CONSUME(T.Channel), "next channel" as const) },
    ]);
    return this.ACTION(() => ({ kind: "capped" as const, action, span: this.spanFrom(start) }));
  });

  budgetClause = this.RULE("budgetClause", (): A.BudgetClause => {
    const start = this.CONSUME(T.Budget);
    const limits: A.BudgetLimit[] = [];
    let pacing: A.Pacing | undefined;
    limits.push(this.SUBRULE(this.budgetLimit));
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.OR([{ ALT: () => limits.push(this.SUBRULE2(this.budgetLimit)) }, { ALT: () => (pacing = this.SUBRULE(this.pacing)) }]);
    });
    let whenSpent: A.BudgetClause["whenSpent"];
    this.OPTION({
      GATE: () => this.LA(2).tokenType === T.Spent,
      DEF: () => {
        const ws = this.CONSUME(T.When);
        this.CONSUME(T.Spent);
        this.CONSUME(T.Colon);
        this.CONSUME(T.Stop);
        const first = this.OR2([{ ALT: () => this.CONSUME(T.Benefits) }, { ALT: () => this.CONSUME(T.Entry) }, { ALT: () => this.CONSUME(T.All) }]);
        let second: IToken | undefined;
        this.OPTION2(() => {
          this.CONSUME(T.And);
          second = this.OR3([{ ALT: () => this.CONSUME2(T.Benefits) }, { ALT: () => this.CONSUME2(T.Entry) }]);
        });
        whenSpent = this.ACTION(() => {
          const words = new Set([first.image, second?.image]);
          const stop = words.has("all") || (words.has("benefits") && words.has("entry")) ? ("all" as const) : words.has("entry") ? ("entry" as const) : ("benefits" as const);
          return { stop, span: this.spanFrom(ws) };
        });
      },
    });
    return this.ACTION(() => ({
      kind: "budget" as const,
      limits: limits.filter(defined),
      ...(pacing ? { pacing } : {}),
      ...(whenSpent ? { whenSpent } : {}),
      span: this.spanFrom(start),
    }));
  });

  budgetLimit = this.RULE("budgetLimit", (): A.BudgetLimit => {
    const start = this.LA(1);
    const amount = this.SUBRULE(this.amount);
    let period: A.Period | undefined;
    this.OR([
      alt(() => this.CONSUME(T.Total)),
      alt(() => {
        this.CONSUME(T.Per);
        period = this.SUBRULE(this.period);
      }),
    ]);
    return this.ACTION(() => ({ kind: "budgetLimit" as const, amount, ...(period ? { period } : {}), span: this.spanFrom(start) }));
  });

  pacing = this.RULE("pacing", (): A.Pacing => {
    const start = this.CONSUME(T.Paced);
    return this.OR([
      { ALT: () => (this.CONSUME(T.Evenly), this.ACTION(() => ({ kind: "pacing" as const, mode: "even" as const, curve: [], span: this.spanFrom(start) }))) },
      {
        ALT: () => {
          this.CONSUME(T.By);
          this.CONSUME(T.Curve);
          this.CONSUME(T.LParen);
          const points: IToken[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => points.push(this.CONSUME(T.NumberLiteral)) });
          this.CONSUME(T.RParen);
          return this.ACTION(() => ({ kind: "pacing" as const, mode: "curve" as const, curve: points.map((p) => this.percentLit(p)), span: this.spanFrom(start) }));
        },
      },
    ]);
  });

  holdoutClause = this.RULE("holdoutClause", (): A.HoldoutClause => {
    const start = this.CONSUME(T.Holdout);
    const share = this.CONSUME(T.NumberLiteral);
    let salt: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Salt);
      salt = this.CONSUME(T.StringLiteral);
    });
    return this.ACTION(() => ({ kind: "holdout" as const, share: this.percentLit(share), ...(salt ? { salt: this.str(salt) } : {}), span: this.spanFrom(start) }));
  });

  variantsClause = this.RULE("variantsClause", (): A.VariantsClause => {
    const start = this.CONSUME(T.Variants);
    const open = this.CONSUME(T.LCurly);
    const variants: A.VariantDecl[] = [];
    this.MANY(() => {
      const name = this.CONSUME(T.Name);
      const weight = this.CONSUME(T.NumberLiteral);
      this.ACTION(() => variants.push({ kind: "variant", name: this.ident(name), weight: this.percentLit(weight), span: this.spanFrom(name) }));
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.closeBrace(open);
    let salt: IToken | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.Salt);
      salt = this.CONSUME(T.StringLiteral);
    });
    return this.ACTION(() => ({ kind: "variants" as const, variants, ...(salt ? { salt: this.str(salt) } : {}), span: this.spanFrom(start) }));
  });

  policyClause = this.RULE("policyClause", (): A.PolicyClause => {
    const start = this.CONSUME(T.Policy);
    const name = this.CONSUME(T.Name);
    return this.ACTION(() => ({ kind: "policyRef" as const, name: this.ident(name), span: this.spanFrom(start) }));
  });

  // --------------------------------------------------------------- tests

  testClause = this.RULE("testClause", (): A.TestClause => {
    const start = this.CONSUME(T.Test);
    const title = this.CONSUME(T.StringLiteral);
    const open = this.CONSUME(T.LCurly);
    const steps: (A.TestStep | undefined)[] = [];
    this.MANY(() => {
      steps.push(this.SUBRULE(this.testStep));
    });
    this.closeBrace(open);
    return this.ACTION(() => ({ kind: "test" as const, title: this.str(title), steps: steps.filter(defined), span: this.spanFrom(start) }));
  });

  testStep = this.RULE("testStep", (): A.TestStep => {
    const start = this.LA(1);
    return this.OR([
      alt(() => {
        this.CONSUME(T.Given);
        this.CONSUME(T.Customer);
        const customer = this.CONSUME(T.Name);
        const assignments = this.SUBRULE(this.assignmentBlock);
        return this.ACTION(() => ({ kind: "given" as const, customer: this.ident(customer), assignments, span: this.spanFrom(start) }));
      }),
      alt(() => {
        this.CONSUME(T.At);
        const time = this.SUBRULE(this.dateOrDateTime);
        return this.ACTION(() => ({ kind: "at" as const, time, span: this.spanFrom(start) }));
      }),
      alt(() => {
        this.CONSUME(T.Event);
        const event = this.CONSUME2(T.Name);
        this.CONSUME(T.For);
        const customer = this.CONSUME3(T.Name);
        this.CONSUME2(T.At);
        const at = this.CONSUME(T.DateTimeLiteral);
        let assignments: A.TestAssignment[] = [];
        this.OPTION(() => (assignments = this.SUBRULE2(this.assignmentBlock)));
        return this.ACTION(() => ({ kind: "eventStep" as const, event: this.ident(event), customer: this.ident(customer), at: this.dateTimeLit(at), assignments, span: this.spanFrom(start) }));
      }),
      alt(() => {
        this.CONSUME(T.Update);
        const customer = this.CONSUME4(T.Name);
        this.CONSUME3(T.At);
        const at = this.CONSUME2(T.DateTimeLiteral);
        const assignments = this.SUBRULE3(this.assignmentBlock);
        return this.ACTION(() => ({ kind: "update" as const, customer: this.ident(customer), at: this.dateTimeLit(at), assignments, span: this.spanFrom(start) }));
      }),
      alt(() => this.SUBRULE(this.expectStep)),
    ]);
  });

  expectStep = this.RULE("expectStep", (): A.ExpectStep => {
    const start = this.CONSUME(T.Expect);
    let negated = false;
    this.OPTION(() => {
      this.CONSUME(T.No);
      negated = true;
    });
    let what: "touch" | "benefit" | "nothing" = "touch";
    let target: IToken | undefined;
    let template: IToken | undefined;
    let quantity: IToken | undefined;
    this.OR([
      { ALT: () => (this.CONSUME(T.Nothing), (what = "nothing")) },
      { ALT: () => (this.CONSUME(T.Touch), (what = "touch")) },
      {
        ALT: () => {
          this.CONSUME(T.Benefit);
          what = "benefit";
          this.OPTION2(() => {
            target = this.CONSUME(T.Name);
            this.OPTION3(() => (quantity = this.CONSUME(T.NumberLiteral)));
          });
        },
      },
      {
        ALT: () => {
          target = this.CONSUME2(T.Name);
          this.OPTION4(() => (template = this.CONSUME(T.StringLiteral)));
        },
      },
    ]);
    this.CONSUME(T.To);
    const customer = this.CONSUME3(T.Name);
    let at: IToken | undefined;
    // `at T` belongs to the expectation only on the same line; on a new line it is an `at` step.
    this.OPTION5(gated(this.sameLineGate, () => {
      this.CONSUME(T.At);
      at = this.CONSUME(T.DateTimeLiteral);
    }));
    return this.ACTION(() => ({
      kind: "expect" as const,
      negated,
      what,
      ...(target ? { target: this.ident(target) } : {}),
      ...(template ? { template: this.str(template) } : {}),
      ...(quantity ? { quantity: this.numberLit(quantity) } : {}),
      customer: this.ident(customer),
      ...(at ? { at: this.dateTimeLit(at) } : {}),
      span: this.spanFrom(start),
    }));
  });

  /** `{ tier premium, birthday 1980-03-14, tags [payroll] }`. */
  assignmentBlock = this.RULE("assignmentBlock", (): A.TestAssignment[] => {
    const open = this.CONSUME(T.LCurly);
    const items: A.TestAssignment[] = [];
    this.MANY(() => {
      const name = this.CONSUME(T.Name);
      this.OPTION(() => this.CONSUME(T.Colon));
      const value = this.SUBRULE(this.testValue);
      this.ACTION(() => items.push({ kind: "assign", name: this.ident(name), value, span: this.spanFrom(name) }));
      this.OPTION2(() => this.CONSUME(T.Comma));
    });
    this.closeBrace(open);
    return items;
  });

  testValue = this.RULE("testValue", (): A.TestValue => {
    const start = this.LA(1);
    const value = this.OR([
      alt(() => this.SUBRULE(this.scalarTestValue)),
      alt(() => {
        this.CONSUME(T.LBracket);
        const items: (A.Literal | A.Ident)[] = [];
        this.MANY_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE2(this.scalarTestValue)) });
        this.CONSUME(T.RBracket);
        return this.ACTION(() => ({ kind: "list" as const, items: items.filter(defined), span: this.spanFrom(start) }));
      }),
    ]);
    return this.ACTION(() => ({ kind: "testValue" as const, value, span: this.spanFrom(start) }));
  });

  private scalarTestValueAlts?: IOrAlt<A.Literal | A.Ident>[];
  scalarTestValue = this.RULE("scalarTestValue", (): A.Literal | A.Ident =>
    this.OR((this.scalarTestValueAlts ??= [
      { ALT: () => {
        const t = this.CONSUME(T.Name);
        return this.ACTION(() => this.ident(t));
      } },
      {
        ALT: () => {
          const e = this.SUBRULE(this.literal);
          return this.ACTION(() => (e.kind === "literal" ? e.value : e.kind === "negate" && e.operand?.kind === "literal" && e.operand.value.kind === "number" ? { ...e.operand.value, value: -e.operand.value.value, raw: "-" + e.operand.value.raw, span: e.span } : ({ kind: "string", value: "", span: e.span } as A.StringLit)));
        },
      },
      {
        ALT: () => {
          const m = this.CONSUME(T.Minus);
          const n = this.CONSUME(T.NumberLiteral);
          return this.ACTION(() => {
            const lit = this.numberLit(n);
            return { ...lit, value: -lit.value, raw: "-" + lit.raw, span: this.spanFrom(m) };
          });
        },
      },
    ])),
  );

  // --------------------------------------------------------- expressions

  expression = this.RULE("expression", (): A.Expr => this.SUBRULE(this.orExpr));

  orExpr = this.RULE("orExpr", (): A.Expr => {
    const start = this.LA(1);
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Or);
      const right = this.SUBRULE2(this.andExpr);
      left = this.ACTION(() => ({ kind: "logical" as const, op: "or" as const, left, right, span: this.spanFrom(start) }));
    });
    return left;
  });

  andExpr = this.RULE("andExpr", (): A.Expr => {
    const start = this.LA(1);
    let left = this.SUBRULE(this.notExpr);
    this.MANY(
      gated(
        // `and no EVENT within D` belongs to a trigger's absence pattern, not to the expression.
        () => this.LA(2).tokenType !== T.No,
        () => {
          this.CONSUME(T.And);
          const right = this.SUBRULE2(this.notExpr);
          left = this.ACTION(() => ({ kind: "logical" as const, op: "and" as const, left, right, span: this.spanFrom(start) }));
        },
      ),
    );
    return left;
  });

  private notExprAlts?: IOrAlt<A.Expr>[];
  notExpr = this.RULE("notExpr", (): A.Expr =>
    this.OR((this.notExprAlts ??= [
      {
        ALT: () => {
          const start = this.CONSUME(T.Not);
          const operand = this.SUBRULE(this.notExpr);
          return this.ACTION(() => ({ kind: "not" as const, operand, span: this.spanFrom(start) }));
        },
      },
      { ALT: () => this.SUBRULE(this.predicate) },
    ])),
  );

  predicate = this.RULE("predicate", (): A.Expr => {
    const start = this.LA(1);
    const subject = this.SUBRULE(this.additive);
    let result: A.Expr = subject;
    this.OPTION(() => {
      result = this.OR([
        alt(() => {
          const op = this.CONSUME(T.CompareOp);
          const right = this.SUBRULE2(this.additive);
          return this.ACTION(() => ({ kind: "compare" as const, op: op.image as A.CompareOp, left: subject, right, span: this.spanFrom(start) }));
        }),
        alt(() => {
          let negated = false;
          this.OPTION2(() => {
            this.CONSUME(T.Not);
            negated = true;
          });
          this.CONSUME(T.Between);
          const low = this.SUBRULE3(this.additive);
          this.CONSUME(T.And);
          const high = this.SUBRULE4(this.additive);
          return this.ACTION(() => ({ kind: "between" as const, subject, negated, low, high, span: this.spanFrom(start) }));
        }),
        alt(() => {
          let negated = false;
          this.OPTION3(() => {
            this.CONSUME2(T.Not);
            negated = true;
          });
          this.CONSUME(T.In);
          this.CONSUME(T.LParen);
          const values: A.Expr[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => values.push(this.SUBRULE5(this.additive)) });
          this.CONSUME(T.RParen);
          return this.ACTION(() => ({ kind: "in" as const, subject, negated, values: values.filter(defined), span: this.spanFrom(start) }));
        }),
        alt(() => {
          this.CONSUME(T.Within);
          let direction: "last" | "next" | undefined;
          this.OPTION4(() => {
            direction = this.OR2([alt(() => (this.CONSUME(T.Last), "last" as const)), alt(() => (this.CONSUME(T.Next), "next" as const))]);
          });
          const duration = this.SUBRULE(this.duration);
          return this.ACTION(() => ({ kind: "relativeTime" as const, subject, form: "within" as const, ...(direction ? { direction } : {}), duration, span: this.spanFrom(start) }));
        }),
        alt(() => {
          const which = this.OR3([alt(() => this.CONSUME(T.More)), alt(() => this.CONSUME(T.Less_))]);
          this.CONSUME(T.Than);
          const duration = this.SUBRULE2(this.duration);
          this.CONSUME(T.Ago);
          return this.ACTION(() => ({
            kind: "relativeTime" as const,
            subject,
            form: which.image === "less" ? ("lessThanAgo" as const) : ("moreThanAgo" as const),
            duration,
            span: this.spanFrom(start),
          }));
        }),
        alt(() => {
          this.CONSUME(T.Is);
          return this.OR4([
            alt(() => {
              let negated = false;
              this.OPTION5(() => {
                this.CONSUME3(T.Not);
                negated = true;
              });
              this.CONSUME(T.SetKw);
              return this.ACTION(() => ({ kind: "isSet" as const, subject, negated, span: this.spanFrom(start) }));
            }),
            alt(() => {
              const d = this.OR5([alt(() => this.CONSUME(T.Today)), alt(() => this.CONSUME(T.Tomorrow)), alt(() => this.CONSUME(T.Yesterday))]);
              return this.ACTION(() => ({ kind: "relativeTime" as const, subject, form: "isDay" as const, day: d.image as "today" | "tomorrow" | "yesterday", span: this.spanFrom(start) }));
            }),
          ]);
        }),
      ]);
    });
    return result;
  });

  additive = this.RULE("additive", (): A.Expr => {
    const start = this.LA(1);
    let left = this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      const op = this.CONSUME(T.AdditiveOp);
      const right = this.SUBRULE2(this.multiplicative);
      left = this.ACTION(() => ({ kind: "arith" as const, op: op.image as A.ArithOp, left, right, span: this.spanFrom(start) }));
    });
    return left;
  });

  multiplicative = this.RULE("multiplicative", (): A.Expr => {
    const start = this.LA(1);
    let left = this.SUBRULE(this.unary);
    this.MANY(() => {
      const op = this.CONSUME(T.MultiplicativeOp);
      const right = this.SUBRULE2(this.unary);
      left = this.ACTION(() => ({ kind: "arith" as const, op: op.image as A.ArithOp, left, right, span: this.spanFrom(start) }));
    });
    return left;
  });

  private unaryAlts?: IOrAlt<A.Expr>[];
  unary = this.RULE("unary", (): A.Expr =>
    this.OR((this.unaryAlts ??= [
      {
        ALT: () => {
          const start = this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION(() => ({ kind: "negate" as const, operand, span: this.spanFrom(start) }));
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ])),
  );

  postfix = this.RULE("postfix", (): A.Expr => {
    const start = this.LA(1);
    let e = this.SUBRULE(this.primary);
    this.OPTION(() => {
      this.CONSUME(T.Anniversary);
      e = this.ACTION(() => ({ kind: "anniversary" as const, subject: e, span: this.spanFrom(start) }));
    });
    return e;
  });

  // The alternatives are cached, so they cannot close over a per-call
  // `start`: each takes its start from LA(1), the token the OR chose it by.
  private primaryAlts?: IOrAlt<A.Expr>[];
  primary = this.RULE("primary", (): A.Expr =>
    this.OR((this.primaryAlts ??= [
      { ALT: () => this.SUBRULE(this.literal) },
      {
        ALT: () => {
          const start = this.LA(1);
          this.CONSUME(T.LParen);
          const expr = this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
          return this.ACTION(() => ({ kind: "group" as const, expr, span: this.spanFrom(start) }));
        },
      },
      { ALT: () => this.SUBRULE(this.hasExpr) },
      {
        ALT: () => {
          const start = this.LA(1);
          this.CONSUME(T.Segment);
          const name = this.CONSUME(T.Name);
          return this.ACTION(() => ({ kind: "segmentRef" as const, name: this.ident(name), span: this.spanFrom(start) }));
        },
      },
      {
        ALT: () => {
          const start = this.LA(1);
          const name = this.CONSUME2(T.Name);
          return this.ACTION(() => ({ kind: "ref" as const, name: this.ident(name), span: this.spanFrom(start) }));
        },
      },
    ])),
  );

  hasExpr = this.RULE("hasExpr", (): A.HasExpr => {
    const start = this.CONSUME(T.Has);
    let mode: A.HasExpr["mode"] = "one";
    this.OPTION(() => {
      mode = this.OR([
        { ALT: () => (this.CONSUME(T.Any), "any" as const) },
        { ALT: () => (this.CONSUME(T.All), "all" as const) },
        { ALT: () => (this.CONSUME(T.None), "none" as const) },
      ]);
    });
    const tags: IToken[] = [];
    this.OR2([
      { ALT: () => tags.push(this.CONSUME(T.Name)) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => tags.push(this.CONSUME2(T.Name)) });
          this.CONSUME(T.RParen);
        },
      },
    ]);
    return this.ACTION(() => ({ kind: "has" as const, mode, tags: tags.map((t) => this.ident(t)), span: this.spanFrom(start) }));
  });

  /** Literals in expressions; a number may carry a duration unit, a currency or `% of`. */
  private literalAlts?: IOrAlt<A.Expr>[];
  literal = this.RULE("literal", (): A.Expr =>
    this.OR((this.literalAlts ??= [
      {
        ALT: () => {
          const start = this.LA(1);
          const num = this.CONSUME(T.NumberLiteral);
          let unit: IToken | undefined;
          let currency: IToken | undefined;
          let ofOperand: A.Expr | undefined;
          let hasOf = false;
          this.OPTION(() => (unit = this.CONSUME(T.DurationUnit)));
          this.OPTION2(gated(this.currencyGate, () => (currency = this.CONSUME(T.Name))));
          this.OPTION3(
            gated(
              () => this.isPercentToken(num),
              () => {
                this.CONSUME(T.Of);
                hasOf = true;
                ofOperand = this.SUBRULE(this.unary);
              },
            ),
          );
          return this.ACTION((): A.Expr => {
            const span = this.spanFrom(start);
            const image = num.image ?? "";
            const decoded = decodeNumber(image);
            if (hasOf) return { kind: "percentOf", percent: this.percentLit(num), operand: ofOperand, span };
            if (unit || (decoded.ok && decoded.value.kind === "duration")) return { kind: "literal", value: this.durationLit(num, unit), span };
            if (decoded.ok && decoded.value.kind === "percent") return { kind: "literal", value: this.percentLit(num), span };
            return { kind: "literal", value: { ...this.numberLit(num, currency ? this.ident(currency) : undefined), span }, span };
          });
        },
      },
      { ALT: () => {
        const t = this.CONSUME(T.DateTimeLiteral);
        return this.ACTION(() => this.litExpr(this.dateTimeLit(t)));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.DateLiteral);
        return this.ACTION(() => this.litExpr(this.dateLit(t)));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.TimeLiteral);
        return this.ACTION(() => this.litExpr(this.timeLit(t)));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.StringLiteral);
        return this.ACTION(() => this.litExpr(this.str(t)));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.UnterminatedString);
        return this.ACTION(() => this.litExpr(this.str(t)));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.True);
        return this.ACTION(() => this.boolExpr(t, true));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.False);
        return this.ACTION(() => this.boolExpr(t, false));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.Today);
        return this.ACTION(() => this.dayExpr(t, "today"));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.Tomorrow);
        return this.ACTION(() => this.dayExpr(t, "tomorrow"));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.Yesterday);
        return this.ACTION(() => this.dayExpr(t, "yesterday"));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.Now);
        return this.ACTION(() => this.dayExpr(t, "now"));
      } },
    ])),
  );

  private litExpr(value: A.Literal): A.Expr {
    return { kind: "literal", value, span: value.span };
  }
  private boolExpr(t: IToken, value: boolean): A.Expr {
    const span = this.tokSpan(t);
    return { kind: "literal", value: { kind: "bool", value, span }, span };
  }
  private dayExpr(t: IToken, day: A.RelativeDayLit["day"]): A.Expr {
    const span = this.tokSpan(t);
    return { kind: "literal", value: { kind: "relativeDay", day, span }, span };
  }

  /** `90 days`, `36h`, `2 weeks`. */
  duration = this.RULE("duration", (): A.DurationLit => {
    const num = this.CONSUME(T.NumberLiteral);
    let unit: IToken | undefined;
    this.OPTION(() => (unit = this.CONSUME(T.DurationUnit)));
    return this.ACTION(() => this.durationLit(num, unit));
  });

  /** A money amount or count: `50k`, `0.05`, `100 USD`. */
  amount = this.RULE("amount", (): A.NumberLit => {
    const num = this.CONSUME(T.NumberLiteral);
    let currency: IToken | undefined;
    this.OPTION(gated(this.currencyGate, () => (currency = this.CONSUME(T.Name))));
    return this.ACTION(() => {
      const lit = this.numberLit(num, currency ? this.ident(currency) : undefined);
      return { ...lit, span: this.spanFrom(num) };
    });
  });
}

export type { TokenType };
