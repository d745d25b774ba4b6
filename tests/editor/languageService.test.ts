/**
 * The editor's language service (the code its web worker runs): completion in
 * context, hover, outline, formatting and the split check, against the
 * examples workspace.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { keywordDocsFrom } from "../../editor/app/language/keywordDocs.ts";
import { LanguageService } from "../../editor/app/language/service.ts";
import { keywordTokens } from "../../language/lexer/tokens.ts";

const spec = readFileSync("spec/language.md", "utf8");
const docs = keywordDocsFrom(spec);
const service = new LanguageService(docs);
const files = ["catalog/retail.campaign", "segments/common.campaign", ...readdirSync("examples").filter((f) => f.endsWith(".campaign"))];
service.setWorkspace(files.map((path) => ({ path, text: readFileSync(`examples/${path}`, "utf8") })));
const PATH = "payroll_login_wealth.campaign";
const TEXT = readFileSync(`examples/${PATH}`, "utf8");

/** Completion labels (by kind) with the cursor after `marker` + `typed`. */
function completeAt(marker: string, typed = ""): Map<string, string[]> {
  const at = TEXT.indexOf(marker);
  expect(at, marker).toBeGreaterThanOrEqual(0);
  const offset = at + marker.length;
  const text = TEXT.slice(0, offset) + typed + TEXT.slice(offset);
  const r = service.complete(PATH, text, offset + typed.length);
  const byKind = new Map<string, string[]>();
  for (const e of r.entries) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e.label]);
  return byKind;
}

describe("completion in context", () => {
  it("offers tags with their Chinese labels after `has`, and no attributes", () => {
    const r = service.complete(PATH, TEXT, TEXT.indexOf("and not has ") + "and not has ".length);
    const payroll = r.entries.find((e) => e.label === "payroll");
    expect(payroll).toMatchObject({ kind: "tag", detail: "代发工资客户" });
    expect(r.entries.some((e) => e.kind === "attribute")).toBe(false);
  });
  it("replaces the word being typed", () => {
    const marker = "and not has ";
    const offset = TEXT.indexOf(marker) + marker.length;
    const text = TEXT.slice(0, offset) + "wea" + TEXT.slice(offset + "wealth_holder".length);
    expect(service.complete(PATH, text, offset + 3).replaceFrom).toBe(offset);
  });
  it("offers events after `trigger on`, channels in waves and cap scopes, benefits in benefit clauses", () => {
    expect(completeAt("trigger on ").get("event")).toContain("payroll.credited");
    expect(completeAt("    1. ").get("channel")).toEqual(["app_push", "sms", "wechat", "ai_call", "rm_task"]);
    expect(completeAt("cap 1 per week on ").get("channel")).toContain("sms");
    expect(completeAt("  benefit on goal\n    ").get("benefit")).toContain("cash88");
  });
  it("offers payload fields after `on EVENT where` and `goal EVENT where`", () => {
    expect(completeAt("trigger on app.login where ").get("field")).toEqual(["device"]);
    expect(completeAt("goal purchase where ").get("field")).toEqual(["product", "amount"]);
    expect(completeAt("  audience\n    ").get("field")).toBeUndefined();
  });
  it("offers enum values after a comparison or inside `in (...)`", () => {
    expect(completeAt("and age >= 25\n    and ", "tier >= ").get("enumValue")).toEqual(["mass", "wealth", "premium", "private"]);
    expect(completeAt("and risk in (R2, ").get("enumValue")).toEqual(["R1", "R2", "R3", "R4", "R5"]);
    expect(completeAt("goal purchase where product = ").get("enumValue")).toEqual(["wealth", "deposit", "fund", "insurance"]);
  });
  it("offers segments (catalog and used libraries) after `segment`", () => {
    const segs = completeAt("  audience\n    ", "segment ").get("segment") ?? [];
    expect(segs).toEqual(expect.arrayContaining(["reachable_by_phone", "payroll_customer", "do_not_disturb"]));
  });
  it("offers the clause keywords the grammar allows next", () => {
    const kws = completeAt("  priority 80\n  ").get("keyword") ?? [];
    expect(kws).toEqual(expect.arrayContaining(["audience", "trigger", "waves", "budget", "test"]));
    expect(kws).not.toContain("where");
  });
});

describe("hover, outline, format, check", () => {
  it("documents keywords from the language reference, every keyword", () => {
    for (const k of keywordTokens.keys()) expect(docs.has(k), k).toBe(true);
    const h = service.hover(PATH, TEXT, TEXT.indexOf("audience") + 1);
    expect(h?.markdown).toContain("Syntax: `audience EXPR`");
  });
  it("describes catalog items: attribute type and label, channel cost and quiet hours, benefit cost", () => {
    const attribute = service.hover(PATH, TEXT, TEXT.indexOf("monthlyIncome") + 1)?.markdown ?? "";
    expect(attribute).toContain("money (CNY)");
    expect(attribute).toContain("近6个月月均代发金额");
    const channel = service.hover(PATH, TEXT, TEXT.indexOf("sms \"wealth_sms_1\"") + 1)?.markdown ?? "";
    expect(channel).toContain("cost per touch: 0.05 CNY");
    expect(channel).toContain("21:00-09:00");
    expect(service.hover(PATH, TEXT, TEXT.indexOf("cash88") + 1)?.markdown).toContain("cost: 88 CNY");
  });
  it("outlines the campaign with its clauses, waves and tests", () => {
    const [campaign] = service.symbols(PATH, TEXT);
    expect(campaign?.name).toBe("payroll_login_wealth");
    const waves = campaign?.children.find((c) => c.name === "waves");
    expect(waves?.children.map((w) => w.name)).toEqual(["1. app_push", "2. sms", "3. rm_task"]);
    expect(campaign?.children.filter((c) => c.kind === "test")).toHaveLength(3);
  });
  it("formats, and refuses a file with a syntax error", () => {
    expect(service.format(PATH, TEXT.replace("priority 80", "priority     80")).text).toContain("  priority 80\n");
    expect(service.format(PATH, TEXT.replace("priority 80", "priority {")).refused).toMatch(/^fix the error at line 9 first/);
  });
  it("checks names against the workspace catalog, analyses separately", () => {
    const ok = service.check(PATH, TEXT);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.analyses()).toEqual([]);
    const bad = service.check(PATH, TEXT.replace("has wealth_holder", "has wealth_holdr"));
    expect(bad.diagnostics.map((d) => [d.code, d.span.line])).toEqual([["N004", 15]]);
    expect(bad.diagnostics[0]?.fixes[0]?.edits[0]?.newText).toBe("wealth_holder");
  });
});
