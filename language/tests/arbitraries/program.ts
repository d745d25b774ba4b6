/**
 * fast-check arbitraries for random *valid* .campaign programs, as source
 * text: catalogs, campaigns and segment libraries covering every clause,
 * expressions with every operator, Unicode names and labels, messy spacing,
 * and comments between any two tokens.
 *
 * A program is first generated as a list of tokens, then joined with random
 * separators (spaces, newlines, block and line comments). The generators
 * follow the grammar's few context rules so that the result always parses:
 *  - names never look like a duration unit or a currency code, which would
 *    attach to a preceding number;
 *  - a `goal ... where` or `and no ... where` condition ends in a predicate
 *    with an operator, so that its `within` is not read as `x within 3 days`;
 *  - single clauses appear at most once, waves are numbered 1, 2, 3, and
 *    variant weights and pacing curves add up to 100%.
 */
import fc from "fast-check";

export type Toks = string[];
type Arb = fc.Arbitrary<Toks>;

// ------------------------------------------------------------- combinators

const t = (...tokens: string[]): Arb => fc.constant(tokens);
const seq = (...parts: Arb[]): Arb => fc.tuple(...parts).map((xs) => xs.flat());
const opt = (a: Arb): Arb => fc.oneof(t(), a);
const from = (...choices: string[]): Arb => fc.constantFrom(...choices).map((c) => [c]);
/** `min`..`max` repetitions, joined by `sep` tokens (none when `sep` is empty). */
const rep = (a: Arb, min: number, max: number, sep: Toks = []): Arb =>
  fc.array(a, { minLength: min, maxLength: max }).map((xs) => xs.flatMap((x, i) => (i === 0 ? x : [...sep, ...x])));
const list = (a: Arb, min: number, max: number): Arb => rep(a, min, max, [","]);
/** Optional comma (both spellings parse to the same tree). */
const comma: Arb = from(",", "");

// ------------------------------------------------------------------- words

const NAMES = [
  "aum", "age", "tier", "lastLogin", "birthday", "x1", "risk_2", "amount", "device", "product",
  "客户等级", "资产", "score.wealth", "app.login", "α_β", "Ünal", "Имя", "`ｔａｇ`", "한글",
  "value", "branch", "total", "salt", "time",
  "`where`", "`and`", "`my tag`", "`2x`", "`today`", "`catalog`", "`a-b`",
];
const name: Arb = fc.constantFrom(...NAMES).map((n) => [n]);
const CURRENCIES = ["USD", "CNY", "EUR"];
const currency: Arb = from(...CURRENCIES);

const STRING_PIECES = ["a", "Z", " ", "9", "代发", "理财", "😀", "é", "\\n", "\\t", '\\"', "\\\\", "\\u0041", "\\u{1F600}", "\\0", "'", "`", "{", "}", "//", "/*"];
const stringLit: Arb = fc.array(fc.constantFrom(...STRING_PIECES), { maxLength: 6 }).map((ps) => [`"${ps.join("")}"`]);

const intLit: Arb = fc.oneof(fc.integer({ min: 0, max: 200000 }).map(String), fc.constantFrom("1_000", "007")).map((n) => [n]);
const numberLit: Arb = fc.oneof(
  intLit,
  from("0.05", "1.5", "50k", "2m", "1bn", "5万", "1.5万", "3亿", "10K", "2M", "200_000"),
  seq(from("100", "2.5", "50k"), currency),
);
const percentLit: Arb = from("10%", "0%", "50%", "12.5%", "100%", "3%");
const durationLit: Arb = fc.oneof(
  seq(fc.integer({ min: 1, max: 400 }).map(String).map((n) => [n]), from("day", "days", "hour", "hours", "minute", "minutes", "week", "weeks", "month", "months", "year", "years")),
  from("36h", "30min", "3d", "2w", "6mo", "1y"),
);
const dateLit: Arb = from("2026-12-01", "2024-02-29", "1980-03-14", "2026-01-31");
const dateTimeLit: Arb = from("2026-03-14T09:00", "2026-03-14T09:00:30", "2026-12-02T10:00+08:00", "2026-12-02T23:59Z", "2026-03-14T09:00[Asia/Shanghai]");
const timeLit: Arb = from("09:00", "9:30", "21:30:00", "00:00", "24:00");

// ------------------------------------------------------------- expressions

const CMP = ["=", "!=", "<", "<=", ">", ">="];
const memo = new Map<string, Arb>();
function cached(key: string, make: () => Arb): Arb {
  let a = memo.get(key);
  if (!a) {
    a = make();
    memo.set(key, a);
  }
  return a;
}

const hasExpr: Arb = seq(t("has"), fc.oneof(name, seq(from("any", "all", "none"), fc.oneof(name, seq(t("("), list(name, 1, 3), t(")")))), seq(t("("), list(name, 2, 3), t(")"))));

function primary(d: number): Arb {
  return cached(`primary${d}`, () => {
    const leaves: { arbitrary: Arb; weight: number }[] = [
      { arbitrary: name, weight: 6 },
      { arbitrary: numberLit, weight: 3 },
      { arbitrary: fc.oneof(percentLit, durationLit, dateLit, dateTimeLit, timeLit, stringLit, from("true", "false", "today", "tomorrow", "yesterday", "now")), weight: 3 },
      { arbitrary: hasExpr, weight: 2 },
      { arbitrary: seq(t("segment"), name), weight: 1 },
    ];
    if (d > 0) {
      leaves.push({ arbitrary: seq(t("("), orExpr(d - 1), t(")")), weight: 1 });
      leaves.push({ arbitrary: seq(percentLit, t("of"), unary(d - 1)), weight: 1 });
    }
    return fc.oneof(...leaves);
  });
}

function unary(d: number): Arb {
  return cached(`unary${d}`, () => {
    const postfix = seq(primary(d), fc.oneof({ arbitrary: t(), weight: 9 }, { arbitrary: t("anniversary"), weight: 1 }));
    return fc.oneof({ arbitrary: postfix, weight: 8 }, { arbitrary: seq(t("-"), postfix), weight: 1 });
  });
}

function additive(d: number): Arb {
  return cached(`additive${d}`, () => {
    const more = (a: Arb): Arb => fc.oneof({ arbitrary: t(), weight: 5 }, { arbitrary: a, weight: 1 });
    const mulChain = seq(unary(d), more(seq(from("*", "/"), unary(d))));
    return seq(mulChain, more(seq(from("+", "-"), mulChain)));
  });
}

/** A predicate with an operator (safe before `within`). */
function fullPredicate(d: number): Arb {
  return cached(`fullPred${d}`, () => {
    const a = additive(d);
    return fc.oneof(
      seq(a, from(...CMP), a),
      seq(a, opt(t("not")), t("between"), a, t("and"), a),
      seq(a, opt(t("not")), t("in"), t("("), list(a, 1, 3), t(")")),
      seq(a, t("within"), opt(from("last", "next")), durationLit),
      seq(a, from("more", "less"), t("than"), durationLit, t("ago")),
      seq(a, t("is"), opt(t("not")), t("set")),
      seq(a, t("is"), from("today", "tomorrow", "yesterday")),
    );
  });
}

function predicate(d: number): Arb {
  return cached(`pred${d}`, () => fc.oneof({ arbitrary: additive(d), weight: 2 }, { arbitrary: fullPredicate(d), weight: 3 }));
}

function logical(d: number, operand: Arb, key: string): Arb {
  return cached(`${key}${d}`, () => {
    const notE = seq(fc.oneof({ arbitrary: t(), weight: 6 }, { arbitrary: t("not"), weight: 2 }, { arbitrary: t("not", "not"), weight: 1 }), operand);
    const andE = rep(notE, 1, d > 0 ? 4 : 2, ["and"]);
    return rep(andE, 1, d > 0 ? 3 : 2, ["or"]);
  });
}

export function orExpr(d: number): Arb {
  return logical(d, predicate(d), "or");
}

/** An expression that may be followed by `within` (goal and absence conditions). */
function fullExpr(d: number): Arb {
  return logical(d, fullPredicate(d), "full");
}

const expression = orExpr(2);

// ----------------------------------------------------------------- catalog

const label: Arb = opt(stringLit);
const typeRef: Arb = fc.oneof(
  seq(t("money"), opt(currency)),
  from("int", "number", "string", "bool", "date", "datetime", "timezone", "tags", "score"),
  seq(t("enum", "("), list(name, 1, 4), t(")")),
);
const customerField: Arb = seq(name, opt(t(":")), typeRef, label, comma);
const eventField: Arb = seq(name, opt(t(":")), typeRef, label, comma);

const period: Arb = fc.oneof(
  seq(opt(t("calendar")), from("day", "week", "month"), opt(seq(t("in"), from('"Asia/Shanghai"', '"UTC"')))),
  seq(t("rolling"), durationLit),
  durationLit,
);
const rateLimits: Arb = list(seq(intLit, t("per"), period), 1, 3);
const channelScope: Arb = fc.oneof(t("across", "all", "channels"), t("per", "channel"), seq(t("on"), list(name, 1, 3)));
const amount: Arb = seq(from("0", "0.05", "5", "88", "50k", "1.5万"), opt(currency));

const channelProp: Arb = fc.oneof(
  seq(t("cost"), amount),
  seq(t("quiet"), list(seq(timeLit, t("-"), timeLit), 1, 2)),
  seq(t("capacity"), intLit, t("per", "day"), opt(t("per", "branch"))),
  seq(t("address"), name),
  seq(t("optout"), name),
);

const segmentDecl: Arb = seq(t("segment"), name, label, t("="), expression);

const repeatableMember: Arb = fc.oneof(
  seq(t("tag"), name, label),
  seq(t("event"), name, label, t("{"), rep(eventField, 0, 3), t("}"), opt(seq(t("value"), expression))),
  seq(t("channel"), name, label, rep(channelProp, 0, 4)),
  seq(t("benefit"), name, label, opt(seq(t("cost"), amount, opt(t("each"))))),
  seq(t("contact", "policy"), name, t("{"), rep(fc.oneof(seq(t("at", "most"), rateLimits, opt(channelScope)), seq(t("exclude"), expression)), 0, 3), t("}")),
  segmentDecl,
);

/** Items that may appear at most once, each optional, plus any number of repeatable ones, shuffled. */
function block(singles: Arb[], repeatable: Arb, maxRepeat: number): Arb {
  return fc
    .tuple(fc.tuple(...singles.map((s) => fc.option(s, { nil: undefined }))), fc.array(repeatable, { maxLength: maxRepeat }))
    .chain(([ones, many]) => {
      const items = [...ones.filter((x): x is Toks => x !== undefined), ...many];
      return fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });
    })
    .map((items) => items.flat());
}

export const catalogDecl: Arb = seq(
  t("catalog"),
  name,
  label,
  t("{"),
  block(
    [seq(t("timezone"), from('"Asia/Shanghai"', '"Europe/Paris"')), seq(t("currency"), currency), seq(t("customer", "{"), rep(customerField, 0, 5), t("}"))],
    repeatableMember,
    6,
  ),
  t("}"),
);

// ---------------------------------------------------------------- campaign

const dateOrDateTime = fc.oneof(dateLit, dateTimeLit);
const zoneSpec: Arb = fc.oneof(t("customer", "time"), t("bank", "time"), seq(t("in"), from('"Asia/Shanghai"', '"America/New_York"')));
const recurrence: Arb = fc.oneof(
  t("day"),
  t("weekday"),
  seq(opt(t("week", "on")), list(from("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), 1, 3)),
  seq(t("month", "on", "day"), fc.integer({ min: 1, max: 31 }).map((n) => [String(n)])),
);
const batchTrigger: Arb = fc.oneof(
  seq(t("once", "at"), dateOrDateTime, opt(seq(t("at"), timeLit)), opt(zoneSpec)),
  seq(t("every"), recurrence, t("at"), list(timeLit, 1, 3), opt(zoneSpec)),
);
const eventTrigger: Arb = seq(
  t("on"),
  name,
  opt(seq(t("where"), expression)),
  opt(seq(t("and", "no"), name, opt(seq(t("where"), fullExpr(1))), t("within"), durationLit)),
);
const entryRule: Arb = fc.oneof(t("once", "per", "customer"), seq(t("again", "after"), durationLit));
const triggerClause: Arb = seq(t("trigger"), fc.oneof(eventTrigger, batchTrigger), opt(entryRule));

const goalClause: Arb = seq(
  t("goal"),
  fc.oneof(seq(name, opt(seq(t("where"), fullExpr(1)))), seq(name, from("up", "down"), t("by"), opt(t("at", "least")), additive(1))),
  t("within"),
  durationLit,
  opt(fc.oneof(t("of", "entry"), t("of", "first", "touch"))),
);

const template: Arb = fc.oneof({ arbitrary: stringLit, weight: 4 }, { arbitrary: seq(t("{"), rep(seq(name, stringLit, comma), 0, 3), t("}")), weight: 1 });
const touch: Arb = seq(name, template);
const modifier: Arb = fc.oneof(
  t("now"),
  seq(t("after"), durationLit, opt(seq(t("at"), timeLit))),
  seq(t("at"), timeLit),
  seq(t("unless"), opt(seq(t("wave"), from("1", "2"))), from("converted", "opened", "clicked")),
  seq(t("only"), expression),
);
const wavesClause: Arb = fc
  .array(seq(rep(seq(comma, modifier), 0, 3), rep(seq(t("else"), touch), 0, 2)), { minLength: 1, maxLength: 4 })
  .chain((rests) => fc.tuple(...rests.map(() => touch)).map((touches) => ({ rests, touches })))
  .map(({ rests, touches }) => ["waves", ...rests.flatMap((rest, i) => [String(i + 1), ".", ...(touches[i] ?? []), ...dropLeadingComma(rest)])]);

function dropLeadingComma(x: Toks): Toks {
  return x[0] === "," ? x.slice(1) : x;
}

const benefitClause: Arb = seq(
  t("benefit", "on", "goal"),
  rep(seq(name, opt(fc.oneof(intLit, seq(percentLit, t("of"), name), seq(t("("), additive(0), t(")")))), opt(seq(t("when"), expression))), 1, 3),
  opt(fc.oneof(t("once", "per", "customer"), seq(t("at", "most"), intLit, t("per", "customer")), t("every", "time"))),
);

/** Integer percentages that add up to 100. */
function sharesOf100(min: number, max: number): fc.Arbitrary<string[]> {
  return fc.array(fc.integer({ min: 1, max: 100 }), { minLength: min - 1, maxLength: max - 1 }).map((cuts) => {
    const points = [...new Set(cuts.filter((c) => c < 100))].sort((a, b) => a - b);
    const bounds = [0, ...points, 100];
    return bounds.slice(1).map((b, i) => `${b - (bounds[i] ?? 0)}%`);
  });
}

const budgetLimit = (total: boolean): Arb => seq(amount, total ? t("total") : seq(t("per"), period));
const budgetClause: Arb = fc
  .tuple(
    fc.boolean(),
    fc.array(budgetLimit(false), { maxLength: 2 }),
    fc.option(fc.oneof(t("paced", "evenly"), sharesOf100(1, 4).map((ps) => ["paced", "by", "curve", "(", ...ps.flatMap((p, i) => (i === 0 ? [p] : [",", p])), ")"])), { nil: undefined }),
    opt(seq(t("when", "spent", ":", "stop"), fc.oneof(from("benefits", "entry", "all"), t("benefits", "and", "entry"), t("entry", "and", "benefits")))),
  )
  .chain(([withTotal, perPeriod, pacing, spent]) => {
    const items: Arb[] = [...perPeriod.map((p) => fc.constant(p)), ...(withTotal || perPeriod.length === 0 ? [budgetLimit(true)] : [])];
    return fc.tuple(...items).chain((limits) => {
      const parts = pacing ? [...limits, pacing] : limits;
      return fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }).map((ps) => {
        // A budget starts with a limit, not with its pacing.
        const first = ps.findIndex((p) => p[0] !== "paced");
        const ordered = first > 0 ? [ps[first] ?? [], ...ps.filter((_, i) => i !== first)] : ps;
        return ["budget", ...ordered.flatMap((p, i) => (i === 0 ? p : [",", ...p])), ...spent];
      });
    });
  });

const variantsClause: Arb = sharesOf100(1, 4).chain((ws) =>
  fc.tuple(...ws.map(() => name)).chain((names) =>
    seq(t("variants", "{"), fc.constant(ws.flatMap((w, i) => [...(names[i] ?? []), w, ...(i < ws.length - 1 ? [","] : [])])), t("}"), opt(seq(t("salt"), stringLit))),
  ),
);

const testScalar: Arb = fc.oneof(name, intLit, from("50k", "1.5万", "10%", "true", "false", "today", "now"), seq(t("100"), currency), durationLit, dateLit, dateTimeLit, timeLit, stringLit, seq(t("-"), intLit));
const testValue: Arb = fc.oneof({ arbitrary: testScalar, weight: 4 }, { arbitrary: seq(t("["), list(testScalar, 0, 3), t("]")), weight: 1 });
const assignmentBlock: Arb = seq(t("{"), rep(seq(name, opt(t(":")), testValue, comma), 0, 4), t("}"));
const expectStep: Arb = seq(
  t("expect"),
  opt(t("no")),
  fc.oneof(t("nothing"), t("touch"), seq(t("benefit"), opt(seq(name, opt(intLit)))), seq(name, opt(stringLit))),
  t("to"),
  name,
  opt(seq(t("at"), dateTimeLit)),
);
const testStep: Arb = fc.oneof(
  seq(t("given", "customer"), name, assignmentBlock),
  // A date-only `at` step right after an `expect ... to c1` would be read as the expectation's time.
  seq(t("at"), dateTimeLit),
  seq(t("event"), name, t("for"), name, t("at"), dateTimeLit, opt(assignmentBlock)),
  seq(t("update"), name, t("at"), dateTimeLit, assignmentBlock),
  expectStep,
);
const testClause: Arb = seq(t("test"), stringLit, t("{"), rep(testStep, 0, 4), expectStep, t("}"));

const campaignSingles: Arb[] = [
  seq(t("uses", "catalog"), name),
  seq(t("window"), dateOrDateTime, t(".."), dateOrDateTime),
  seq(t("priority"), intLit),
  seq(t("audience"), expression),
  triggerClause,
  goalClause,
  wavesClause,
  benefitClause,
  seq(t("when", "capped", ":"), fc.oneof(t("drop"), t("defer"), t("next", "channel"))),
  budgetClause,
  seq(t("holdout"), percentLit, opt(seq(t("salt"), stringLit))),
  variantsClause,
  seq(t("policy"), name),
];
const campaignRepeatable: Arb = fc.oneof(
  seq(t("uses", "segments"), name),
  seq(t("exclude"), expression),
  fc.oneof(seq(t("exit", "on"), name, opt(seq(t("where"), expression))), seq(t("exit", "when"), expression)),
  seq(t("cap"), opt(t("at", "most")), rateLimits, opt(channelScope)),
  segmentDecl,
  testClause,
);

export const campaignDecl: Arb = seq(t("campaign"), name, label, t("{"), block(campaignSingles, campaignRepeatable, 4), t("}"));

export const segmentsDecl: Arb = seq(t("segments"), name, t("{"), rep(fc.oneof(seq(t("uses"), from("catalog", "segments"), name), segmentDecl), 0, 4), t("}"));

export const programTokens: Arb = fc.array(fc.oneof({ arbitrary: campaignDecl, weight: 3 }, { arbitrary: catalogDecl, weight: 2 }, { arbitrary: segmentsDecl, weight: 1 }), { minLength: 0, maxLength: 3 }).map((ds) => ds.flat());

// -------------------------------------------------------------- separators

const COMMENT_CHARS = ["a", "b", " ", "é", "注释", "😀", "*", "/", "-", "`", '"', "{", "}", "\t"];
const commentText = fc.array(fc.constantFrom(...COMMENT_CHARS), { maxLength: 8 }).map((cs) => cs.join(""));
const blockComment = commentText.map((s) => `/*${s.replace(/\*\//g, "* /")}*/`);
const multiLineBlockComment = fc.tuple(commentText, commentText).map(([a, b]) => `/*${a}\n${b}*/`.replace(/\*\/(?=.)/gs, "* /"));
const lineComment = commentText.map((s) => `//${s}`);
const indentation = fc.constantFrom("", "  ", "    ", "\t");

/** What may stand between two tokens: whitespace and comments, never nothing. */
export const separator: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(" "), weight: 40 },
  { arbitrary: fc.constantFrom("  ", "\t", "   "), weight: 3 },
  { arbitrary: indentation.map((i) => "\n" + i), weight: 10 },
  { arbitrary: indentation.map((i) => "\n\n" + i), weight: 2 },
  { arbitrary: fc.constant("\r\n"), weight: 1 },
  { arbitrary: blockComment.map((c) => ` ${c} `), weight: 2 },
  { arbitrary: fc.tuple(lineComment, indentation).map(([c, i]) => ` ${c}\n${i}`), weight: 2 },
  { arbitrary: fc.tuple(indentation, lineComment, indentation).map(([a, c, b]) => `\n${a}${c}\n${b}`), weight: 2 },
  { arbitrary: fc.tuple(indentation, multiLineBlockComment).map(([i, c]) => `\n${i}${c}\n`), weight: 1 },
);

/** Joins tokens with random separators; the text may also start and end with comments. */
export function joinTokens(tokens: fc.Arbitrary<Toks>): fc.Arbitrary<string> {
  return tokens.chain((toks) =>
    fc.tuple(fc.array(separator, { minLength: toks.length + 1, maxLength: toks.length + 1 }), fc.boolean()).map(([seps, trailingNewline]) => {
      let out = (seps[0] ?? "").trimStart();
      toks.forEach((tok, i) => {
        out += tok + (i < toks.length - 1 ? (seps[i + 1] ?? " ") : "");
      });
      const last = seps[toks.length] ?? "";
      if (toks.length > 0 && last.includes("/")) out += last;
      return out + (trailingNewline ? "\n" : "");
    }),
  );
}

/** Random valid programs as source text. */
export const programArb: fc.Arbitrary<string> = joinTokens(programTokens);
