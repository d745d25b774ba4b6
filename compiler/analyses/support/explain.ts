/** Turns the reasoner's conflicts into message text and related spans. */
import type { RelatedSpan } from "../../../language/diagnostics/diagnostic.ts";
import { showLit, type Lit } from "../../logic/index.ts";
import { segmentOfLabels, spanOfLabels, type SpanTable } from "./conditions.ts";

function quoteList(items: readonly string[]): string {
  const q = items.map((s) => `\`${s}\``);
  if (q.length <= 1) return q.join("");
  return `${q.slice(0, -1).join(", ")} and ${q[q.length - 1]}`;
}

/** `\`aum >= 200k\` contradicts \`aum < 50k\``, plus a note when an `or` fails in every branch. */
export function conflictText(conflicts: readonly (readonly Lit[])[]): string {
  const first = conflicts[0] ?? [];
  const texts = [...new Set(first.map(showLit))];
  let s = texts.length === 2 ? `\`${texts[0]}\` contradicts \`${texts[1]}\`` : texts.length > 2 ? `${quoteList(texts)} cannot all hold` : texts.length === 1 ? `\`${texts[0]}\` cannot hold here` : "its parts contradict each other";
  const distinct = new Set(conflicts.map((c) => c.map(showLit).join("|")));
  if (distinct.size > 1) s += ", and every other alternative fails the same way";
  return s;
}

/** Related spans for the literals of the first conflict (deduplicated), minus the primary span's own offset. */
export function conflictRelated(conflicts: readonly (readonly Lit[])[], spans: SpanTable): RelatedSpan[] {
  const out: RelatedSpan[] = [];
  const seen = new Set<number>();
  for (const l of conflicts[0] ?? []) {
    const span = spanOfLabels(l.src.labels, spans);
    if (!span || seen.has(span.offset)) continue;
    seen.add(span.offset);
    const seg = segmentOfLabels(l.src.labels);
    out.push({ span, message: `requires \`${showLit(l)}\`${seg ? ` (through segment \`${seg}\`)` : ""}` });
  }
  return out;
}
