/**
 * Token definitions: the single source of truth for the lexer, the parser,
 * the formatter and the editor's syntax colouring.
 *
 * Keywords come in two kinds:
 *  - hard keywords are reserved: a name that collides with one is written in
 *    backticks (`` `where` ``);
 *  - soft keywords (types, duration units, weekdays and a few words that make
 *    natural attribute names such as `branch`, `time`, `value`) belong to the
 *    Name category, so they are accepted wherever a name is expected.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

/** How the editor colours a token; also used by the docs. */
export type TokenClass =
  | "keyword"
  | "type"
  | "unit"
  | "name"
  | "string"
  | "number"
  | "date"
  | "operator"
  | "punctuation"
  | "comment"
  | "whitespace"
  | "invalid";

const NAME_START = "A-Za-z_\\u00C0-\\u024F\\u0370-\\u03FF\\u0400-\\u04FF\\u3040-\\u30FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uAC00-\\uD7AF";
const NAME_PART = `${NAME_START}0-9`;
const NAME_SEGMENT = `[${NAME_START}][${NAME_PART}]*`;

/** Token types with the class the editor colours them by. */
export const tokenClassOf = new Map<TokenType, TokenClass>();

function tok(config: Parameters<typeof createToken>[0], cls: TokenClass): TokenType {
  const t = createToken(config);
  tokenClassOf.set(t, cls);
  return t;
}

/** Token categories: one CONSUME matches any member. */
export const DurationUnit = createToken({ name: "DurationUnit", pattern: Lexer.NA, label: "a duration unit" });
export const WeekdayName = createToken({ name: "WeekdayName", pattern: Lexer.NA, label: "a weekday" });
export const CompareOp = createToken({ name: "CompareOp", pattern: Lexer.NA, label: "a comparison" });
export const AdditiveOp = createToken({ name: "AdditiveOp", pattern: Lexer.NA, label: "`+` or `-`" });
export const MultiplicativeOp = createToken({ name: "MultiplicativeOp", pattern: Lexer.NA, label: "`*` or `/`" });

export const WhiteSpace = tok({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\u00A0\u3000\uFEFF]+/, group: Lexer.SKIPPED, line_breaks: true }, "whitespace");
export const LineComment = tok({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" }, "comment");
export const BlockComment = tok({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments", line_breaks: true }, "comment");
/** A block comment that runs to the end of the file; reported as S003. */
export const UnterminatedBlockComment = tok({ name: "UnterminatedBlockComment", pattern: /\/\*[\s\S]*/, group: "comments", line_breaks: true }, "comment");

/** A name: letters (including CJK), digits and underscores, with `.` between segments (`app.login`). */
export const Name = tok({ name: "Name", label: "a name", pattern: new RegExp(`${NAME_SEGMENT}(?:\\.${NAME_SEGMENT})*`) }, "name");
/** A name in backticks, for names that collide with a keyword. */
export const QuotedName = tok({ name: "QuotedName", label: "a name", pattern: /`[^`\r\n]+`/, categories: [Name] }, "name");

export const DateTimeLiteral = tok({
  name: "DateTimeLiteral",
  label: "a date and time",
  pattern: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?(?:\[[A-Za-z0-9_/+-]+\])?/,
}, "date");
export const DateLiteral = tok({ name: "DateLiteral", label: "a date", pattern: /\d{4}-\d{2}-\d{2}/ }, "date");
export const TimeLiteral = tok({ name: "TimeLiteral", label: "a time of day", pattern: /\d{1,2}:\d{2}(?::\d{2})?/ }, "date");
/**
 * A number with an optional unit suffix written without a space:
 * `50k`, `2m`, `1.5万`, `10%`, `36h`. The suffix is interpreted by the parser.
 */
export const NumberLiteral = tok({ name: "NumberLiteral", label: "a number", pattern: /\d[\d_]*(?:\.\d[\d_]*)?(?:[A-Za-z%\u4E00-\u9FFF]+)?/ }, "number");
export const StringLiteral = tok({ name: "StringLiteral", label: "a string", pattern: /"(?:[^"\\\r\n]|\\.)*"/ }, "string");
/** A string with no closing quote on its line; reported as S002 and parsed as a string. */
export const UnterminatedString = tok({ name: "UnterminatedString", label: "a string", pattern: /"(?:[^"\\\r\n]|\\.)*/ }, "string");

export const LCurly = tok({ name: "LCurly", pattern: "{", label: "`{`" }, "punctuation");
export const RCurly = tok({ name: "RCurly", pattern: "}", label: "`}`" }, "punctuation");
export const LParen = tok({ name: "LParen", pattern: "(", label: "`(`" }, "punctuation");
export const RParen = tok({ name: "RParen", pattern: ")", label: "`)`" }, "punctuation");
export const LBracket = tok({ name: "LBracket", pattern: "[", label: "`[`" }, "punctuation");
export const RBracket = tok({ name: "RBracket", pattern: "]", label: "`]`" }, "punctuation");
export const Comma = tok({ name: "Comma", pattern: ",", label: "`,`" }, "punctuation");
export const Colon = tok({ name: "Colon", pattern: ":", label: "`:`" }, "punctuation");
export const DotDot = tok({ name: "DotDot", pattern: "..", label: "`..`" }, "punctuation");
export const Dot = tok({ name: "Dot", pattern: ".", label: "`.`" }, "punctuation");
export const LessEq = tok({ name: "LessEq", pattern: "<=", label: "`<=`", categories: [CompareOp] }, "operator");
export const GreaterEq = tok({ name: "GreaterEq", pattern: ">=", label: "`>=`", categories: [CompareOp] }, "operator");
export const NotEq = tok({ name: "NotEq", pattern: "!=", label: "`!=`", categories: [CompareOp] }, "operator");
export const Less = tok({ name: "Less", pattern: "<", label: "`<`", categories: [CompareOp] }, "operator");
export const Greater = tok({ name: "Greater", pattern: ">", label: "`>`", categories: [CompareOp] }, "operator");
export const Equals = tok({ name: "Equals", pattern: "=", label: "`=`", categories: [CompareOp] }, "operator");
export const Plus = tok({ name: "Plus", pattern: "+", label: "`+`", categories: [AdditiveOp] }, "operator");
export const Minus = tok({ name: "Minus", pattern: "-", label: "`-`", categories: [AdditiveOp] }, "operator");
export const Star = tok({ name: "Star", pattern: "*", label: "`*`", categories: [MultiplicativeOp] }, "operator");
export const Slash = tok({ name: "Slash", pattern: "/", label: "`/`", categories: [MultiplicativeOp] }, "operator");

/** Every keyword token by its spelling. */
export const keywordTokens = new Map<string, TokenType>();
/** Spellings of soft keywords (also accepted as names). */
export const softKeywords = new Set<string>();

function keyword(word: string, soft = false, cls: TokenClass = "keyword", extra: TokenType[] = []): TokenType {
  const name = "Kw" + word.charAt(0).toUpperCase() + word.slice(1);
  const t = tok({ name, pattern: word, longer_alt: Name, label: `\`${word}\``, categories: [...(soft ? [Name] : []), ...extra] }, cls);
  keywordTokens.set(word, t);
  if (soft) softKeywords.add(word);
  return t;
}

// --- structure
export const Catalog = keyword("catalog");
export const Campaign = keyword("campaign");
export const Segments = keyword("segments");
export const Segment = keyword("segment");
export const Uses = keyword("uses");
// --- catalog members
export const Timezone = keyword("timezone", true, "type");
export const Currency = keyword("currency");
export const Customer = keyword("customer");
export const Tag = keyword("tag");
export const Event = keyword("event");
export const Channel = keyword("channel");
export const Benefit = keyword("benefit");
export const Contact = keyword("contact");
export const Policy = keyword("policy");
export const Cost = keyword("cost");
export const Quiet = keyword("quiet");
export const Capacity = keyword("capacity");
export const Address = keyword("address");
export const Optout = keyword("optout");
export const Each = keyword("each");
// --- types (soft)
export const Money = keyword("money", true, "type");
export const Int = keyword("int", true, "type");
export const NumberType = keyword("number", true, "type");
export const StringType = keyword("string", true, "type");
export const Bool = keyword("bool", true, "type");
export const DateType = keyword("date", true, "type");
export const DatetimeType = keyword("datetime", true, "type");
export const Tags = keyword("tags", true, "type");
export const Score = keyword("score", true, "type");
export const Enum = keyword("enum", true, "type");
// --- campaign clauses
export const Window = keyword("window");
export const Priority = keyword("priority");
export const Audience = keyword("audience");
export const Exclude = keyword("exclude");
export const Trigger = keyword("trigger");
export const Goal = keyword("goal");
export const Exit = keyword("exit");
export const Waves = keyword("waves");
export const Cap = keyword("cap");
export const Budget = keyword("budget");
export const Holdout = keyword("holdout");
export const Variants = keyword("variants");
export const Test = keyword("test");
// --- triggers, entry, schedules
export const On = keyword("on");
export const Where = keyword("where");
export const Once = keyword("once");
export const Every = keyword("every");
export const At = keyword("at");
export const In = keyword("in");
export const Bank = keyword("bank", true);
export const Time = keyword("time", true);
export const Again = keyword("again");
export const No = keyword("no");
// --- expressions
export const And = keyword("and");
export const Or = keyword("or");
export const Not = keyword("not");
export const Has = keyword("has");
export const Any = keyword("any");
export const All = keyword("all");
export const None = keyword("none");
export const Between = keyword("between");
export const Within = keyword("within");
export const More = keyword("more");
export const Less_ = keyword("less");
export const Than = keyword("than");
export const Ago = keyword("ago");
export const Last = keyword("last");
export const Next = keyword("next");
export const Is = keyword("is");
export const Today = keyword("today");
export const Tomorrow = keyword("tomorrow");
export const Yesterday = keyword("yesterday");
export const Now = keyword("now");
export const Anniversary = keyword("anniversary");
export const Of = keyword("of");
export const SetKw = keyword("set");
export const True = keyword("true");
export const False = keyword("false");
// --- goals, waves, benefits
export const Up = keyword("up");
export const Down = keyword("down");
export const By = keyword("by");
export const Least = keyword("least");
export const Most = keyword("most");
export const When = keyword("when");
export const After = keyword("after");
export const Unless = keyword("unless");
export const Converted = keyword("converted");
export const Opened = keyword("opened");
export const Clicked = keyword("clicked");
export const Only = keyword("only");
export const Else = keyword("else");
export const Wave = keyword("wave");
export const First = keyword("first");
export const Touch = keyword("touch");
export const Value = keyword("value", true);
// --- caps, budgets
export const Per = keyword("per");
export const Branch = keyword("branch", true);
export const Across = keyword("across");
export const Channels = keyword("channels");
export const Rolling = keyword("rolling");
export const Calendar = keyword("calendar");
export const Capped = keyword("capped");
export const Drop = keyword("drop");
export const Defer = keyword("defer");
export const Total = keyword("total", true);
export const Paced = keyword("paced");
export const Evenly = keyword("evenly");
export const Curve = keyword("curve");
export const Spent = keyword("spent");
export const Stop = keyword("stop");
export const Benefits = keyword("benefits");
export const Entry = keyword("entry");
export const Salt = keyword("salt", true);
// --- tests
export const Given = keyword("given");
export const Expect = keyword("expect");
export const To = keyword("to");
export const Nothing = keyword("nothing");
export const Update = keyword("update");
export const For = keyword("for");
// --- units and calendar words (soft)
export const Minute = keyword("minute", true, "unit", [DurationUnit]);
export const Minutes = keyword("minutes", true, "unit", [DurationUnit]);
export const Hour = keyword("hour", true, "unit", [DurationUnit]);
export const Hours = keyword("hours", true, "unit", [DurationUnit]);
export const Day = keyword("day", true, "unit", [DurationUnit]);
export const Days = keyword("days", true, "unit", [DurationUnit]);
export const Week = keyword("week", true, "unit", [DurationUnit]);
export const Weeks = keyword("weeks", true, "unit", [DurationUnit]);
export const Month = keyword("month", true, "unit", [DurationUnit]);
export const Months = keyword("months", true, "unit", [DurationUnit]);
export const Year = keyword("year", true, "unit", [DurationUnit]);
export const Years = keyword("years", true, "unit", [DurationUnit]);
export const Weekday = keyword("weekday", true, "unit");
export const Monday = keyword("monday", true, "unit", [WeekdayName]);
export const Tuesday = keyword("tuesday", true, "unit", [WeekdayName]);
export const Wednesday = keyword("wednesday", true, "unit", [WeekdayName]);
export const Thursday = keyword("thursday", true, "unit", [WeekdayName]);
export const Friday = keyword("friday", true, "unit", [WeekdayName]);
export const Saturday = keyword("saturday", true, "unit", [WeekdayName]);
export const Sunday = keyword("sunday", true, "unit", [WeekdayName]);

/** Duration unit keywords, in the order the grammar lists them. */
export const durationUnitTokens: TokenType[] = [Minute, Minutes, Hour, Hours, Day, Days, Week, Weeks, Month, Months, Year, Years];
/** Weekday keywords. */
export const weekdayTokens: TokenType[] = [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday];

/**
 * All tokens in lexer order. Order matters: comments before operators,
 * dates before times before numbers, keywords before Name, `..` before `.`,
 * two-character operators before one-character ones.
 */
export const allTokens: TokenType[] = [
  DurationUnit,
  WeekdayName,
  CompareOp,
  AdditiveOp,
  MultiplicativeOp,
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  DateTimeLiteral,
  DateLiteral,
  TimeLiteral,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  DotDot,
  Dot,
  LessEq,
  GreaterEq,
  NotEq,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  // Longer keywords first, so that `tags` is not read as `tag` + `s`.
  ...[...keywordTokens.entries()].sort((a, b) => b[0].length - a[0].length).map(([, t]) => t),
  QuotedName,
  Name,
];

/** Hard keyword spellings (reserved words). */
export const hardKeywords: string[] = [...keywordTokens.keys()].filter((k) => !softKeywords.has(k));
