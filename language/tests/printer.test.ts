import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stripSpans } from "../astEquality.ts";
import { hasErrors } from "../diagnostics/diagnostic.ts";
import { parse } from "../parser/parse.ts";
import { format, printFile } from "../printer/format.ts";
import { programArb } from "./arbitraries/program.ts";

const root = join(import.meta.dirname, "..", "..");

function campaignFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...campaignFiles(p));
    else if (entry.endsWith(".campaign")) out.push(p);
  }
  return out.sort();
}

function commentTexts(text: string): string[] {
  return parse(text).file.comments.map((c) => c.text).sort();
}

/** The formatter's contract on one valid text: same tree, same comments, idempotent. */
function expectRoundTrip(text: string): string {
  const before = parse(text);
  expect(before.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const formatted = format(text);
  const after = parse(formatted.text);
  expect(after.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(stripSpans(after.file.decls)).toEqual(stripSpans(before.file.decls));
  expect(commentTexts(formatted.text)).toEqual(commentTexts(text));
  expect(format(formatted.text).text).toBe(formatted.text);
  expect(formatted.changed).toBe(formatted.text !== text);
  return formatted.text;
}

describe("formatter round trip on files", () => {
  const files = [...campaignFiles(join(root, "language", "tests", "golden", "valid")), ...campaignFiles(join(root, "examples"))];

  it("finds the golden files", () => {
    expect(files.some((f) => f.endsWith("kitchen_sink.campaign"))).toBe(true);
  });

  for (const file of files) {
    it(relative(root, file), () => {
      const text = readFileSync(file, "utf8");
      if (hasErrors(parse(text, file).diagnostics)) {
        // A file with syntax errors is returned untouched.
        const r = format(text, file);
        expect(r.text).toBe(text);
        expect(r.changed).toBe(false);
        return;
      }
      expectRoundTrip(text);
    });
  }
});

describe("formatter on random programs", () => {
  const numRuns = Number(process.env["FC_RUNS"] ?? 1000);

  it(`round-trips, keeps comments and is idempotent (${numRuns} programs)`, () => {
    fc.assert(
      fc.property(programArb, (text) => {
        expectRoundTrip(text);
      }),
      { numRuns },
    );
  });
});

describe("formatter layout", () => {
  const fmt = (text: string): string => {
    const r = format(text);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return r.text;
  };

  it("indents, puts one clause per line and separates declarations by one blank line", () => {
    const input = `catalog   retail{timezone "Asia/Shanghai" currency CNY
customer{aum money "管理资产规模" tier enum( mass,wealth )}
tag payroll   "代发工资客户"}
campaign c "测试"{uses catalog retail priority 80 audience has payroll and aum>=50k}`;
    expect(fmt(input)).toBe(`catalog retail {
  timezone "Asia/Shanghai"
  currency CNY
  customer {
    aum money "管理资产规模"
    tier enum(mass, wealth)
  }
  tag payroll "代发工资客户"
}

campaign c "测试" {
  uses catalog retail
  priority 80
  audience has payroll and aum >= 50k
}
`);
  });

  it("breaks a long audience one operand per line, nesting mixed and/or, keeping parentheses", () => {
    const input = `campaign c { audience has payroll and aum between 10k and 200k and not has wealth_holder and risk in (R2,R3) or (age >= 25 and lastLogin within 90 days) and not has complaint_90d }`;
    expect(fmt(input)).toBe(`campaign c {
  audience
    has payroll
      and aum between 10k and 200k
      and not has wealth_holder
      and risk in (R2, R3)
    or (age >= 25 and lastLogin within 90 days)
      and not has complaint_90d
}
`);
  });

  it("prints waves one per line with fallbacks on their own indented lines", () => {
    const input = `campaign c { waves 1. app_push "a" now 2. sms "b" after 2 days , unless converted
      3. rm_task "c" after 5 days unless converted only tier >= wealth else ai_call "d" else sms "e"
      4. sms "f" after 1 day, at 09:00 }`;
    expect(fmt(input)).toBe(`campaign c {
  waves
    1. app_push "a" now
    2. sms "b" after 2 days unless converted
    3. rm_task "c" after 5 days unless converted, only tier >= wealth
       else ai_call "d"
       else sms "e"
    4. sms "f" after 1 day, at 09:00
}
`);
  });

  it("keeps literals as written, re-encodes strings and backticks names that are keywords", () => {
    const input = 'campaign c { audience `where` >= 1.5万 and x <= 50k and y within 90   days\n and z less than 36h ago and s = "\\u0041\\t😀" }\ncampaign d { exclude `my tag` = 100 USD }';
    expect(fmt(input)).toBe(`campaign c {
  audience \`where\` >= 1.5万 and x <= 50k and y within 90 days and z less than 36h ago and s = "A\\t😀"
}

campaign d {
  exclude \`my tag\` = 100 USD
}
`);
  });

  it("keeps leading, trailing and block comments, and one blank line where the source had some", () => {
    const input = `// file header

campaign c { // the campaign
  priority 80    /* high */


  // who
  audience has payroll // payroll only
  waves
    // first
    1. sms "a" now // at once
       else app_push "b" // fallback
  // end of campaign
}
// trailing`;
    expect(fmt(input)).toBe(`// file header

campaign c { // the campaign
  priority 80 /* high */

  // who
  audience has payroll // payroll only
  waves
    // first
    1. sms "a" now // at once
       else app_push "b" // fallback
  // end of campaign
}
// trailing
`);
  });

  it("moves a comment from inside a one-line clause to before it, and breaks a chain holding a comment", () => {
    expect(fmt(`campaign c {\n  window 2026-01-01 /* from */ .. 2026-12-31\n  audience has a // first\n    and has b\n}\n`)).toBe(`campaign c {
  /* from */
  window 2026-01-01 .. 2026-12-31
  audience
    has a // first
    and has b
}
`);
  });

  it("keeps the input and reports when the file has a syntax error", () => {
    const input = "campaign c {\n  priority\n}\n";
    const r = format(input);
    expect(r.text).toBe(input);
    expect(r.changed).toBe(false);
    expect(r.diagnostics.some((d) => d.severity === "error")).toBe(true);
  });

  it("prints an empty file as empty and a comment-only file as its comments", () => {
    expect(fmt("")).toBe("");
    expect(fmt("  // only a comment  \n\n\n/* and a block */")).toBe("// only a comment  \n\n/* and a block */\n");
  });

  it("printFile prints a parsed tree", () => {
    const { file } = parse("campaign  c{priority 5}");
    expect(printFile(file)).toBe("campaign c {\n  priority 5\n}\n");
  });
});
