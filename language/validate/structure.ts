/**
 * Structural checks that need no catalog: clauses given twice, wave
 * numbering, tests that cannot fail, percentages that cannot add up.
 * Meaning (names, types, analyses) is the compiler's job, not this one.
 */
import type * as A from "../ast.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { makeDiagnostic } from "../diagnostics/make.ts";

/** Campaign clauses that may appear at most once, by AST kind, with the word users write. */
const SINGLE_CAMPAIGN_CLAUSES: Record<string, string> = {
  window: "window",
  priority: "priority",
  audience: "audience",
  trigger: "trigger",
  goal: "goal",
  waves: "waves",
  benefitClause: "benefit",
  capped: "when capped",
  budget: "budget",
  holdout: "holdout",
  variants: "variants",
  policyRef: "policy",
};

const SINGLE_CATALOG_MEMBERS: Record<string, string> = {
  timezone: "timezone",
  currency: "currency",
  customer: "customer",
};

export function validateStructure(file: A.SourceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const decl of file.decls) {
    if (decl.kind === "campaign") validateCampaign(decl, out);
    else if (decl.kind === "catalog") checkSingles(decl.members, SINGLE_CATALOG_MEMBERS, "catalog", out);
  }
  return out;
}

function checkSingles(items: readonly { kind: string; span: A.Node["span"] }[], singles: Record<string, string>, where: string, out: Diagnostic[]): void {
  const first = new Map<string, A.Node["span"]>();
  for (const item of items) {
    const word = singles[item.kind];
    if (!word) continue;
    const prev = first.get(item.kind);
    if (prev) {
      out.push(makeDiagnostic("S012", `\`${word}\` is given twice in this ${where}`, item.span, { related: [{ span: prev, message: "first given here" }] }));
    } else first.set(item.kind, item.span);
  }
}

function validateCampaign(c: A.CampaignDecl, out: Diagnostic[]): void {
  checkSingles(c.clauses, SINGLE_CAMPAIGN_CLAUSES, "campaign", out);
  const usesCatalog = c.clauses.filter((x): x is A.UsesClause => x.kind === "uses" && x.what === "catalog");
  checkSingles(usesCatalog.map((u) => ({ kind: "usesCatalog", span: u.span })), { usesCatalog: "uses catalog" }, "campaign", out);
  for (const clause of c.clauses) {
    switch (clause.kind) {
      case "waves":
        checkWaveNumbers(clause, out);
        break;
      case "test":
        if (!clause.steps.some((s) => s.kind === "expect")) {
          out.push(makeDiagnostic("S015", `test ${clause.title ? `\`${clause.title.value}\` ` : ""}has no \`expect\` step, so it can never fail`, clause.title?.span ?? clause.span));
        }
        break;
      case "budget":
        checkBudget(clause, out);
        break;
      case "holdout":
        if (clause.share) checkShare(clause.share, out);
        break;
      case "variants": {
        for (const v of clause.variants) if (v.weight) checkShare(v.weight, out);
        const total = clause.variants.reduce((s, v) => s + (v.weight?.value ?? 0), 0);
        if (clause.variants.length > 0 && Math.abs(total - 1) > 1e-9) {
          out.push(makeDiagnostic("S016", `variant weights add up to ${fmtPct(total)}, not 100%`, clause.span));
        }
        break;
      }
      default:
        break;
    }
  }
}

function checkWaveNumbers(clause: A.WavesClause, out: Diagnostic[]): void {
  clause.waves.forEach((w, i) => {
    if (!w.number) return;
    const expected = i + 1;
    if (w.number.value !== expected) {
      out.push(
        makeDiagnostic("S013", `wave is numbered ${w.number.raw} but is wave ${expected} in order`, w.number.span, {
          fixes: [{ title: `renumber to ${expected}`, edits: [{ span: w.number.span, newText: String(expected) }] }],
        }),
      );
    }
  });
}

function checkBudget(clause: A.BudgetClause, out: Diagnostic[]): void {
  const totals = clause.limits.filter((l) => !l.period);
  if (totals.length > 1 && totals[1]) {
    out.push(makeDiagnostic("S012", "`total` is given twice in this budget", totals[1].span, { related: totals[0] ? [{ span: totals[0].span, message: "first given here" }] : [] }));
  }
  const pacing = clause.pacing;
  if (pacing && pacing.mode === "curve") {
    for (const p of pacing.curve) checkShare(p, out);
    const total = pacing.curve.reduce((s, p) => s + p.value, 0);
    if (pacing.curve.length > 0 && Math.abs(total - 1) > 1e-9) {
      out.push(makeDiagnostic("S016", `pacing curve adds up to ${fmtPct(total)}, not 100%`, pacing.span));
    }
  }
}

function checkShare(p: A.PercentLit, out: Diagnostic[]): void {
  if (p.value < 0 || p.value > 1) out.push(makeDiagnostic("S017", `\`${p.raw}\` is not between 0% and 100%`, p.span));
}

function fmtPct(x: number): string {
  return `${Math.round(x * 10000) / 100}%`;
}
