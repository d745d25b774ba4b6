/**
 * The compiler's diagnostic codes (names N, types T, analyses A, plans P),
 * registered into the one catalogue in language/diagnostics/codes.ts.
 * Each example is a whole program (catalog plus campaign) that produces the
 * code when checked; a test runs every example.
 */
import { registerCodes, type DiagnosticCodeInfo } from "../../language/diagnostics/codes.ts";

/** A small catalog the examples share. */
export const EXAMPLE_CATALOG = `catalog retail {
  timezone "Asia/Shanghai"
  currency CNY
  customer {
    aum money
    age int
    tier enum(mass, wealth, premium, private)
    lastLogin datetime
    birthday date
    branch string
    zone timezone
  }
  tag payroll "代发工资客户"
  tag staff "本行员工"
  event app.login { device: enum(ios, android, web) }
  event purchase { product: enum(wealth, deposit, fund), amount: money }
  channel app_push cost 0 quiet 22:00-08:00
  channel sms cost 0.05 quiet 21:00-09:00 capacity 200000 per day
  benefit points cost 0.01 each
  benefit cash88 cost 88
  contact policy marketing {
    at most 3 per day, 5 per week across all channels
  }
}
`;

/** Wraps campaign clauses into a complete example program. */
function ex(body: string, name = "c"): string {
  return `${EXAMPLE_CATALOG}\ncampaign ${name} {\n  uses catalog retail\n  window 2026-12-01 .. 2026-12-31\n${body}\n}\n`;
}

const TRIGGER = "  trigger on app.login";

export const compilerCodes: DiagnosticCodeInfo[] = [
  { code: "N001", severity: "error", title: "unknown catalog", explanation: "`uses catalog NAME` names a catalog that is not among the files given to the command. Pass the catalog file too, or fix the name.", example: `campaign c {\n  uses catalog retial\n}\n` },
  { code: "N002", severity: "error", title: "campaign names no catalog", explanation: "Every campaign says which catalog its names come from with `uses catalog NAME`.", example: `${EXAMPLE_CATALOG}\ncampaign c {\n  window 2026-12-01 .. 2026-12-31\n}\n` },
  { code: "N003", severity: "error", title: "unknown attribute or field", explanation: "A name in an expression is neither a customer attribute of the catalog nor a field of the event in context. The fix offers the nearest known name.", example: ex(`${TRIGGER}\n  audience aun > 10k`) },
  { code: "N004", severity: "error", title: "unknown tag", explanation: "`has NAME` names a tag the catalog does not declare.", example: ex(`${TRIGGER}\n  audience has payrol`) },
  { code: "N005", severity: "error", title: "unknown event", explanation: "A trigger, goal, exit or test names an event the catalog does not declare.", example: ex(`  trigger on app.logon`) },
  { code: "N006", severity: "error", title: "unknown event field", explanation: "A test gives an event a field its catalog type does not have.", example: ex(`${TRIGGER}\n  test "t" {\n    given customer c1 { aum 1k }\n    event app.login for c1 at 2026-12-02T10:00 { devise ios }\n    expect nothing to c1\n  }`) },
  { code: "N007", severity: "error", title: "unknown channel", explanation: "A wave, fallback, cap or test names a channel the catalog does not declare.", example: ex(`${TRIGGER}\n  waves\n    1. smss "x" now`) },
  { code: "N008", severity: "error", title: "unknown benefit", explanation: "A benefit tier or test names a benefit the catalog does not declare.", example: ex(`${TRIGGER}\n  goal purchase within 14 days\n  benefit on goal\n    point 100`) },
  { code: "N009", severity: "error", title: "unknown segment", explanation: "`segment NAME` names no segment of the catalog, of a used segments library, or of the campaign.", example: ex(`${TRIGGER}\n  audience segment high_value`) },
  { code: "N010", severity: "error", title: "unknown contact policy", explanation: "`policy NAME` names no contact policy of the catalog.", example: ex(`${TRIGGER}\n  policy marketting`) },
  { code: "N011", severity: "error", title: "declared twice", explanation: "Two declarations of the same kind share a name in one scope (attributes, tags, events, channels, benefits, policies, segments, enum values).", example: `catalog retail {\n  timezone "Asia/Shanghai"\n  tag payroll\n  tag payroll\n}\n` },
  { code: "N013", severity: "error", title: "variant template mismatch", explanation: "A per-variant template names a variant the campaign does not declare, or leaves a declared variant without a template.", example: ex(`${TRIGGER}\n  variants { a 50%, b 50% }\n  waves\n    1. sms { a "x", c "y" } now`) },
  { code: "N014", severity: "error", title: "unknown segments library", explanation: "`uses segments NAME` names no `segments` block among the files given.", example: ex(`${TRIGGER}\n  uses segments comon`) },
  { code: "N015", severity: "error", title: "catalog or library declared twice", explanation: "Two files declare a catalog (or a segments library) with the same name.", example: `catalog retail {\n  timezone "Asia/Shanghai"\n}\ncatalog retail {\n  timezone "Asia/Shanghai"\n}\n` },
  { code: "N017", severity: "error", title: "test customer not given", explanation: "A test step names a customer that no earlier `given customer` step declares.", example: ex(`${TRIGGER}\n  test "t" {\n    event app.login for c9 at 2026-12-02T10:00\n    expect nothing to c9\n  }`) },
  { code: "N019", severity: "error", title: "segment cycle", explanation: "A segment refers to itself, directly or through other segments.", example: ex(`${TRIGGER}\n  segment a = segment b\n  segment b = segment a\n  audience segment a`) },
  { code: "N020", severity: "warning", title: "catalog without time zone", explanation: "A catalog states no `timezone`; Asia/Shanghai is assumed for calendar periods, `today` and quiet hours.", example: `catalog retail {\n  currency CNY\n}\n` },
  { code: "N021", severity: "warning", title: "customer time without a zone attribute", explanation: "`customer time` reads each customer's zone from the catalog's attribute of type `timezone`; without one the bank's zone is used for everyone.", example: `catalog r {\n  timezone "Asia/Shanghai"\n  customer { aum money }\n}\ncampaign c {\n  uses catalog r\n  window 2026-12-01 .. 2026-12-31\n  trigger every day at 09:00 customer time\n}\n` },
  { code: "T001", severity: "error", title: "incompatible types", explanation: "A comparison, list or arithmetic mixes types that cannot meet: money with a plain number attribute, a date with a number, an enum with another enum, tags with anything (tags are tested with `has`).", example: ex(`${TRIGGER}\n  audience aum > age`) },
  { code: "T002", severity: "error", title: "currency mismatch", explanation: "Money is compared or combined only with money in the same currency.", example: ex(`${TRIGGER}\n  audience aum > 100 USD`) },
  { code: "T003", severity: "error", title: "not a value of the enum", explanation: "An enum is compared with, or listed against, a name that is not one of its values. Ordering comparisons (`tier >= wealth`) follow the order of declaration.", example: ex(`${TRIGGER}\n  audience tier >= welth`) },
  { code: "T004", severity: "error", title: "relative time on a non-date", explanation: "`within`, `more than ... ago`, `is today` and `anniversary` apply only to date and date-time attributes or fields.", example: ex(`${TRIGGER}\n  audience aum within 90 days`) },
  { code: "T005", severity: "error", title: "invalid arithmetic", explanation: "Arithmetic works on numbers and amounts (amount ± amount in one currency, amount × number, amount ÷ number, amount ÷ amount), and on time only as `now ± duration` or `today ± duration`.", example: ex(`${TRIGGER}\n  audience aum * aum > 10k`) },
  { code: "T006", severity: "error", title: "not a condition", explanation: "A value stands where a condition is needed (`audience aum`). Compare it with something; a bool attribute alone is a condition.", example: ex(`${TRIGGER}\n  audience aum`) },
  { code: "T008", severity: "error", title: "ordering on text", explanation: "`<`, `<=`, `>`, `>=` do not apply to strings, bools or time zones; only `=` and `!=` do.", example: ex(`${TRIGGER}\n  audience branch > "B01"`) },
  { code: "T009", severity: "error", title: "ambiguous or invalid period", explanation: "A cap or budget period is either calendar (`day`, `week` = ISO week, `month`, in the catalog zone or `in \"Zone\"`) or rolling (`rolling 24 hours`, `rolling 7 days`). A bare duration such as `per 7 days` could mean either and is refused, with both readings as fixes.", example: ex(`${TRIGGER}\n  cap 2 per 7 days`) },
  { code: "T010", severity: "error", title: "unknown time zone", explanation: "A time zone is not a known IANA zone name.", example: `catalog retail {\n  timezone "Asia/Shangai"\n}\n` },
  { code: "T011", severity: "error", title: "field out of context", explanation: "An event's payload fields can be read only in conditions on that event (trigger `where`, goal `where`, exit `on ... where`, benefit tiers); an event's `value` can read only its own fields.", example: `catalog r {\n  timezone "Asia/Shanghai"\n  customer { aum money }\n  event purchase { amount: money } value aum\n}\n` },
  { code: "T012", severity: "error", title: "wave reads what is not yet known", explanation: "A wave condition is decided when the wave is due: it may read customer attributes and the trigger event's fields, not the goal event's fields.", example: ex(`${TRIGGER}\n  goal purchase within 14 days\n  waves\n    1. sms "x" now, only product = wealth`) },
  { code: "T013", severity: "error", title: "list value is not a constant", explanation: "The values of `in (...)` are constants of the subject's type.", example: ex(`${TRIGGER}\n  audience age in (age, 30)`) },
  { code: "T014", severity: "error", title: "duration used as a point in time", explanation: "A duration is compared only through relative time: `lastLogin within 90 days`, `lastLogin more than 90 days ago`, or `lastLogin < now - 90 days`.", example: ex(`${TRIGGER}\n  audience lastLogin > 90 days`) },
  { code: "T015", severity: "error", title: "percentage misused", explanation: "A percentage compares with a score or number; a share of an amount is written `50% of aum`.", example: ex(`${TRIGGER}\n  audience aum > 50%`) },
  { code: "T016", severity: "error", title: "invalid duration", explanation: "Durations are whole, non-negative numbers of units; dates move in days or longer; anniversary windows are whole days or weeks up to a year.", example: ex(`${TRIGGER}\n  audience birthday within 36 hours`) },
  { code: "T017", severity: "error", title: "invalid currency code", explanation: "A currency is an ISO 4217 code of three capital letters.", example: `catalog retail {\n  timezone "Asia/Shanghai"\n  currency rmb\n}\n` },
  { code: "T018", severity: "error", title: "invalid count or amount", explanation: "Caps and capacities are whole non-negative counts; costs are not negative; budgets are positive; a day of month is 1-31.", example: ex(`${TRIGGER}\n  cap 1.5 per day`) },
  { code: "T019", severity: "error", title: "empty quiet hours", explanation: "Quiet hours from a time to the same time are empty. To forbid a channel all day write `00:00-24:00`.", example: `catalog r {\n  timezone "Asia/Shanghai"\n  channel sms cost 0.05 quiet 21:00-21:00\n}\n` },
  { code: "T020", severity: "error", title: "campaign without window", explanation: "A campaign states when it runs: `window START .. END` (dates in the catalog zone; the end date is included).", example: `${EXAMPLE_CATALOG}\ncampaign c {\n  uses catalog retail\n  trigger on app.login\n}\n` },
  { code: "T021", severity: "error", title: "campaign without trigger", explanation: "A campaign states when customers enter it: `trigger on EVENT ...` or a schedule (`trigger every day at 09:00`).", example: `${EXAMPLE_CATALOG}\ncampaign c {\n  uses catalog retail\n  window 2026-12-01 .. 2026-12-31\n}\n` },
  { code: "T022", severity: "error", title: "unless refers to no earlier wave", explanation: "`unless opened` / `unless clicked` refer to the previous wave's touch, or to `wave N` before this one.", example: ex(`${TRIGGER}\n  waves\n    1. sms "x" now unless opened`) },
  { code: "T023", severity: "error", title: "empty template", explanation: "A touch names the template it sends; an empty name is an error.", example: ex(`${TRIGGER}\n  waves\n    1. sms "" now`) },
  { code: "A001", severity: "error", title: "duplicate campaign id", explanation: "Two campaigns among the files given to one check share an id; ids key the runtime's state, so they must be unique.", example: `${ex(TRIGGER, "c")}\ncampaign c {\n  uses catalog retail\n  window 2026-12-01 .. 2026-12-31\n${TRIGGER}\n}\n` },
  { code: "A009", severity: "error", title: "window ends before it starts", explanation: "The end of the window is before its start, so the campaign can never run.", example: `${EXAMPLE_CATALOG}\ncampaign c {\n  uses catalog retail\n  window 2026-12-31 .. 2026-12-01\n${TRIGGER}\n}\n` },
  { code: "A010", severity: "warning", title: "benefit without goal", explanation: "Benefits are paid when the goal is reached; without a `goal` they are never paid.", example: ex(`${TRIGGER}\n  benefit on goal\n    points 100`) },
];

registerCodes(compilerCodes);
