/**
 * The Campaign language in Monaco: colouring from the lexer, and completion,
 * hover, outline, formatting and quick fixes answered by the language worker.
 * Diagnostics are pushed as markers by the app (see main.ts) and remembered
 * here so code actions can offer their suggested fixes.
 */
import * as monaco from "monaco-editor/editor";
import type { Diagnostic, Severity } from "../../language/diagnostics/diagnostic.ts";
import type { Span } from "../../language/span.ts";
import type { LanguageClient } from "./languageClient.ts";
import type { CompletionKind, DocumentSymbolData, SymbolKind } from "./language/protocol.ts";
import { campaignTokensProvider, scopeOf, themeRules } from "./tokens.ts";
import type { TokenClass } from "../../language/lexer/tokens.ts";

export const LANGUAGE_ID = "campaign";
export const THEME = "campaign-light";

/** The workspace path a model stands for. */
export function pathOf(model: monaco.editor.ITextModel): string {
  return decodeURIComponent(model.uri.path.replace(/^\//, ""));
}

export function rangeOf(span: Span): monaco.IRange {
  return { startLineNumber: span.line, startColumn: span.column, endLineNumber: span.endLine, endColumn: span.endColumn };
}

function severityOf(s: Severity): monaco.MarkerSeverity {
  return s === "error" ? monaco.MarkerSeverity.Error : s === "warning" ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info;
}

export function markerOf(model: monaco.editor.ITextModel, d: Diagnostic): monaco.editor.IMarkerData {
  return {
    ...rangeOf(d.span),
    severity: severityOf(d.severity),
    code: d.code,
    source: "campaign",
    message: d.message + (d.help ? `\nhelp: ${d.help}` : "") + (d.fixes.length > 0 ? `\nfix: ${d.fixes.map((f) => f.title).join("; ")}` : ""),
    relatedInformation: d.related.filter((r) => r.span.file === d.span.file).map((r) => ({ resource: model.uri, message: r.message, ...rangeOf(r.span) })),
  };
}

/** The diagnostics currently shown per model (with the model version they were computed for), so code actions can find their fixes. */
export const shownDiagnostics = new Map<string, { readonly version: number; readonly diagnostics: readonly Diagnostic[] }>();

const completionKinds: Record<CompletionKind, monaco.languages.CompletionItemKind> = {
  keyword: monaco.languages.CompletionItemKind.Keyword,
  attribute: monaco.languages.CompletionItemKind.Field,
  field: monaco.languages.CompletionItemKind.Property,
  tag: monaco.languages.CompletionItemKind.Constant,
  event: monaco.languages.CompletionItemKind.Event,
  channel: monaco.languages.CompletionItemKind.Module,
  benefit: monaco.languages.CompletionItemKind.Struct,
  enumValue: monaco.languages.CompletionItemKind.EnumMember,
  segment: monaco.languages.CompletionItemKind.Reference,
  policy: monaco.languages.CompletionItemKind.Interface,
  catalog: monaco.languages.CompletionItemKind.Folder,
  library: monaco.languages.CompletionItemKind.Folder,
};

const symbolKinds: Record<SymbolKind, monaco.languages.SymbolKind> = {
  catalog: monaco.languages.SymbolKind.Namespace,
  campaign: monaco.languages.SymbolKind.Class,
  segments: monaco.languages.SymbolKind.Namespace,
  clause: monaco.languages.SymbolKind.Property,
  attribute: monaco.languages.SymbolKind.Field,
  tag: monaco.languages.SymbolKind.Constant,
  event: monaco.languages.SymbolKind.Event,
  field: monaco.languages.SymbolKind.Field,
  channel: monaco.languages.SymbolKind.Module,
  benefit: monaco.languages.SymbolKind.Struct,
  policy: monaco.languages.SymbolKind.Interface,
  segment: monaco.languages.SymbolKind.Variable,
  wave: monaco.languages.SymbolKind.EnumMember,
  test: monaco.languages.SymbolKind.Method,
};

function toSymbol(s: DocumentSymbolData): monaco.languages.DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: symbolKinds[s.kind],
    tags: [],
    range: rangeOf(s.span),
    selectionRange: rangeOf(s.selectionSpan),
    children: s.children.map(toSymbol),
  };
}

/** Called when formatting is refused, so the app can say why. */
export let onFormatRefused: (reason: string) => void = () => {};
export function setFormatRefusedHandler(f: (reason: string) => void): void {
  onFormatRefused = f;
}

export function registerCampaignLanguage(client: LanguageClient): void {
  monaco.languages.register({ id: LANGUAGE_ID, extensions: [".campaign"], aliases: ["Campaign"] });
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    comments: { lineComment: "//", blockComment: ["/*", "*/"] },
    brackets: [
      ["{", "}"],
      ["(", ")"],
      ["[", "]"],
    ],
    autoClosingPairs: [
      { open: "{", close: "}" },
      { open: "(", close: ")" },
      { open: "[", close: "]" },
      { open: '"', close: '"', notIn: ["string", "comment"] },
    ],
    // Names may contain dots (`app.login`) and CJK letters.
    wordPattern: /[A-Za-z_\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF][\w.\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF]*|\d[\d_.]*\w*/,
    indentationRules: { increaseIndentPattern: /\{\s*$/, decreaseIndentPattern: /^\s*\}/ },
  });
  monaco.languages.setTokensProvider(LANGUAGE_ID, campaignTokensProvider());
  monaco.editor.defineTheme(THEME, {
    base: "vs",
    inherit: true,
    rules: (Object.entries(themeRules) as [TokenClass, string][]).map(([cls, colour]) => ({
      token: scopeOf(cls),
      foreground: colour,
      ...(cls === "keyword" ? { fontStyle: "bold" } : cls === "comment" ? { fontStyle: "italic" } : {}),
    })),
    colors: {},
  });

  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: ["(", ",", " "],
    async provideCompletionItems(model, position, context) {
      const offset = model.getOffsetAt(position);
      // On a space, only offer names where the grammar expects one right away (after `has`, `on`, `segment`, operators...).
      const result = await client.request({ method: "complete", path: pathOf(model), text: model.getValue(), offset });
      const onSpace = context.triggerKind === monaco.languages.CompletionTriggerKind.TriggerCharacter && context.triggerCharacter === " ";
      const entries = onSpace ? result.entries.filter((e) => e.kind !== "keyword" && e.kind !== "attribute") : result.entries;
      if (onSpace && entries.length === 0) return { suggestions: [] };
      const start = model.getPositionAt(result.replaceFrom);
      const range = new monaco.Range(start.lineNumber, start.column, position.lineNumber, position.column);
      return {
        suggestions: entries.map((e) => ({
          label: e.detail ? { label: e.label, description: e.detail } : e.label,
          kind: completionKinds[e.kind],
          insertText: e.insertText ?? e.label,
          ...(e.documentation ? { documentation: { value: e.documentation } } : {}),
          ...(e.detail ? { detail: e.detail } : {}),
          // Chinese labels are searchable too: typing 代发 finds `payroll`.
          filterText: e.detail ? `${e.label} ${e.detail}` : e.label,
          sortText: e.sortText,
          range,
        })),
      };
    },
  });

  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    async provideHover(model, position) {
      const r = await client.request({ method: "hover", path: pathOf(model), text: model.getValue(), offset: model.getOffsetAt(position) });
      if (!r) return null;
      return { contents: [{ value: r.markdown }], range: rangeOf(r.span) };
    },
  });

  monaco.languages.registerDocumentSymbolProvider(LANGUAGE_ID, {
    displayName: "Campaign outline",
    async provideDocumentSymbols(model) {
      const symbols = await client.request({ method: "symbols", path: pathOf(model), text: model.getValue() });
      return symbols.map(toSymbol);
    },
  });

  monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
    displayName: "campaign fmt",
    async provideDocumentFormattingEdits(model) {
      const r = await client.request({ method: "format", path: pathOf(model), text: model.getValue() });
      if (r.refused) {
        onFormatRefused(r.refused);
        return [];
      }
      if (!r.changed) return [];
      return [{ range: model.getFullModelRange(), text: r.text }];
    },
  });

  monaco.languages.registerCodeActionProvider(
    LANGUAGE_ID,
    {
      provideCodeActions(model, _range, context) {
        const shown = shownDiagnostics.get(model.uri.toString());
        // Fixes carry offsets into the text that was checked: offer them only for that text.
        const diagnostics = shown && shown.version === model.getVersionId() ? shown.diagnostics : [];
        const actions: monaco.languages.CodeAction[] = [];
        for (const marker of context.markers) {
          const code = typeof marker.code === "string" ? marker.code : marker.code?.value;
          const matching = diagnostics.filter((d) => d.code === code && d.span.line === marker.startLineNumber && d.span.column === marker.startColumn);
          for (const d of matching) {
            d.fixes.forEach((fix, i) => {
              actions.push({
                title: fix.title,
                kind: "quickfix",
                diagnostics: [marker],
                isPreferred: i === 0,
                edit: { edits: fix.edits.map((e) => ({ resource: model.uri, versionId: model.getVersionId(), textEdit: { range: rangeOf(e.span), text: e.newText } })) },
              });
            });
          }
        }
        return { actions, dispose: () => {} };
      },
    },
    { providedCodeActionKinds: ["quickfix"] },
  );
}
