/**
 * Diagnostic codes of the static analyses (compiler/analyses), registered
 * into the one catalogue like ./codes.ts. Each example is a whole program
 * that produces its code when checked.
 */
import { registerCodes, type DiagnosticCodeInfo } from "../../language/diagnostics/codes.ts";
import { EXAMPLE_CATALOG } from "./codes.ts";

function ex(body: string, name = "c", window = "2026-12-01 .. 2026-12-31"): string {
  return `${EXAMPLE_CATALOG}\ncampaign ${name} {\n  uses catalog retail\n  window ${window}\n${body}\n}\n`;
}

export const analysisCodes: DiagnosticCodeInfo[] = [
  {
    code: "A002",
    severity: "error",
    title: "condition no customer can satisfy",
    explanation:
      "The audience (with its exclusions), the trigger condition, or the two together contradict themselves, or a contact policy's `exclude` removes every customer of the audience, so the campaign can never reach anyone. The message names the clauses that conflict. Remember that a comparison on a missing value is false: `not (aum > 5)` also holds for customers without `aum`.",
    example: ex("  trigger on app.login\n  audience aum >= 200k and aum < 50k"),
  },
  {
    code: "A003",
    severity: "warning",
    title: "audience targets everyone",
    explanation: "Every customer satisfies the audience as written, so it selects nothing: the campaign targets everyone. Usually a bound or an `or` is wrong; if everyone is meant, delete the audience.",
    example: ex("  trigger on app.login\n  audience aum >= 10k or aum < 10k or aum is not set"),
  },
  {
    code: "A004",
    severity: "warning",
    title: "wave after the window",
    explanation: "Even a customer who enters at the earliest possible moment (the window's start, or the schedule's first run) is due this wave after the window ends, so it is never sent. Delays add up: each wave's delay counts from the previous wave.",
    example: ex(`  trigger on app.login\n  waves\n    1. app_push "a" now\n    2. sms "b" after 20 days\n    3. sms "c" after 15 days`),
  },
  {
    code: "A005",
    severity: "warning",
    title: "cap below what the waves send",
    explanation:
      "A campaign cap, or a limit of a contact policy the campaign is subject to, allows fewer touches in a period than the campaign's own waves send to one customer in such a period, so some waves are always dropped or moved to another channel (`when capped`). Only waves whose every channel the limit counts are counted. Campaigns that say `when capped: defer` chose to send such touches later and are not reported.",
    example: ex(`  trigger on app.login\n  waves\n    1. app_push "a" now\n    2. sms "b" after 2 hours\n  cap 1 per day`),
  },
  {
    code: "A006",
    severity: "warning",
    title: "wave condition contradicts the audience",
    explanation: "A wave's `only` condition cannot hold for any customer the audience (and trigger condition) admits, so the wave is never sent.",
    example: ex(`  trigger on app.login\n  audience tier = mass\n  waves\n    1. app_push "a" now\n    2. sms "b" after 1 day, only tier >= wealth`),
  },
  {
    code: "A007",
    severity: "warning",
    title: "batch time inside quiet hours",
    explanation: "A batch schedule sends its first wave at a time that falls in the quiet hours of every channel of that wave (its touch and all fallbacks), so nothing can go out when scheduled; the message says when the touch would go instead.",
    example: ex(`  trigger every day at 08:00\n  waves\n    1. sms "a" now`),
  },
  {
    code: "A008",
    severity: "error",
    title: "schedule never runs in the window",
    explanation: "A batch schedule has no run inside the campaign's window: `once at` a time outside it, `every month on day 31` in a window without a 31st, or a weekly schedule on a weekday the window does not contain. No customer can enter.",
    example: ex(`  trigger every month on day 31 at 09:00\n  waves\n    1. sms "a" now`, "c", "2026-02-01 .. 2026-02-28"),
  },
  {
    code: "A011",
    severity: "error",
    title: "budget below one payout",
    explanation: "The total budget, or the budget of one period, is smaller than the cheapest payout the campaign can make (benefit cost × quantity, for constant quantities), so no benefit can ever be paid within it.",
    example: ex(`  trigger on app.login\n  goal purchase within 14 days\n  benefit on goal\n    cash88\n  budget 50 total`),
  },
  {
    code: "A012",
    severity: "warning",
    title: "overlapping benefit tiers",
    explanation: "Two benefit tiers have conditions on the same field that overlap, so one conversion qualifies for both. The message shows such a conversion. Bound the lower tier from above so each conversion falls in exactly one tier.",
    example: ex(`  trigger on app.login\n  goal purchase within 14 days\n  benefit on goal\n    points 500 when amount >= 10k\n    points 2000 when amount >= 50k`),
  },
  {
    code: "A013",
    severity: "warning",
    title: "benefit tiers out of order",
    explanation: "A benefit tier's threshold is lower than that of a tier listed before it. List tiers from the lowest threshold up, so the table reads like the tiers it pays.",
    example: ex(`  trigger on app.login\n  goal purchase within 14 days\n  benefit on goal\n    points 2000 when amount >= 50k and amount < 100k\n    points 500 when amount >= 10k and amount < 50k`),
  },
  {
    code: "A014",
    severity: "warning",
    title: "unarbitrated campaign collision",
    explanation:
      "Two campaigns with the same priority can take the same customer at the same moment: the same trigger event (or batch schedules that run at the same instant), overlapping windows, and audiences a customer can satisfy together. The message shows customers in the overlap. Give one a higher `priority` or make the audiences exclusive.",
    example: `${ex(`  trigger on app.login\n  audience has payroll and aum >= 50k`, "a")}\ncampaign b {\n  uses catalog retail\n  window 2026-12-01 .. 2026-12-31\n  trigger on app.login\n  audience aum between 10k and 200k\n}\n`,
  },
  {
    code: "A015",
    severity: "warning",
    title: "contact pressure above a policy limit",
    explanation:
      "Campaigns under one contact policy can, together, be due more touches to one customer in a day or a week than the policy allows (each campaign counted with its own caps; waves with an `only` condition are not counted). The policy then starves the lowest-priority campaigns; the warning is on them.",
    example: `${ex(`  priority 80\n  trigger on app.login\n  waves\n    1. app_push "a" now\n    2. sms "b" after 1 hour`, "a")}\ncampaign b {\n  uses catalog retail\n  window 2026-12-01 .. 2026-12-31\n  priority 10\n  trigger on purchase\n  waves\n    1. app_push "c" now\n    2. app_push "d" after 1 hour\n}\n`,
  },
];

registerCodes(analysisCodes);
