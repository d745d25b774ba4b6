/**
 * Plain-language messages for parse errors, in the project's style
 * (lowercase, no trailing period, source text in backticks). The provider
 * also remembers which token types were expected at each error, so that the
 * diagnostic builder can offer "did you mean" fixes.
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { EOF } from "chevrotain";

/** Rule names as users know them, for "in a `waves` clause" context. */
const RULE_CONTEXT: Record<string, string> = {
  catalogDecl: "catalog",
  campaignDecl: "campaign",
  segmentsDecl: "segments block",
  customerMember: "customer attributes",
  eventMember: "event",
  channelMember: "channel",
  policyMember: "contact policy",
  wavesClause: "waves",
  waveDecl: "wave",
  budgetClause: "budget",
  benefitClause: "benefit",
  testClause: "test",
  testStep: "test step",
  triggerClause: "trigger",
  goalClause: "goal",
};

export function describeToken(t: IToken): string {
  if (t.tokenType === EOF) return "the end of the file";
  const image = t.image.length > 40 ? t.image.slice(0, 37) + "..." : t.image;
  return `\`${image}\``;
}

export function labelOf(t: TokenType): string {
  if (t === EOF) return "the end of the file";
  return t.LABEL ?? t.name;
}

/** What a `+` repetition (AT_LEAST_ONE, AT_LEAST_ONE_SEP) needs at least one of, by rule. */
const AT_LEAST_ONE: Record<string, string> = {
  wavesClause: "wave such as `1. sms \"template\" now`",
  benefitClause: "benefit tier such as `points 100`",
  typeRef: "enum value",
  predicate: "value in `in ( )`",
  hasExpr: "tag in `has ( )`",
  channelScope: "channel after `on`",
  channelProp: "time range such as `21:00-09:00`",
  batchTrigger: "time of day such as `09:00`",
  recurrence: "weekday",
  pacing: "share such as `50%` in the curve",
  rateLimits: "limit such as `3 per day`",
};

/** Rules that parse expressions: a failure there means a value or condition is missing. */
const EXPRESSION_RULES = new Set(["expression", "orExpr", "andExpr", "notExpr", "predicate", "additive", "multiplicative", "unary", "postfix", "primary", "literal"]);

/** Words after which a condition (rather than a value) is expected. */
const CONDITION_AFTER = new Set(["audience", "exclude", "where", "when", "only", "and", "or", "not", "=", "("]);

const TOP_LEVEL = "a `catalog`, `campaign` or `segments` declaration";

function list(labels: string[]): string {
  const unique = [...new Set(labels)];
  if (unique.length <= 1) return unique[0] ?? "something else";
  if (unique.length > 8) return unique.slice(0, 7).join(", ") + " or another";
  return unique.slice(0, -1).join(", ") + " or " + unique[unique.length - 1];
}

export class ParseErrorMessages implements IParserErrorMessageProvider {
  /** Expected token types at each error, keyed by the offending token. */
  readonly expectedAt = new Map<IToken, TokenType[]>();

  reset(): void {
    this.expectedAt.clear();
  }

  private remember(actual: IToken | undefined, expected: TokenType[]): void {
    if (!actual) return;
    const prev = this.expectedAt.get(actual) ?? [];
    this.expectedAt.set(actual, [...prev, ...expected]);
  }

  buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
    this.remember(options.actual, [options.expected]);
    // At the top level the parser wants the end of the file only because nothing else fits there.
    if (options.expected === EOF) return `expected ${TOP_LEVEL}, found ${describeToken(options.actual)}`;
    return `expected ${labelOf(options.expected)}, found ${describeToken(options.actual)}${context(options.ruleName)}`;
  }

  buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
    this.remember(options.firstRedundant, [EOF]);
    return `expected ${TOP_LEVEL}, found ${describeToken(options.firstRedundant)}`;
  }

  buildNoViableAltMessage(options: {
    expectedPathsPerAlt: TokenType[][][];
    actual: IToken[];
    previous: IToken;
    customUserDescription?: string;
    ruleName: string;
  }): string {
    const firsts = options.expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0])).filter((t): t is TokenType => t !== undefined);
    this.remember(options.actual[0], firsts);
    const found = options.actual[0] ? describeToken(options.actual[0]) : "nothing";
    if (EXPRESSION_RULES.has(options.ruleName)) {
      const prev = options.previous;
      const real = prev !== undefined && prev.tokenType !== EOF && !Number.isNaN(prev.startOffset) && prev.image !== undefined;
      const what = real && !CONDITION_AFTER.has(prev.image) ? "a value" : "a condition";
      return `expected ${what}${real ? ` after ${describeToken(prev)}` : ""}, found ${found}`;
    }
    return `expected ${list(firsts.map(labelOf))}, found ${found}${context(options.ruleName)}`;
  }

  buildEarlyExitMessage(options: {
    expectedIterationPaths: TokenType[][];
    actual: IToken[];
    previous: IToken;
    customUserDescription?: string;
    ruleName: string;
  }): string {
    const firsts = options.expectedIterationPaths.map((p) => p[0]).filter((t): t is TokenType => t !== undefined);
    this.remember(options.actual[0], firsts);
    const found = options.actual[0] ? describeToken(options.actual[0]) : "nothing";
    const what = AT_LEAST_ONE[options.ruleName];
    if (what) return `expected at least one ${what}, found ${found}${context(options.ruleName)}`;
    return `expected ${list(firsts.map(labelOf))} (at least one), found ${found}${context(options.ruleName)}`;
  }
}

function context(ruleName: string): string {
  const c = RULE_CONTEXT[ruleName];
  return c ? ` in ${c}` : "";
}
