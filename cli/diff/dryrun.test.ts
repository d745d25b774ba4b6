/**
 * The dry-run deltas of `campaign diff --data` (./dryrun.ts) on campaign
 * reports of the dry-run's golden file (tests/dryrun/golden-examples.json):
 * differences and relative changes, names on one side only, a budget on one
 * side only, and the text rendering. The end-to-end check against separate
 * `campaign dry-run`s is tests/cli/diff-dryrun.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { reportSchema, type CampaignReport } from "../dryrun/schema.ts";
import { campaignDryRun, delta, dryRunSummary } from "./dryrun.ts";
import { dryRunLines } from "./render.ts";

const golden = reportSchema.parse(JSON.parse(readFileSync(new URL("../../tests/dryrun/golden-examples.json", import.meta.url), "utf8")));

function campaign(id: string): CampaignReport {
  const c = golden.campaigns.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id} in the golden report`);
  return c;
}

describe("delta", () => {
  it("gives the difference and the relative change, null from 0", () => {
    expect(delta(200, 250)).toEqual({ old: 200, new: 250, difference: 50, relative: 0.25 });
    expect(delta(0, 7)).toEqual({ old: 0, new: 7, difference: 7, relative: null });
    expect(delta(0, 0)).toEqual({ old: 0, new: 0, difference: 0, relative: null });
    expect(delta(4, 0)).toEqual({ old: 4, new: 0, difference: -4, relative: -1 });
  });

  it("rounds money differences to the cent", () => {
    expect(delta(0.1, 0.3, true).difference).toBe(0.2);
    expect(delta(578.7, 583.22, true).difference).toBe(4.52);
  });
});

describe("campaignDryRun", () => {
  it("a report against itself: nothing changed, every difference 0", () => {
    const c = campaign("pension_care");
    const d = campaignDryRun(c, c);
    expect(d.changed).toBe(false);
    expect(d.touches.total).toEqual({ old: c.touches.total, new: c.touches.total, difference: 0, relative: 0 });
    expect(d.budget?.burn?.difference).toBe(0);
    expect(dryRunLines(d)).toEqual([`dry-run: the same on both sides: audience ${c.audience.size}, entries ${c.entries.total}, touches ${c.touches.total}, cost ${c.cost.total.toFixed(2)}, budget spent ${c.budget?.spent.toFixed(2)}`]);
  });

  it("names on one side count 0 on the other; a budget on one side only", () => {
    const a = campaign("birthday_care"); // no budget; app_push and rm_task
    const b = campaign("deposit_maturity_followup"); // a budget; app_push, rm_task, sms, wechat
    const d = campaignDryRun(a, b);
    expect(d.changed).toBe(true);
    expect(Object.keys(d.touches.byChannel)).toEqual(["app_push", "rm_task", "sms", "wechat"]);
    expect(d.touches.byChannel["sms"]).toEqual({ old: 0, new: b.touches.byChannel["sms"], difference: b.touches.byChannel["sms"], relative: null });
    expect(d.budget?.old).toBeNull();
    expect(d.budget?.new?.total).toBe(b.budget?.total);
    expect(d.budget?.spent.old).toBe(a.cost.benefits);
    expect(d.budget?.burn).toBeNull();
    const lines = dryRunLines(d);
    expect(lines[0]).toMatch(/^dry-run +old +new +difference$/);
    expect(lines).toContainEqual(expect.stringMatching(/^budget total +- +\d[\d,]*\.\d\d +added$/));
  });

  it("no budget on either side: budget null", () => {
    const a = campaign("birthday_care");
    expect(campaignDryRun(a, a).budget).toBeNull();
  });
});

describe("dryRunSummary", () => {
  it("totals and the period of the two reports", () => {
    const s = dryRunSummary(golden, golden);
    expect(s.ran).toBe(true);
    expect(s.period.days).toBe(golden.period.days.length);
    expect(s.totals.touches).toEqual({ old: golden.totals.touches, new: golden.totals.touches, difference: 0, relative: 0 });
    expect(s.campaigns).toEqual({ old: golden.campaigns.length, new: golden.campaigns.length });
  });
});
