import { describe, expect, it } from "vitest";
import type { Diagnostic, Severity } from "../../language/diagnostics/diagnostic.ts";
import { charWidth, renderDiagnostic, renderSummary } from "../../language/diagnostics/render.ts";
import { parse } from "../../language/parser/parse.ts";
import { LineIndex } from "../../language/span.ts";

/** A diagnostic over `text[offset, offset+length)` of file `f.campaign`. */
function diag(text: string, offset: number, length: number, extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    code: "S004",
    severity: "error" as Severity,
    message: "unexpected token `x`",
    span: new LineIndex(text).span("f.campaign", offset, length),
    related: [],
    fixes: [],
    ...extra,
  };
}

/** The caret line of a rendering: the first line whose gutter is followed only by marks. */
function caretLine(rendered: string, mark = "^"): string {
  const line = rendered.split("\n").find((l) => new RegExp(`^\\s+\\| +\\${mark}+$`).test(l));
  if (line === undefined) throw new Error(`no caret line in:\n${rendered}`);
  return line;
}

/** Column (0-based, in terminal cells after the gutter) where the marks start, and how many. */
function marks(rendered: string, mark = "^"): { start: number; count: number } {
  const line = caretLine(rendered, mark);
  const body = line.slice(line.indexOf("|") + 2);
  const start = body.indexOf(mark);
  return { start, count: body.length - start };
}

describe("renderDiagnostic", () => {
  it("prints header, location, source line and carets under the exact span", () => {
    const text = "campaign c {\n  audiense has payroll\n}\n";
    const out = renderDiagnostic(diag(text, text.indexOf("audiense"), 8), text);
    expect(out).toBe(
      [
        "error[S004]: unexpected token `x`",
        "  --> f.campaign:2:3",
        "   |",
        " 2 |   audiense has payroll",
        "   |   ^^^^^^^^",
        "",
      ].join("\n"),
    );
  });

  it("expands tabs to four-column stops before placing the carets", () => {
    const text = "campaign c {\n\tpriority\t5 #\n}\n";
    const out = renderDiagnostic(diag(text, text.indexOf("#"), 1), text);
    expect(out).toContain(" 2 |     priority    5 #");
    expect(marks(out)).toEqual({ start: "    priority    5 ".length, count: 1 });
  });

  it("counts East Asian wide characters as two cells", () => {
    const text = 'campaign c "生日关怀" { prio }\n';
    const start = text.indexOf("prio");
    const out = renderDiagnostic(diag(text, start, 4), text);
    // 'campaign c "' is 12 cells, four ideographs 8 cells, '" { ' 4 cells.
    expect(marks(out)).toEqual({ start: 24, count: 4 });
    const wide = renderDiagnostic(diag(text, text.indexOf("生"), 4), text);
    expect(marks(wide)).toEqual({ start: 12, count: 8 });
  });

  it("handles characters outside the BMP (surrogate pairs) before the span", () => {
    const text = "x 𠀀 y\n";
    const out = renderDiagnostic(diag(text, text.indexOf("y"), 1), text);
    expect(marks(out)).toEqual({ start: 5, count: 1 });
  });

  it("puts one caret after the last character for a span at end of line", () => {
    const text = "campaign c {\n  priority\n}\n";
    const out = renderDiagnostic(diag(text, text.indexOf("priority") + 8, 0), text);
    expect(marks(out)).toEqual({ start: "  priority".length, count: 1 });
  });

  it("shows an empty last line for a span at end of file", () => {
    const text = "campaign c {\n  priority 5\n";
    const out = renderDiagnostic(diag(text, text.length, 0), text);
    expect(out).toContain("  --> f.campaign:3:1");
    expect(out).toContain(" 3 |\n");
    expect(marks(out)).toEqual({ start: 0, count: 1 });
  });

  it("underlines a multi-line span to the end of its first line", () => {
    const text = "campaign c {\n  priority 5\n}\n";
    const out = renderDiagnostic(diag(text, text.indexOf("priority"), text.length - text.indexOf("priority")), text);
    expect(out).toContain("  --> f.campaign:2:3");
    expect(marks(out)).toEqual({ start: 2, count: "priority 5".length });
  });

  it("adds help, fixes and related spans as notes with their own location", () => {
    const text = "catalog r {\n  tag payroll\n  tag payroll\n}\n";
    const first = text.indexOf("payroll");
    const second = text.indexOf("payroll", first + 1);
    const span = new LineIndex(text).span("f.campaign", first, 7);
    const d = diag(text, second, 7, {
      code: "N011",
      severity: "warning",
      message: "tag `payroll` is declared twice",
      help: "remove one of the declarations",
      related: [{ span, message: "first declared here" }],
      fixes: [{ title: "remove the second declaration", edits: [] }],
    });
    const out = renderDiagnostic(d, text);
    const lines = out.split("\n");
    expect(lines[0]).toBe("warning[N011]: tag `payroll` is declared twice");
    expect(out).toContain("   = help: remove one of the declarations");
    expect(out).toContain("   = fix: remove the second declaration");
    const note = lines.indexOf("note: first declared here");
    expect(note).toBeGreaterThan(0);
    expect(lines[note + 1]).toBe("  --> f.campaign:2:7");
    expect(lines[note + 3]).toBe(" 2 |   tag payroll");
    expect(lines[note + 4]).toBe("   |       -------");
  });

  it("shows a related span in another file through the source lookup, and only its location when unknown", () => {
    const main = "campaign c {\n  uses catalog retial\n}\n";
    const other = "catalog retail {\n}\n";
    const d = diag(main, main.indexOf("retial"), 6, {
      related: [
        { span: new LineIndex(other).span("catalog.campaign", 8, 6), message: "catalog `retail` is here" },
        { span: new LineIndex(other).span("missing.campaign", 0, 1), message: "somewhere else" },
      ],
    });
    const files: Record<string, string> = { "f.campaign": main, "catalog.campaign": other };
    const out = renderDiagnostic(d, (file) => files[file]);
    expect(out).toContain("  --> catalog.campaign:1:9\n   |\n 1 | catalog retail {\n   |         ------\n");
    expect(out).toContain("note: somewhere else\n  --> missing.campaign:1:1\n");
    expect(out).not.toContain(" 1 | \n");
    // With plain text, only the diagnostic's own file is known.
    expect(renderDiagnostic(d, main)).not.toContain("catalog retail {");
  });

  it("widens the gutter for long line numbers and stays plain without color", () => {
    const text = "\n".repeat(120) + "  oops\n";
    const out = renderDiagnostic(diag(text, text.indexOf("oops"), 4), text);
    expect(out).toContain("   --> f.campaign:121:3");
    expect(out).toContain("\n121 |   oops\n");
    expect(out).toContain("\n    |   ^^^^\n");
    expect(out).not.toContain("\u001b[");
  });

  it("colours severity and carets when asked", () => {
    const text = "x\n";
    const out = renderDiagnostic(diag(text, 0, 1), text, { color: true });
    expect(out).toContain("\u001b[1m\u001b[31merror[S004]\u001b[0m");
    expect(out).toContain("\u001b[1m\u001b[31m^\u001b[0m");
  });

  it("renders real parser diagnostics with their fix", () => {
    const text = "campaign c {\n  audiense has payroll\n}\n";
    const { diagnostics } = parse(text, "real.campaign");
    const first = diagnostics[0];
    expect(first).toBeDefined();
    if (!first) return;
    const out = renderDiagnostic(first, text);
    expect(out).toMatch(/^error\[S00\d\]: /);
    expect(out).toContain("  --> real.campaign:2:3");
    expect(caretLine(out)).toBe("   |   ^^^^^^^^");
    expect(out).toContain("= fix: replace with `audience`");
  });
});

describe("renderSummary", () => {
  it("counts errors and warnings with plurals, infos only when present", () => {
    const text = "x\n";
    const e = diag(text, 0, 1);
    const w = diag(text, 0, 1, { severity: "warning" });
    const i = diag(text, 0, 1, { severity: "info" });
    expect(renderSummary([e, e, w])).toBe("2 errors, 1 warning");
    expect(renderSummary([])).toBe("0 errors, 0 warnings");
    expect(renderSummary([e, i])).toBe("1 error, 0 warnings, 1 info");
  });
});

describe("charWidth", () => {
  it("knows narrow, wide and zero-width code points", () => {
    expect(charWidth("a".codePointAt(0) ?? 0)).toBe(1);
    expect(charWidth("代".codePointAt(0) ?? 0)).toBe(2);
    expect(charWidth("，".codePointAt(0) ?? 0)).toBe(2);
    expect(charWidth("한".codePointAt(0) ?? 0)).toBe(2);
    expect(charWidth(0x0301)).toBe(0);
  });
});
