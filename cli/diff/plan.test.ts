/**
 * The plan diff of `campaign diff`, section by section, on pairs of small
 * programs: the fixture campaign and an edited copy.
 */
import { describe, expect, it } from "vitest";
import { diffPlans } from "./plan.ts";
import { FIXTURE_CAMPAIGN as C, FIXTURE_CATALOG as K, edit, planOf } from "./testFixture.ts";
import type { Change, SectionDiff, SectionName } from "./types.ts";

const base = planOf(C);

function diffTo(campaign: string, catalog: string = K): SectionDiff[] {
  return diffPlans(base, planOf(campaign, catalog));
}

/** The changes of one section as `kind item: old → new` lines, easy to compare. */
function lines(d: readonly SectionDiff[], section: SectionName): string[] {
  const s = d.find((x) => x.section === section);
  return (s?.changes ?? []).map(show);
}

function show(c: Change): string {
  const item = c.item === "" ? "" : `${c.item}: `;
  if (c.kind === "added") return `+ ${item}${c.new}`;
  if (c.kind === "removed") return `- ${item}${c.old}`;
  return `~ ${item}${c.old} → ${c.new}`;
}

function sections(d: readonly SectionDiff[]): SectionName[] {
  return d.map((s) => s.section);
}

describe("no changes", () => {
  it("equal plans have no differences", () => {
    expect(diffPlans(base, planOf(C))).toEqual([]);
  });

  it("ignores the source file, its hash, comments, layout and clause order in the audience", () => {
    const other = `// a comment\n${edit(C, "audience aum >= 1k and age between 18 and 70 and has payroll", "audience\n    has payroll\n    and age between 18 and 70\n    and aum >= 1k")}`;
    const plan = planOf(other, `// catalog\n${K}`, "elsewhere/wake2.campaign");
    expect(plan.campaign.sourceHash).not.toBe(base.campaign.sourceHash);
    expect(plan.catalog.hash).not.toBe(base.catalog.hash);
    expect(diffPlans(base, plan)).toEqual([]);
  });

  it("compares the window's instants, not its text", () => {
    const plan = planOf(edit(C, "window 2026-07-01 .. 2026-09-30", "window 2026-07-01T00:00 .. 2026-09-30"));
    expect(plan.campaign.window.text).not.toBe(base.campaign.window.text);
    expect(diffPlans(base, plan)).toEqual([]);
  });
});

describe("campaign, window and priority", () => {
  it("label", () => {
    expect(lines(diffTo(edit(C, 'campaign wake "唤醒"', 'campaign wake "休眠唤醒"')), "campaign")).toEqual(['~ label: "唤醒" → "休眠唤醒"']);
  });

  it("window", () => {
    const d = diffTo(edit(C, "2026-09-30", "2026-10-31"));
    expect(sections(d)).toEqual(["window"]);
    expect(lines(d, "window")).toEqual(["~ 2026-07-01 .. 2026-09-30 → 2026-07-01 .. 2026-10-31"]);
  });

  it("priority", () => {
    expect(lines(diffTo(edit(C, "priority 40", "priority 60")), "priority")).toEqual(["~ 40 → 60"]);
  });
});

describe("audience, clause by clause", () => {
  it("a changed threshold, a removed tag and an added clause", () => {
    const d = diffTo(edit(C, "audience aum >= 1k and age between 18 and 70 and has payroll", "audience aum >= 5k and age between 18 and 70 and tier = wealth"));
    expect(sections(d)).toEqual(["audience"]);
    expect(lines(d, "audience")).toEqual(["~ aum ≥ 1,000 → aum ≥ 5,000", "- has payroll", '+ tier = "wealth"']);
  });

  it("one bound of a range", () => {
    const d = diffTo(edit(C, "age between 18 and 70", "age between 21 and 70"));
    expect(lines(d, "audience")).toEqual(["~ age ≥ 18 → age ≥ 21"]);
  });

  it("a compound clause in words", () => {
    const d = diffTo(edit(C, "and has payroll", "and (has payroll or tier in (wealth, premium))"));
    expect(lines(d, "audience")).toEqual(["~ has payroll → has payroll or tier in (wealth, premium)"]);
  });

  it("a segment whose definition changed is shown with what it stands for", () => {
    const campaign = edit(C, "and has payroll", "and segment wealthy");
    const before = planOf(campaign);
    const after = planOf(campaign, edit(K, "segment wealthy = aum >= 50k", "segment wealthy = aum >= 100k"));
    expect(lines(diffPlans(before, after), "audience")).toEqual(["~ segment wealthy (= aum ≥ 50,000) → segment wealthy (= aum ≥ 100,000)"]);
  });

  it("exclusions are their own section", () => {
    const d = diffTo(edit(C, "exclude has staff", "exclude has staff or has dnc"));
    expect(sections(d)).toEqual(["exclusions"]);
    expect(lines(d, "exclusions")).toEqual(["+ has dnc"]);
    const removed = diffTo(edit(C, "  exclude has staff\n", ""));
    expect(lines(removed, "exclusions")).toEqual(["- has staff"]);
    expect(lines(removed, "audience")).toEqual([]);
  });
});

describe("trigger, entry, goal and exits", () => {
  it("the trigger's condition", () => {
    expect(lines(diffTo(edit(C, "where device = ios", "where device = android")), "trigger")).toEqual(['~ condition: device = "ios" → device = "android"'.replace(/device/g, "event.device")]);
  });

  it("an event trigger becoming a schedule", () => {
    const d = diffTo(edit(C, "trigger on app.login where device = ios", "trigger every day at 10:00 bank time"));
    expect(lines(d, "trigger")).toEqual(['~ on app.login where event.device = "ios" → every day at 10:00 bank time']);
  });

  it("an absence pattern", () => {
    const d = diffTo(edit(C, "where device = ios\n", "where device = ios and no purchase within 3 days\n"));
    expect(lines(d, "trigger")).toEqual(["+ absence: no purchase within 3 days"]);
  });

  it("the entry rule", () => {
    expect(lines(diffTo(edit(C, "once per customer\n  goal", "again after 30 days\n  goal")), "entry")).toEqual(["~ entry rule: once per customer → again after 30 days"]);
  });

  it("the goal's condition and attribution window", () => {
    const d = diffTo(edit(C, "goal purchase where amount >= 10k within 14 days", "goal purchase where amount >= 20k within 30 days of first touch"));
    expect(lines(d, "goal")).toEqual(["~ condition: event.amount ≥ 10,000 → event.amount ≥ 20,000", "~ attribution window: 14 days of entry → 30 days of first touch"]);
  });

  it("a goal of another kind", () => {
    const changeGoal = edit(edit(C, "goal purchase where amount >= 10k within 14 days", "goal aum up by at least 10k within 30 days"), "points 300 when amount < 50k\n    points 1000 when amount >= 50k", "points 300");
    const d = diffTo(changeGoal);
    expect(lines(d, "goal")).toEqual(["~ purchase where event.amount ≥ 10,000 within 14 days of entry → aum up by at least 10,000 within 30 days of entry"]);
  });

  it("exits", () => {
    const d = diffTo(edit(C, "exit on complaint.filed", 'exit on complaint.filed where category = "fees"\n  exit when aum < 100'));
    expect(lines(d, "exits")).toEqual(['~ exit 1: on complaint.filed → on complaint.filed where event.category = "fees"', "+ exit 2: when aum < 100"]);
  });
});

describe("waves", () => {
  it("channel, template, delay, at, conditions and fallbacks of a changed wave", () => {
    const d = diffTo(edit(C, '2. sms "s1" after 3 days unless converted', '2. app_push "s2" after 5 days at 09:30 unless converted, only aum >= 10k else sms "s1"'));
    expect(sections(d)).toEqual(["waves"]);
    expect(lines(d, "waves")).toEqual([
      "~ wave 2 channel: sms → app_push",
      '~ wave 2 template: "s1" → "s2"',
      "~ wave 2 delay: after 3 days → after 5 days",
      "+ wave 2 at: 09:30",
      "~ wave 2 conditions: unless converted → unless converted, only aum ≥ 10,000",
      '~ wave 2 fallbacks: none → else sms "s1"',
    ]);
  });

  it("variant templates", () => {
    expect(lines(diffTo(edit(C, '{ a "p1a", b "p1b" }', '{ a "p1a", b "p1c" }')), "waves")).toEqual(['~ wave 1 template: { a "p1a", b "p1b" } → { a "p1a", b "p1c" }']);
  });

  it("an added wave", () => {
    const d = diffTo(edit(C, "after 3 days unless converted\n", 'after 3 days unless converted\n    3. sms "s3" after 7 days unless wave 1 opened\n'));
    expect(lines(d, "waves")).toEqual(['+ wave 3: sms "s3" after 7 days unless wave 1 opened']);
  });

  it("a removed first wave does not report the renumbered waves after it", () => {
    const d = diffTo(edit(C, '    1. app_push { a "p1a", b "p1b" } now\n    2. sms', "    1. sms"));
    expect(lines(d, "waves")).toEqual(['- wave 1: app_push { a "p1a", b "p1b" } now']);
  });
});

describe("benefits, caps and budget", () => {
  it("a tier, an added tier and the limit", () => {
    const d = diffTo(edit(C, "points 1000 when amount >= 50k\n    once per customer", "points 2000 when amount >= 50k\n    cash88 when amount >= 200k\n    at most 2 per customer"));
    expect(lines(d, "benefits")).toEqual([
      "~ tier 2: points 1,000 when event.amount ≥ 50,000 → points 2,000 when event.amount ≥ 50,000",
      "+ tier 3: cash88 1 when event.amount ≥ 200,000",
      "~ limit: once per customer → at most 2 times per customer",
    ]);
  });

  it("the benefit removed", () => {
    const d = diffTo(edit(C, "  benefit on goal\n    points 300 when amount < 50k\n    points 1000 when amount >= 50k\n    once per customer\n", ""));
    expect(lines(d, "benefits")).toEqual(["- benefit: points 300 when event.amount < 50,000; points 1,000 when event.amount ≥ 50,000; once per customer"]);
  });

  it("caps and when capped", () => {
    const d = diffTo(edit(C, "cap 2 per week across all channels\n  when capped: drop", "cap 3 per week, 1 per day across all channels\n  when capped: defer"));
    expect(lines(d, "caps")).toEqual(["~ cap: at most 2 per week across all channels → at most 3 per week across all channels", "+ cap: at most 1 per day across all channels", "~ when capped: drop → defer"]);
  });

  it("total, per period, pacing and when spent", () => {
    const d = diffTo(edit(C, "budget 60k total, 2k per week, paced evenly\n    when spent: stop entry", "budget 80k total, 3k per week, 500 per day, paced by curve (50%, 50%)\n    when spent: stop all"));
    expect(lines(d, "budget")).toEqual([
      "~ total: 60,000 → 80,000",
      "~ per period: 2,000 per week → 3,000 per week",
      "+ per period: 500 per day",
      "~ pacing: paced evenly → paced by curve (50%, 50%)",
      "~ when spent: stop entry → stop entry and benefits",
    ]);
  });
});

describe("holdout, variants, policies and catalog", () => {
  it("holdout share and salt", () => {
    expect(lines(diffTo(edit(C, 'holdout 5% salt "h1"', 'holdout 10% salt "h2"')), "holdout")).toEqual(["~ share: 5% → 10%", '~ salt: "h1" → "h2"']);
  });

  it("variant weights and salt", () => {
    expect(lines(diffTo(edit(C, 'variants { a 50%, b 50% } salt "v1"', 'variants { a 70%, b 30% } salt "v2"')), "variants")).toEqual([
      "~ variant a weight: 50% → 70%",
      "~ variant b weight: 50% → 30%",
      '~ salt: "v1" → "v2"',
    ]);
  });

  it("policies", () => {
    expect(lines(diffTo(edit(C, "policy marketing", "policy care")), "policies")).toEqual(["- policy: marketing", "+ policy: care"]);
  });

  it("catalog parts the runtime uses", () => {
    const d = diffTo(C, edit(K, "channel sms cost 0.05", "channel sms cost 0.08"));
    expect(sections(d)).toEqual(["catalog"]);
    expect(lines(d, "catalog")).toEqual(["~ channel sms: cost 0.05, quiet 21:00-09:00, address mobile → cost 0.08, quiet 21:00-09:00, address mobile"]);
  });

  it("every change carries the plan's own JSON for both sides", () => {
    const d = diffTo(edit(C, 'holdout 5% salt "h1"', 'holdout 10% salt "h1"'));
    expect(d).toEqual([{ section: "holdout", changes: [{ kind: "changed", item: "share", old: "5%", new: "10%", oldValue: 0.05, newValue: 0.1 }] }]);
  });
});
