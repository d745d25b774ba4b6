/**
 * A small catalog and one campaign using every plan section, shared by the
 * `campaign diff` tests (cli/diff/*.test.ts, tests/cli/diff.test.ts). Tests
 * edit the campaign text and compare the plans.
 */
import { hasErrors } from "../../language/diagnostics/diagnostic.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { checkProgram } from "../../compiler/program.ts";

export const FIXTURE_CATALOG = `catalog bank {
  timezone "Asia/Shanghai"
  currency CNY
  customer {
    aum       money
    age       int
    tier      enum(mass, wealth, premium)
    lastLogin datetime
    mobile    string
    appUser   bool
  }
  tag payroll
  tag staff
  tag dnc
  event app.login { device: enum(ios, android) }
  event purchase { amount: money, product: enum(wealth, deposit) }
  event complaint.filed { category: string }
  channel app_push cost 0 quiet 22:00-08:00 address appUser
  channel sms cost 0.05 quiet 21:00-09:00 address mobile
  benefit points cost 0.01 each
  benefit cash88 cost 88
  contact policy marketing {
    at most 3 per day across all channels
  }
  contact policy care {
    at most 2 per day across all channels
  }
  segment wealthy = aum >= 50k
}
`;

export const FIXTURE_CAMPAIGN = `campaign wake "唤醒" {
  uses catalog bank
  window 2026-07-01 .. 2026-09-30
  priority 40
  policy marketing
  audience aum >= 1k and age between 18 and 70 and has payroll
  exclude has staff
  trigger on app.login where device = ios
    once per customer
  goal purchase where amount >= 10k within 14 days
  exit on complaint.filed
  waves
    1. app_push { a "p1a", b "p1b" } now
    2. sms "s1" after 3 days unless converted
  benefit on goal
    points 300 when amount < 50k
    points 1000 when amount >= 50k
    once per customer
  cap 2 per week across all channels
  when capped: drop
  budget 60k total, 2k per week, paced evenly
    when spent: stop entry
  holdout 5% salt "h1"
  variants { a 50%, b 50% } salt "v1"
}
`;

/** Replaces `from` by `to` in `text`, failing when `from` is not there (so an edit cannot silently do nothing). */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the fixture has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** Checks the catalog and a campaign text and returns the campaign's plan; throws on errors. */
export function planOf(campaign: string, catalog: string = FIXTURE_CATALOG, path = "wake.campaign"): Plan {
  const program = checkProgram([
    { path: "catalog.campaign", text: catalog },
    { path, text: campaign },
  ]);
  if (hasErrors(program.diagnostics)) throw new Error(`fixture does not check: ${program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`).join("; ")}`);
  const found = program.campaigns[0];
  if (!found) throw new Error("fixture declares no campaign");
  return found.plan;
}
