/**
 * The preview panel. The dry-run preview (reach, channels, cost, caps and
 * budget) will be rendered here; until then the panel says what it will show,
 * and, whatever it shows, it never stays blank: a file with errors gets
 * "fix the error at line N first".
 */
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { ServerInfo } from "./api.ts";

export interface PreviewState {
  readonly path: string | undefined;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly data: ServerInfo["data"];
}

function el(tag: string, className: string, text: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  e.textContent = text;
  return e;
}

export function renderPreview(root: HTMLElement, state: PreviewState): void {
  root.replaceChildren();
  if (!state.path) {
    root.append(el("p", "preview-message", "Open a campaign to preview it."));
    return;
  }
  const firstError = state.diagnostics.find((d) => d.severity === "error");
  if (firstError) {
    root.dataset["state"] = "error";
    root.append(el("p", "preview-message preview-error", `Fix the error at line ${firstError.span.line} first.`));
    root.append(el("p", "preview-detail", `${firstError.code}: ${firstError.message}`));
    return;
  }
  const campaigns = [...state.text.matchAll(/^\s*campaign\s+([^\s{"]+)/gm)].map((m) => m[1] ?? "");
  if (campaigns.length === 0) {
    root.dataset["state"] = "none";
    root.append(el("p", "preview-message", "This file declares no campaign: nothing to preview. Open a campaign file to see its preview."));
    return;
  }
  root.dataset["state"] = "pending";
  root.append(el("p", "preview-message", `Campaign ${campaigns.join(", ")} has no errors.`));
  root.append(el("p", "preview-detail", "The dry-run preview (who is reached, through which channel, when, at what cost, against which cap and budget) will appear here."));
  const data = state.data;
  root.append(
    el(
      "p",
      "preview-detail",
      data === null ? "No customer data set was given (start the editor with --data FILE)." : data.exists ? `Customer data: ${data.path}` : `Customer data ${data.path} was not found; the preview needs it.`,
    ),
  );
}
