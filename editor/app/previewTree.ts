/**
 * A sample customer's explanation (compiler/explain) as collapsible lists:
 * every clause with ✓ or ✗ and the values it read, clauses with parts as
 * <details> (open down to the first failing branch, so "why out" is in view).
 */
import type { TraceNode } from "../../compiler/interp/interpret.ts";
import type { PreviewSample } from "./previewTypes.ts";

function span(className: string, text: string): HTMLElement {
  const e = document.createElement("span");
  e.className = className;
  e.textContent = text;
  return e;
}

function mark(ok: boolean): HTMLElement {
  return span(`mark ${ok ? "ok" : "no"}`, ok ? "✓" : "✗");
}

function nodeLine(n: TraceNode): HTMLElement[] {
  const parts = [mark(n.result), span("clause", n.label)];
  // A tag clause reads only the tag: the mark already says whether the customer has it (as `campaign explain`).
  if (n.kind !== "tag" && n.values.length > 0) parts.push(span("values", `(${n.values.map((v) => `${v.name} = ${v.shown}`).join(", ")})`));
  return parts;
}

function traceItem(n: TraceNode, depth: number): HTMLElement {
  const li = document.createElement("li");
  li.className = n.result ? "t-ok" : "t-no";
  if (n.children.length === 0) {
    li.append(...nodeLine(n));
    return li;
  }
  const details = document.createElement("details");
  // Open the top levels, and any failing branch: the reason for a ✗ is one click away at most.
  details.open = depth < 1 || !n.result;
  const summary = document.createElement("summary");
  summary.append(...nodeLine(n));
  const ul = document.createElement("ul");
  ul.className = "trace";
  ul.append(...n.children.map((c) => traceItem(c, depth + 1)));
  details.append(summary, ul);
  li.append(details);
  return li;
}

export function traceTree(title: string, root: TraceNode): HTMLElement {
  const ul = document.createElement("ul");
  ul.className = "trace trace-root";
  const head = document.createElement("li");
  head.className = root.result ? "t-ok" : "t-no";
  const details = document.createElement("details");
  details.open = true;
  const summary = document.createElement("summary");
  summary.append(mark(root.result), span("clause clause-title", title));
  const inner = document.createElement("ul");
  inner.className = "trace";
  inner.append(traceItem(root, 0));
  details.append(summary, inner);
  head.append(details);
  ul.append(head);
  return ul;
}

/** One sample: a collapsible entry whose summary says IN/OUT, who and why picked; inside, the audience and trigger trees. */
export function sampleView(s: PreviewSample): HTMLElement {
  const e = s.explanation;
  const details = document.createElement("details");
  details.className = `sample sample-${s.kind}`;
  details.dataset["customer"] = s.customer;
  details.dataset["result"] = e.result;
  const summary = document.createElement("summary");
  summary.append(mark(e.result === "IN"), span("sample-result", e.result), span("sample-id", s.customer), span("sample-why", s.why));
  details.append(summary);
  details.append(traceTree("audience", e.audience));
  if (e.trigger) details.append(traceTree(`trigger on ${e.trigger.event}`, e.trigger.trace));
  if (e.problems.length > 0) {
    const p = document.createElement("p");
    p.className = "preview-detail";
    p.textContent = `Problems in the data (treated as missing): ${e.problems.map((x) => `${x.attribute}: ${x.message}`).join("; ")}`;
    details.append(p);
  }
  const at = document.createElement("p");
  at.className = "preview-detail sample-at";
  at.textContent = `Evaluated at ${e.at} (${e.zone}).`;
  details.append(at);
  return details;
}
