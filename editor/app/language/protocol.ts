/**
 * The messages between the editor's main thread and its language worker, and
 * the plain-data results of the language service. Everything here is
 * structured-clone safe (no functions, no class instances).
 */
import type { Diagnostic } from "../../../language/diagnostics/diagnostic.ts";
import type { Span } from "../../../language/span.ts";

export interface WorkspaceFile {
  readonly path: string;
  readonly text: string;
}

export type CompletionKind = "keyword" | "attribute" | "field" | "tag" | "event" | "channel" | "benefit" | "enumValue" | "segment" | "policy" | "catalog" | "library";

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  /** Shown next to the label: a type, a Chinese label, a cost. */
  readonly detail?: string;
  /** Markdown shown in the details pane. */
  readonly documentation?: string;
  /** Orders entries: lower first. */
  readonly sortText: string;
  /** Text to insert when it differs from the label (backticked reserved words). */
  readonly insertText?: string;
}

export interface CompletionResult {
  /** The offset where the word being completed starts (the range to replace ends at the cursor). */
  readonly replaceFrom: number;
  readonly entries: readonly CompletionEntry[];
}

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
}

export type SymbolKind = "catalog" | "campaign" | "segments" | "clause" | "attribute" | "tag" | "event" | "field" | "channel" | "benefit" | "policy" | "segment" | "wave" | "test";

export interface DocumentSymbolData {
  readonly name: string;
  readonly detail: string;
  readonly kind: SymbolKind;
  readonly span: Span;
  readonly selectionSpan: Span;
  readonly children: readonly DocumentSymbolData[];
}

export interface FormatResultData {
  readonly text: string;
  readonly changed: boolean;
  /** Why the file was not formatted (it has a syntax error). */
  readonly refused?: string;
}

export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Milliseconds the worker spent. */
  readonly ms: number;
}

/** Requests the main thread sends; each gets one response with the same id. */
export type WorkerRequest =
  | { readonly id: number; readonly method: "setWorkspace"; readonly files: readonly WorkspaceFile[] }
  | { readonly id: number; readonly method: "check"; readonly path: string; readonly text: string; readonly version: number }
  | { readonly id: number; readonly method: "complete"; readonly path: string; readonly text: string; readonly offset: number }
  | { readonly id: number; readonly method: "hover"; readonly path: string; readonly text: string; readonly offset: number }
  | { readonly id: number; readonly method: "symbols"; readonly path: string; readonly text: string }
  | { readonly id: number; readonly method: "format"; readonly path: string; readonly text: string };

export type WorkerMethod = WorkerRequest["method"];

export interface WorkerResults {
  setWorkspace: null;
  check: CheckResult;
  complete: CompletionResult;
  hover: HoverResult | null;
  symbols: DocumentSymbolData[];
  format: FormatResultData;
}

export type WorkerMessage =
  | { readonly kind: "response"; readonly id: number; readonly result: WorkerResults[WorkerMethod] }
  | { readonly kind: "error"; readonly id: number; readonly message: string }
  /** Whole-campaign analyses, sent after the `check` response for the same version. */
  | { readonly kind: "analyses"; readonly path: string; readonly version: number; readonly diagnostics: readonly Diagnostic[]; readonly ms: number };
