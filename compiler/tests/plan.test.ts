/**
 * Plans as documents: every campaign that checks compiles to a plan that
 * validates, plans are byte-stable, formatting does not change what a plan
 * means, loadPlan refuses bad input with the right code and field path, and
 * spec/plan.schema.json is a fresh export of the zod schema.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planCodes } from "../diagnostics/planCodes.ts";
import { planJsonSchemaText } from "../plan/jsonSchema.ts";
import { formatPath, jsonErrorOffset, loadPlan, type LoadPlanResult } from "../plan/load.ts";
import { planSchema, SUPPORTED_PLAN_VERSIONS } from "../plan/schema.ts";
import { planContent, planContentHash, serializePlan } from "../plan/serialize.ts";
import { PLAN_VERSION, type Plan } from "../plan/types.ts";
import { checkProgram, type SourceInput } from "../program.ts";
import { EXAMPLE_CATALOG } from "../diagnostics/codes.ts";

const ROOT = join(import.meta.dirname, "..", "..");

function campaignFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...campaignFiles(p));
    else if (e.endsWith(".campaign")) out.push(p);
  }
  return out.sort();
}

const read = (paths: readonly string[]): SourceInput[] => paths.map((p) => ({ path: p.slice(ROOT.length + 1), text: readFileSync(p, "utf8") }));

/**
 * The programs to compile: each golden file on its own, and examples/ as one
 * program (its campaigns share the catalog and segment files). examples/ is
 * written concurrently with this test; whatever is there is used.
 */
function programs(): SourceInput[][] {
  const golden = campaignFiles(join(ROOT, "language", "tests", "golden", "valid")).map((f) => read([f]));
  const examples = campaignFiles(join(ROOT, "examples"));
  return [...golden, ...(examples.length > 0 ? [read(examples)] : [])];
}

/** Campaigns that check without errors of their own, with the program they came from. */
function cleanCampaigns(sources: SourceInput[]): { id: string; plan: Plan }[] {
  return checkProgram(sources)
    .campaigns.filter((c) => !c.hasErrors)
    .map((c) => ({ id: `${c.file}#${c.plan.campaign.id}`, plan: c.plan }));
}

function expectOk(r: LoadPlanResult): Plan {
  if (!r.ok) throw new Error(`plan does not validate:\n${r.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n")}`);
  return r.plan;
}

function expectFail(r: LoadPlanResult): { code: string; message: string; line: number; column: number }[] {
  if (r.ok) throw new Error("expected loadPlan to refuse the plan");
  return r.diagnostics.map((d) => ({ code: d.code, message: d.message, line: d.span.line, column: d.span.column }));
}

/** A program of its own, with every plan feature in use, so the tests never depend on others' files alone. */
const FIXTURE: SourceInput = {
  path: "fixture.campaign",
  text: `${EXAMPLE_CATALOG}
// a campaign using most plan fields
campaign fixture "测试活动" {
  uses catalog retail
  window 2026-12-01 .. 2026-12-31
  priority 5
  audience has payroll and aum between 10k and 200k and lastLogin within 90 days
  exclude has staff
  trigger on app.login where device in (ios, android)
    again after 30 days
  goal purchase where product = wealth within 14 days of first touch
  exit on purchase where product = fund
  waves
    1. app_push "a" now
    2. sms { a "s1", b "s2" } after 2 days at 10:00 unless converted, only tier >= wealth
       else app_push "b2"
    3. sms "s3" after 1 day unless opened
  benefit on goal
    points 2000 when amount >= 50k
    cash88 when amount >= 200k
    at most 2 per customer
  cap 1 per day on sms
  when capped: defer
  budget 500k total, 20k per day, paced evenly
    when spent: stop benefits
  holdout 10% salt "2026q4"
  variants { a 50%, b 50% }
}

campaign fixture_batch {
  uses catalog retail
  window 2026-01-01 .. 2026-12-31
  audience birthday anniversary is today and tier >= premium
  trigger every day at 09:00 customer time
  goal aum up by at least 10k within 30 days
  waves
    1. app_push "birthday_card" now
  policy marketing
}
`,
};

function fixturePlans(): Plan[] {
  const p = checkProgram([FIXTURE]);
  const errors = p.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`fixture has errors:\n${errors.map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`).join("\n")}`);
  return p.campaigns.map((c) => c.plan);
}

/**
 * Reformats a source without changing its meaning: every line indented two
 * more spaces, a line comment at the end of each line, blank lines and a
 * block comment added, CRLF line ends. Strings cannot span lines, so no
 * string literal is touched.
 */
function reformatByHand(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => (l.trim() === "" ? "" : `  ${l}   // reformatted`));
  return ["/* a reformatted copy */", "", ...lines.flatMap((l) => [l, ""])].join("\r\n");
}

/** The formatter another helper writes (language/printer/format.ts), when it is there. */
async function formatterIfPresent(): Promise<((text: string, file: string) => string) | undefined> {
  const path = join(ROOT, "language", "printer", "format.ts");
  if (!existsSync(path)) return undefined;
  const mod = (await import(path)) as Record<string, unknown>;
  const f = mod["format"] ?? mod["formatSource"] ?? mod["formatText"];
  if (typeof f !== "function") return undefined;
  return (text, file) => {
    const r: unknown = (f as (t: string, file: string) => unknown)(text, file);
    if (typeof r === "string") return r;
    if (r && typeof r === "object") {
      for (const k of ["text", "output", "formatted"]) {
        const v = (r as Record<string, unknown>)[k];
        if (typeof v === "string") return v;
      }
    }
    throw new Error("language/printer/format.ts returned no text");
  };
}

describe("plans compiled from sources", () => {
  it("every campaign that checks (golden, examples, fixture) gives a plan that validates and round-trips", () => {
    const all = [...programs().flatMap(cleanCampaigns), ...fixturePlans().map((plan) => ({ id: `fixture#${plan.campaign.id}`, plan }))];
    const fromRepo = all.filter((c) => !c.id.startsWith("fixture#"));
    expect(fromRepo.length, "no campaign in language/tests/golden/valid or examples/ checks without errors").toBeGreaterThan(0);
    for (const c of all) {
      const text = serializePlan(c.plan);
      const loaded = expectOk(loadPlan(text, { file: `${c.id}.plan.json` }));
      expect(loaded, c.id).toEqual(JSON.parse(text));
      expect(serializePlan(loaded), c.id).toBe(text);
      // The object form validates too.
      expectOk(loadPlan(c.plan));
    }
  });

  it("compiling twice gives byte-identical plans", () => {
    for (const sources of [...programs(), [FIXTURE]]) {
      const a = checkProgram(sources).campaigns.map((c) => serializePlan(c.plan));
      const b = checkProgram(sources.map((s) => ({ ...s }))).campaigns.map((c) => serializePlan(c.plan));
      expect(b).toEqual(a);
    }
  });

  it("serializes canonically: sorted keys, two-space indent, trailing newline, no undefined", () => {
    const [plan] = fixturePlans();
    if (!plan) throw new Error("no fixture plan");
    const text = serializePlan(plan);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.startsWith('{\n  "audience": ')).toBe(true);
    expect(text).not.toContain("undefined");
    // Reordering keys does not change the bytes.
    const shuffled = JSON.parse(text, (_k, v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)) as Plan;
    expect(serializePlan(shuffled)).toBe(text);
  });

  it("reformatting the sources changes only the source hashes", async () => {
    const format = await formatterIfPresent();
    const sets = [...programs(), [FIXTURE]];
    let compared = 0;
    for (const sources of sets) {
      const reformatted = sources.map((s) => ({ path: s.path, text: reformatByHand(format ? format(s.text, s.path) : s.text) }));
      const before = checkProgram(sources).campaigns.filter((c) => !c.hasErrors);
      const after = checkProgram(reformatted).campaigns.filter((c) => !c.hasErrors);
      expect(after.map((c) => c.plan.campaign.id)).toEqual(before.map((c) => c.plan.campaign.id));
      for (const [i, b] of before.entries()) {
        const a = after[i];
        if (!a) throw new Error("missing campaign");
        // sourceHash (and the catalog's hash) are SHA-256 of the exact source
        // bytes: they say which revision of a file a plan came from, for audit,
        // so they legitimately change with any edit, even whitespace. What the
        // plan means is everything else, which must not change; its hash is
        // planContentHash (spec/plan.md, "Hashes").
        expect(a.plan.campaign.sourceHash).not.toBe(b.plan.campaign.sourceHash);
        expect(serializePlan(planContent(a.plan) as Plan)).toBe(serializePlan(planContent(b.plan) as Plan));
        expect(planContentHash(a.plan)).toBe(planContentHash(b.plan));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it("planContentHash changes when the meaning changes", () => {
    const [plan] = fixturePlans();
    if (!plan) throw new Error("no fixture plan");
    const changed: Plan = { ...plan, campaign: { ...plan.campaign, priority: plan.campaign.priority + 1 } };
    expect(planContentHash(changed)).not.toBe(planContentHash(plan));
  });
});

describe("loadPlan", () => {
  const good = (): Record<string, unknown> => {
    const [plan] = fixturePlans();
    if (!plan) throw new Error("no fixture plan");
    return JSON.parse(serializePlan(plan)) as Record<string, unknown>;
  };

  it("refuses text that is not JSON, at the first wrong character (P001)", () => {
    const text = serializePlan(good() as unknown as Plan).replace('"planVersion": 1,', '"planVersion": 1,,');
    const [d, ...rest] = expectFail(loadPlan(text, { file: "bad.plan.json" }));
    expect(rest).toEqual([]);
    expect(d?.code).toBe("P001");
    expect(d?.message).toBe("not JSON: unexpected `,`");
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes('"planVersion": 1,,')) + 1;
    expect({ line: d?.line, column: d?.column }).toEqual({ line, column: (lines[line - 1] ?? "").indexOf(",,") + 2 });

    expect(expectFail(loadPlan(""))[0]?.message).toBe("not JSON: the plan file is empty");
    expect(expectFail(loadPlan('{"planVersion": 1'))[0]).toMatchObject({ code: "P001", message: "not JSON: the text ends too early", column: 18 });
    expect(expectFail(loadPlan('{"a": "\\q"}'))[0]).toMatchObject({ code: "P001", column: 9 });
    expect(expectFail(loadPlan("{} x"))[0]).toMatchObject({ code: "P001", message: "not JSON: unexpected `x`", column: 4 });
  });

  it("finds the first wrong character of any non-JSON text", () => {
    for (const [text, at] of [
      ['{"a":}', 5],
      ["[1, 2,]", 6],
      ['{"a" 1}', 5],
      ["[01]", 2],
      ['"abc', 4],
      ["tru", 0],
      ['{"a": [1, {"b": nul}]}', 16],
    ] as const) {
      expect(() => JSON.parse(text)).toThrow();
      expect(jsonErrorOffset(text), text).toBe(at);
    }
  });

  it("refuses an unsupported version and says which are supported (P002)", () => {
    const plan = { ...good(), planVersion: 99 };
    const text = serializePlan(plan as unknown as Plan);
    const ds = expectFail(loadPlan(text));
    expect(ds).toHaveLength(1);
    expect(ds[0]?.code).toBe("P002");
    expect(ds[0]?.message).toBe(`unsupported plan version \`99\`: this build reads plan version ${PLAN_VERSION}`);
    expect(SUPPORTED_PLAN_VERSIONS).toEqual([PLAN_VERSION]);
    // Located at the version's value.
    const line = text.split("\n").findIndex((l) => l.includes('"planVersion": 99')) + 1;
    expect(ds[0]?.line).toBe(line);
    // Also for an already parsed object.
    expect(expectFail(loadPlan(plan))[0]?.code).toBe("P002");
  });

  it("refuses a wave with a missing channel, naming the field path (P003)", () => {
    const plan = good();
    const waves = plan["waves"] as { touches: Record<string, unknown>[] }[];
    const touch = waves[1]?.touches[0];
    if (!touch) throw new Error("fixture has no second wave");
    delete touch["channel"];
    const text = serializePlan(plan as unknown as Plan);
    const ds = expectFail(loadPlan(text));
    expect(ds).toEqual([expect.objectContaining({ code: "P003", message: "waves[1].touches[0].channel: expected string, but the field is missing" })]);
    // Located at the touch object that lacks the field.
    expect((text.split("\n")[(ds[0]?.line ?? 0) - 1] ?? "").trim()).toBe("{");
  });

  it("refuses a field of the wrong type, naming the path and what was found", () => {
    const plan = good();
    const waves = plan["waves"] as { touches: Record<string, unknown>[] }[];
    const touch = waves[0]?.touches[0];
    if (!touch) throw new Error("fixture has no wave");
    touch["channel"] = 7;
    const text = serializePlan(plan as unknown as Plan);
    const [d] = expectFail(loadPlan(text));
    expect(d).toMatchObject({ code: "P003", message: "waves[0].touches[0].channel: expected string, got `7`" });
    expect(text.split("\n")[(d?.line ?? 0) - 1]?.slice((d?.column ?? 0) - 1)).toBe("7,");
  });

  it("refuses an unknown key anywhere, located at the key (P003)", () => {
    const plan = good();
    (plan["campaign"] as Record<string, unknown>)["owner"] = "marketing";
    const text = serializePlan(plan as unknown as Plan);
    const ds = expectFail(loadPlan(text));
    expect(ds).toEqual([expect.objectContaining({ code: "P003", message: `campaign.owner: unknown field \`owner\` (not part of plan version ${PLAN_VERSION})` })]);
    const line = text.split("\n")[(ds[0]?.line ?? 0) - 1] ?? "";
    expect(line.slice((ds[0]?.column ?? 0) - 1)).toBe('"owner": "marketing",');
    // Top level too.
    expect(expectFail(loadPlan({ ...good(), extra: true }))[0]?.message).toBe(`extra: unknown field \`extra\` (not part of plan version ${PLAN_VERSION})`);
  });

  it("refuses bad predicates deep inside, and values out of range", () => {
    const plan = good();
    plan["audience"] = { k: "and", args: [{ k: "tag", tag: "payroll" }, { k: "maybe" }, { k: "not", arg: { k: "cmp", op: "~", left: { k: "attr", name: "aum", rep: "number" }, right: { k: "const", value: null, rep: "number" } } }] };
    (plan["holdout"] as Record<string, unknown>)["share"] = 10;
    const messages = expectFail(loadPlan(plan)).map((d) => d.message);
    expect(messages).toContain("audience.args[1].k: expected one of `true`, `false`, `and`, `or`, `not`, `cmp`, `in`, `tag`, `set`, `anniversary`, `label`, got `\"maybe\"`");
    expect(messages).toContain('audience.args[2].arg.op: expected one of `=`, `!=`, `<`, `<=`, `>`, `>=`, got `"~"`');
    expect(messages).toContain("audience.args[2].arg.right.value: expected number or string or boolean, got null");
    expect(messages).toContain("holdout.share: expected a number <= 1, got `10`");
  });

  it("refuses a plan that is not an object, and a missing version", () => {
    expect(expectFail(loadPlan("[]"))).toEqual([expect.objectContaining({ code: "P003", message: "plan: expected object, got an array" })]);
    const { planVersion: _v, ...rest } = good();
    expect(expectFail(loadPlan(rest))).toEqual([expect.objectContaining({ code: "P003", message: `planVersion: expected \`${PLAN_VERSION}\`, but the field is missing` })]);
  });

  it("formats paths", () => {
    expect(formatPath([])).toBe("plan");
    expect(formatPath(["waves", 1, "touches", 0, "channel"])).toBe("waves[1].touches[0].channel");
    expect(formatPath(["waves", 0, "touches", 0, "variantTemplates", "a b"])).toBe('waves[0].touches[0].variantTemplates["a b"]');
  });

  it("gives each P-code for its catalogue example", () => {
    expect(planCodes.map((c) => c.code)).toEqual(["P001", "P002", "P003"]);
    for (const c of planCodes) {
      const r = loadPlan(c.example);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.diagnostics.map((d) => d.code), c.code).toContain(c.code);
    }
  });

  it("accepts exactly what the zod schema accepts, and returns the parsed plan", () => {
    const plan = good();
    const r = loadPlan(plan);
    expect(r.ok).toBe(true);
    expect(planSchema.safeParse(plan).success).toBe(true);
    if (r.ok) expect(r.plan).toEqual(plan);
  });
});

describe("spec/plan.schema.json", () => {
  it("is a fresh export of the zod schema (UPDATE_GOLDEN=1 rewrites it)", () => {
    const path = join(ROOT, "spec", "plan.schema.json");
    const fresh = planJsonSchemaText();
    if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(path, fresh);
    expect(existsSync(path), "spec/plan.schema.json is missing: run with UPDATE_GOLDEN=1").toBe(true);
    expect(readFileSync(path, "utf8")).toBe(fresh);
  });

  it("describes the plan: strict objects, recursive predicates, the current version", () => {
    const schema = JSON.parse(planJsonSchemaText()) as { $ref: string; $defs: Record<string, { additionalProperties?: boolean; properties?: Record<string, unknown>; required?: string[] }> };
    expect(schema.$ref).toBe("#/$defs/Plan");
    const plan = schema.$defs["Plan"];
    expect(plan?.additionalProperties).toBe(false);
    expect(plan?.properties?.["planVersion"]).toMatchObject({ const: PLAN_VERSION });
    expect(plan?.required).toEqual(expect.arrayContaining(["planVersion", "campaign", "catalog", "audience", "trigger", "entry", "exits", "waves", "caps", "cappedAction", "holdout", "policies"]));
    expect(plan?.required).not.toContain("goal");
    expect(JSON.stringify(schema.$defs["Pred"])).toContain('"$ref":"#/$defs/Pred"');
    expect(JSON.stringify(schema.$defs["Pred"])).toContain('"$ref":"#/$defs/ValueExpr"');
  });
});
