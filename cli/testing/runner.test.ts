/**
 * Unit tests of the test runner: value conversion, the simulated time line
 * (clock start, inputs before scheduled work, the horizon), engagement
 * feedback, and how expectations are judged.
 */
import { describe, expect, it } from "vitest";
import { checkProgram } from "../../compiler/program.ts";
import { runTests, type TestResult, type TestRunReport } from "./runner.ts";

const CATALOG = `catalog bank {
  timezone "Asia/Shanghai"
  currency CNY
  customer {
    aum money
    tier enum(mass, wealth, premium)
    phone string
    appUser bool
    birthday date
    lastLogin datetime
    zone timezone
    score.p score
    flags tags
  }
  tag payroll
  tag complaint
  tag dnc
  event app.login { device: enum(ios, android) }
  event purchase { product: enum(wealth, deposit), amount: money }
  event app_push.opened { campaignId: string, template: string }
  channel app_push cost 0 quiet 22:00-08:00 address appUser
  channel sms cost 0.05 quiet 21:00-09:00 address phone
  benefit points cost 0.01 each
  contact policy marketing {
    at most 3 per day across all channels
    exclude has dnc
  }
}
`;

function campaign(body: string, tests: string, id = "c"): string {
  return `campaign ${id} {
  uses catalog bank
  window 2026-12-01 .. 2026-12-31
${body}
${tests}
}
`;
}

const LOGIN = `
  audience has payroll
  trigger on app.login
  goal purchase where product = wealth within 14 days
  exit when has complaint
  waves
    1. app_push "p1" now
    2. sms "s1" after 2 days unless converted
    3. app_push "p3" after 1 day unless wave 1 opened
  benefit on goal
    points 2000 when amount >= 50k
    points 10 when amount < 50k
`;

function run(source: string, filter?: string): TestRunReport {
  const program = checkProgram([
    { path: "catalog.campaign", text: CATALOG },
    { path: "c.campaign", text: source },
  ]);
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`).join("\n"));
  return runTests(
    program.campaigns.map((c) => ({ plan: c.plan, decl: c.decl, file: c.file })),
    filter !== undefined ? { filter } : {},
  );
}

function only(report: TestRunReport): TestResult {
  expect(report.results).toHaveLength(1);
  const r = report.results[0];
  if (!r) throw new Error("no result");
  return r;
}

function failedTexts(r: TestResult): string[] {
  return r.expectations.filter((e) => !e.passed).map((e) => e.text);
}

function actions(r: TestResult, customer: string): string[] {
  return (r.customers[customer]?.actions ?? []).map((a) => `${a.time} ${a.text}`);
}

describe("expectations", () => {
  it("matches channel, template and time to the minute, and reports what fails", () => {
    const r = only(
      run(
        campaign(
          LOGIN,
          `test "t" {
    given customer u1 { tags [payroll], appUser true, phone "1" }
    event app.login for u1 at 2026-12-02T21:30 { device ios }
    expect app_push "p1" to u1 at 2026-12-02T21:30
    expect app_push to u1
    expect touch to u1 at 2026-12-05T09:00
    expect sms "s1" to u1 at 2026-12-05T09:00
    expect sms "wrong" to u1
    expect sms "s1" to u1 at 2026-12-04T21:30
    expect no sms to u1 at 2026-12-04T21:30
    expect no sms to u1
  }`,
        ),
      ),
    );
    expect(r.status).toBe("failed");
    expect(failedTexts(r)).toEqual(['expect sms "wrong" to u1', 'expect sms "s1" to u1 at 2026-12-04 21:30', "expect no sms to u1"]);
    const no = r.expectations.find((e) => e.text === "expect no sms to u1");
    expect(no?.offending.map((a) => `${a.time} ${a.text}`)).toEqual(['2026-12-05 09:00 sms "s1" (wave 2)']);
    // Wave 3 after 1 day from the SMS; the push is quiet until 08:00 only, so 09:00 it is.
    expect(actions(r, "u1")).toEqual(['2026-12-02 21:30 app_push "p1" (wave 1)', '2026-12-05 09:00 sms "s1" (wave 2)', '2026-12-06 09:00 app_push "p3" (wave 3)']);
    const journey = (r.customers["u1"]?.journey ?? []).map((j) => `${j.time} ${j.text}`);
    expect(journey).toContain("2026-12-04 21:30 deferral wave 2 sms: quiet-hours: quiet hours of sms 21:00-09:00 (Asia/Shanghai) (until 2026-12-05 09:00)");
  });

  it("checks benefits with and without quantity, and `expect nothing`", () => {
    const r = only(
      run(
        campaign(
          LOGIN,
          `test "t" {
    given customer u1 { tags [payroll], appUser true }
    given customer u2 { appUser true }
    event app.login for u1 at 2026-12-02T10:00 { device ios }
    event app.login for u2 at 2026-12-02T10:00 { device ios }
    event purchase for u1 at 2026-12-03T10:00 { product wealth, amount 60k }
    expect benefit points 2000 to u1 at 2026-12-03T10:00
    expect benefit to u1
    expect benefit points to u1
    expect no benefit points 10 to u1
    expect benefit points 10 to u1
    expect nothing to u2
    expect nothing to u1
  }`,
        ),
      ),
    );
    expect(failedTexts(r)).toEqual(["expect benefit points 10 to u1", "expect nothing to u1"]);
    expect(r.expectations.find((e) => e.text === "expect nothing to u1")?.offending.map((a) => a.text)).toEqual(['app_push "p1" (wave 1)', "benefit points 2000"]);
  });
});

describe("the simulated time line", () => {
  it("processes an input before scheduled work at the same instant", () => {
    const r = only(
      run(
        campaign(
          LOGIN,
          `test "t" {
    given customer u1 { tags [payroll], appUser true, phone "1" }
    event app.login for u1 at 2026-12-02T10:00 { device ios }
    event purchase for u1 at 2026-12-04T10:00 { product wealth, amount 1k }
    expect no sms to u1
    expect benefit points 10 to u1 at 2026-12-04T10:00
  }`,
        ),
      ),
    );
    expect(r.status).toBe("passed");
  });

  it("starts the clock at the first timed step: earlier batch runs do not happen", () => {
    const body = `
  audience has payroll
  trigger every day at 10:00
    again after 1 day
  waves
    1. sms "daily" now
`;
    const r = only(
      run(
        campaign(
          body,
          `test "t" {
    given customer u1 { tags [payroll], phone "1" }
    at 2026-12-05T10:00
    expect sms "daily" to u1 at 2026-12-05T10:00
    expect no sms to u1 at 2026-12-04T10:00
  }`,
        ),
      ),
    );
    expect(r.status).toBe("passed");
    // Only the run at the clock's start instant, none before it and none after the horizon (Dec 5 10:00).
    expect(actions(r, "u1")).toEqual(['2026-12-05 10:00 sms "daily" (wave 1)']);
  });

  it("runs journeys on past the horizon, without new entries", () => {
    const body = `
  audience has payroll
  trigger every day at 10:00
    again after 1 day
  waves
    1. sms "first" now
    2. sms "later" after 3 days
`;
    const r = only(
      run(
        campaign(
          body,
          `test "t" {
    given customer u1 { tags [payroll], phone "1" }
    at 2026-12-01T00:00
    at 2026-12-01T12:00
    expect sms "later" to u1
  }`,
        ),
      ),
    );
    expect(actions(r, "u1")).toEqual(['2026-12-01 10:00 sms "first" (wave 1)', '2026-12-04 10:00 sms "later" (wave 2)']);
    expect(r.status).toBe("passed");
  });

  it("refuses steps that go back in time (X202)", () => {
    const r = only(
      run(
        campaign(
          LOGIN,
          `test "t" {
    given customer u1 { tags [payroll], appUser true }
    event app.login for u1 at 2026-12-03T10:00 { device ios }
    event app.login for u1 at 2026-12-02T10:00 { device ios }
    expect app_push to u1
  }`,
        ),
      ),
    );
    expect(r.status).toBe("failed");
    expect(r.diagnostics.map((d) => [d.code, d.span.line])).toEqual([["X202", 20]]);
  });

  it("an update with a tag list replaces the tag set (here: an exit condition)", () => {
    const r = only(
      run(
        campaign(
          LOGIN,
          `test "t" {
    given customer u1 { tags [payroll], appUser true, phone "1" }
    event app.login for u1 at 2026-12-02T10:00 { device ios }
    update u1 at 2026-12-03T10:00 { flags [payroll, complaint] }
    expect no sms to u1
  }`,
        ),
      ),
    );
    expect(r.status).toBe("passed");
    expect((r.customers["u1"]?.journey ?? []).map((j) => `${j.time} ${j.text}`)).toContain("2026-12-03 10:00 exit: exit condition");
  });
});

describe("engagement feedback", () => {
  const test = (fields: string) => `test "t" {
    given customer u1 { tags [payroll], appUser true, phone "1" }
    event app.login for u1 at 2026-12-02T10:00 { device ios }
    event app_push.opened for u1 at 2026-12-02T11:00 ${fields}
    expect no app_push "p3" to u1
  }`;

  it("an opened event applies to the campaign's latest touch on that channel", () => {
    expect(only(run(campaign(LOGIN, test("")))).status).toBe("passed");
    expect(only(run(campaign(LOGIN, test(`{ campaignId "c", template "p1" }`)))).status).toBe("passed");
  });

  it("applies to nothing when campaignId or template do not match, and says so", () => {
    for (const fields of [`{ campaignId "other" }`, `{ template "nope" }`]) {
      const r = only(run(campaign(LOGIN, test(fields))));
      expect(r.status).toBe("failed");
      expect(r.notes).toEqual(["app_push.opened for u1 at 2026-12-02 11:00 applies to no touch of this campaign"]);
    }
  });
});

describe("values", () => {
  it("reads values by type: money, enum, date, datetime with offset, zone, score, tags", () => {
    const body = `
  audience tier = wealth and aum >= 50k and birthday = 1990-03-14 and lastLogin < 2026-12-01T00:00 and zone = "Europe/London" and score.p >= 50% and has payroll
  trigger on app.login
  waves
    1. app_push "p" now
`;
    const r = only(
      run(
        campaign(
          body,
          `test "t" {
    given customer u1 { tier wealth, aum 50k, birthday 1990-03-14, lastLogin 2026-11-30T23:59+08:00, zone "Europe/London", score.p 50%, flags [payroll], appUser true }
    given customer u2 { tier wealth, aum 50k, birthday 1990-03-14, lastLogin 2026-11-30T16:00Z, zone "Europe/London", score.p 0.5, flags [payroll], appUser true }
    event app.login for u1 at 2026-12-02T10:00 { device ios }
    event app.login for u2 at 2026-12-02T10:00 { device ios }
    expect app_push to u1
    expect no app_push to u2
  }`,
        ),
      ),
    );
    // 16:00Z is midnight in Shanghai: not before the audience's cut-off.
    expect(r.status).toBe("passed");
  });

  it("reports values that do not fit, located (X201), and unknown tags and update attributes (X203)", () => {
    const r = only(
      run(
        campaign(
          LOGIN,
          `test "t" {
    given customer u1 { tier gold, aum "lots", birthday 2026-12-01T10:00, score.p 1.5, flags [payroll, vip], phone 138 }
    event purchase for u1 at 2026-12-02T10:00 { product wealth, amount 10 USD }
    update u1 at 2026-12-03T10:00 { balance 5 }
    expect nothing to u1
  }`,
        ),
      ),
    );
    expect(r.status).toBe("failed");
    expect(r.expectations).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`)).toEqual([
      "X201 18:30 `gold` is not a value of attribute `tier`: expected one of mass, wealth, premium",
      'X201 18:40 attribute `aum` is money (CNY): expected an amount such as `50k`, got the string "lots"',
      "X201 18:57 attribute `birthday` is date: expected a date `YYYY-MM-DD`, got the date-time `2026-12-01T10:00`",
      "X201 18:83 attribute `score.p` is a score, from 0 to 1; the number `1.5` is outside that range",
      "X203 18:104 unknown tag `vip`",
      "X201 18:116 attribute `phone` is string: expected a quoted string, got the number `138`",
      "X201 19:72 field `amount` of `purchase` is money in CNY, but the value is in USD",
      "X203 20:37 unknown customer attribute `balance`",
    ]);
  });
});

describe("selection", () => {
  it("runs only tests whose title contains the filter", () => {
    const tests = `test "alpha one" {
    given customer u1 { tags [payroll], appUser true }
    event app.login for u1 at 2026-12-02T10:00 { device ios }
    expect app_push to u1
  }
  test "beta" {
    given customer u1 { appUser true }
    event app.login for u1 at 2026-12-02T10:00 { device ios }
    expect app_push to u1
  }`;
    const all = run(campaign(LOGIN, tests));
    expect([all.passed, all.failed]).toEqual([1, 1]);
    const some = run(campaign(LOGIN, tests), "alpha");
    expect(some.results.map((r) => r.title)).toEqual(["alpha one"]);
    expect([some.passed, some.failed]).toEqual([1, 0]);
  });
});
