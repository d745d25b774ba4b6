/**
 * `campaign diff` as a process: the text report, `--json`, `--data` on a
 * generated customer database, `--catalog` and comma-separated sides, and
 * the exit codes (0 diffed, 1 errors on a side or bad data, 2 bad usage).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createCustomerTables, insertCustomers } from "../../compiler/data/load.ts";
import { inHoldout } from "../../runtime/policies/assignment.ts";
import { FIXTURE_CAMPAIGN as C, FIXTURE_CATALOG as K, edit, planOf } from "../../cli/diff/testFixture.ts";
import { NO_DATA_NOTE } from "../../cli/diff/render.ts";
import type { DiffReport } from "../../cli/diff/types.ts";
import { project, removeProjects, runCli } from "./run.ts";

afterAll(removeProjects);

const CHANGED = edit(edit(C, "aum >= 1k", "aum >= 5k"), 'holdout 5% salt "h1"', 'holdout 10% salt "h1"');

/** old/ and new/ each with the catalog and a version of the campaign. */
function twoSides(oldCampaign: string, newCampaign: string, extra: Record<string, string> = {}): string {
  return project({
    "old/catalog.campaign": K,
    "old/wake.campaign": oldCampaign,
    "new/catalog.campaign": K,
    "new/wake.campaign": newCampaign,
    ...extra,
  });
}

describe("campaign diff", () => {
  it("prints the changes by section with -/+ lines and the reassignment warning; exit 0", () => {
    const dir = twoSides(C, CHANGED);
    const r = runCli(["diff", "old", "new"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(['campaign wake "唤醒": 2 changes', "  audience", "    - aum ≥ 1,000", "    + aum ≥ 5,000", "  holdout", "    - share: 5%", "    + share: 10%"].join("\n"));
    expect(r.stdout).toContain("  warning: raising the holdout from 5% to 10% moves about 5% of customers from treated to holdout\n");
    expect(r.stdout).toMatch(/1 campaign compared: 1 changed, 0 unchanged; 0 added, 0 removed; 1 reassignment warning\n$/);
    // No --data: no dry-run section, and a note saying how to get one.
    expect(r.stdout).not.toContain("dry-run over");
    expect(r.stdout).not.toMatch(/^ {4}dry-run/m);
    expect(r.stdout).toContain(`\n${NO_DATA_NOTE}\n\n1 campaign compared`);
  });

  it("says `no changes` for the same campaign in another file, and exits 0", () => {
    const dir = project({ "catalog.campaign": K, "a/wake.campaign": C, "b/wake.campaign": `// reformatted\n${C}` });
    const r = runCli(["diff", "a/wake.campaign", "b/wake.campaign", "--catalog", "catalog.campaign"], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`campaign wake "唤醒": no changes\n\n${NO_DATA_NOTE}\n\n1 campaign compared: 0 changed, 1 unchanged; 0 added, 0 removed; 0 reassignment warnings\n`);
  });

  it("--json: the documented report, with added and removed campaigns", () => {
    const other = edit(C, 'campaign wake "唤醒"', "campaign other");
    const dir = project({ "catalog.campaign": K, "wake.campaign": C, "wake2.campaign": CHANGED, "other.campaign": other });
    const r = runCli(["diff", "wake.campaign", "wake2.campaign,other.campaign", "--catalog", "catalog.campaign", "--json"], dir);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as DiffReport;
    expect(report.diffVersion).toBe(1);
    expect(report.new.files).toEqual(["catalog.campaign", "other.campaign", "wake2.campaign"]);
    expect(report.added).toEqual([{ id: "other", file: "other.campaign" }]);
    expect(report.removed).toEqual([]);
    expect(report.summary).toEqual({ added: 1, removed: 0, changed: 1, unchanged: 0, warnings: 1 });
    const [wake] = report.campaigns;
    expect(wake?.id).toBe("wake");
    expect(wake?.sections.map((s) => s.section)).toEqual(["audience", "holdout"]);
    expect(wake?.sections[1]?.changes).toEqual([{ kind: "changed", item: "share", old: "5%", new: "10%", oldValue: 0.05, newValue: 0.1 }]);
    expect(wake?.warnings.map((w) => [w.assignment, w.kinds, w.expectedShare])).toEqual([["holdout", ["holdout-share"], expect.closeTo(0.05, 12)]]);
    expect(wake?.dryRun).toBeNull();
    expect(wake?.data).toBeUndefined();
    expect(report.dryRun).toBeUndefined();
    expect(Object.keys(report)).not.toContain("dryRun");
  });

  it("exits 1 with the diagnostics when a side has errors (text and --json)", () => {
    const dir = twoSides(C, edit(C, "aum >= 1k", "aum >= yes"));
    const r = runCli(["diff", "old", "new"], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/new[/\\]wake\.campaign/);
    expect(r.stderr).toMatch(/the new side \(new\) has \d+ errors?; fix them before diffing/);
    const j = runCli(["diff", "old", "new", "--json"], dir);
    expect(j.status).toBe(1);
    const doc = JSON.parse(j.stdout) as { errors: { old: unknown[]; new: { code: string }[] } };
    expect(doc.errors.old).toEqual([]);
    expect(doc.errors.new.length).toBeGreaterThan(0);
  });

  it("exits 2 on bad usage", () => {
    const dir = twoSides(C, C);
    expect(runCli(["diff", "old"], dir).status).toBe(2);
    const missing = runCli(["diff", "old", "nowhere"], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no such file or directory: `nowhere`");
    const at = runCli(["diff", "old", "new", "--at", "2026-07-01"], dir);
    expect(at.status).toBe(2);
    expect(at.stderr).toContain("give `--data <bank.db>`");
    for (const option of ["--from", "--to"]) {
      const r = runCli(["diff", "old", "new", option, "2026-07-01"], dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`\`${option}\` bounds the dry-run over the database: give \`--data <bank.db>\` with it`);
    }
  });
});

describe("campaign diff --data", () => {
  const ids = Array.from({ length: 400 }, (_, i) => `c${i}`);
  /** Customer i: aum i × 50, age 30, payroll for even i. */
  function bankFile(dir: string): string {
    const path = join(dir, "bank.db");
    const db = new Database(path);
    const catalog = planOf(C).catalog;
    createCustomerTables(db, catalog);
    insertCustomers(db, catalog, ids.map((id, i) => ({ id, attrs: { aum: i * 50, age: 30 }, tags: new Set(i % 2 === 0 ? ["payroll"] : []) })));
    db.close();
    return path;
  }

  it("counts reach and the customers who move to the holdout, as the assignment functions say", () => {
    const dir = twoSides(C, CHANGED);
    bankFile(dir);
    const r = runCli(["diff", "old", "new", "--data", "bank.db", "--json"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const data = (JSON.parse(r.stdout) as DiffReport).campaigns[0]?.data;
    const oldAudience = ids.filter((_, i) => i % 2 === 0 && i * 50 >= 1000);
    const newAudience = ids.filter((_, i) => i % 2 === 0 && i * 50 >= 5000);
    expect(data?.at).toBe(planOf(C).campaign.window.start);
    expect(data?.reach).toEqual({ old: oldAudience.length, new: newAudience.length, difference: newAudience.length - oldAudience.length, both: newAudience.length, onlyOld: oldAudience.length - newAudience.length, onlyNew: 0 });
    const moved = newAudience.filter((id) => inHoldout("h1", id, 0.1) && !inHoldout("h1", id, 0.05)).length;
    expect(moved).toBeGreaterThan(0);
    expect(data?.reassignment?.holdoutChanged).toBe(moved);
    const text = runCli(["diff", "old", "new", "--data", "bank.db", "--at", "2026-08-01T09:00"], dir);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`    reach at 2026-08-01 09:00:00 GMT+8: ${oldAudience.length} → ${newAudience.length} (−${oldAudience.length - newAudience.length});`);
    expect(text.stdout).toContain(`    reassignment, of ${newAudience.length} customers in both audiences: ${moved === 0 ? "none changes holdout group" : `${moved} change`}`);
    // This database has customers but no events: reach and reassignment are counted, the dry-run says why it did not run.
    expect(text.stdout).toContain("dry-run over bank.db: not run: the database has no `events` table: a dry-run replays the bank's events (`campaign sample-data` writes them; spec/data-layout.md)\n");
    expect(text.stdout).toContain("    dry-run: not run (see above)\n");
    const report = JSON.parse(r.stdout) as DiffReport;
    expect(report.dryRun).toEqual({ ran: false, reason: expect.stringContaining("no `events` table") });
    expect(report.campaigns[0]?.dryRun).toBeNull();
  });

  it("exits 1 naming the table when the database lacks it, 2 when the file does not exist", () => {
    const dir = twoSides(C, CHANGED);
    const empty = new Database(join(dir, "empty.db"));
    empty.exec("CREATE TABLE unrelated (x INTEGER)");
    empty.close();
    const r = runCli(["diff", "old", "new", "--data", "empty.db"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error: empty.db: the database has no table `customers`");
    const missing = runCli(["diff", "old", "new", "--data", "nothing.db"], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no such database: `nothing.db`");
  });
});
