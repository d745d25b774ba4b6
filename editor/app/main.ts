/**
 * The Campaign editor app: file list, tabs, Monaco with the Campaign language,
 * problems, outline, preview panel and status bar. Talks to the editor server
 * (api.ts) and to the language worker (languageClient.ts).
 */
import * as monaco from "monaco-editor/editor";
import "monaco-editor/features/register.all";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import "./style.css";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { Api, ApiError, type ServerInfo } from "./api.ts";
import { LANGUAGE_ID, markerOf, pathOf, registerCampaignLanguage, setFormatRefusedHandler, shownDiagnostics, THEME } from "./campaignLanguage.ts";
import { Drafts } from "./drafts.ts";
import { LanguageClient } from "./languageClient.ts";
import LanguageWorker from "./worker/languageWorker.ts?worker";
import { PreviewPanel } from "./preview.ts";
import type { DocumentSymbolData } from "./language/protocol.ts";

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

/** How long typing must pause before the file is checked. */
const CHECK_DEBOUNCE_MS = 30;
const OWNER_CHECK = "campaign";
const OWNER_ANALYSES = "campaign-analyses";

function $(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing element #${id}`);
  return e;
}

function h(tag: string, props: { className?: string; text?: string; title?: string } = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.title !== undefined) e.title = props.title;
  e.append(...children);
  return e;
}

interface OpenFile {
  readonly path: string;
  readonly model: monaco.editor.ITextModel;
  /** The text on disk as last read or saved. */
  saved: string;
  viewState: monaco.editor.ICodeEditorViewState | null;
  diagnostics: readonly Diagnostic[];
  analyses: readonly Diagnostic[];
  checkTimer: ReturnType<typeof setTimeout> | undefined;
  draftTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the edit that the pending check answers was made. */
  editAt: number | undefined;
}

function tokenFromUrl(): string {
  const fromUrl = new URLSearchParams(location.search).get("token");
  if (fromUrl) {
    sessionStorage.setItem("campaign-token", fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem("campaign-token") ?? "";
}

class App {
  private readonly api = new Api(tokenFromUrl());
  private readonly client = new LanguageClient(new LanguageWorker({ name: "campaign-language" }));
  private editor!: monaco.editor.IStandaloneCodeEditor;
  private info!: ServerInfo;
  private drafts!: Drafts;
  private files: string[] = [];
  private readonly open = new Map<string, OpenFile>();
  private current: OpenFile | undefined;
  private version = 0;
  private lastCheckMs: number | undefined;
  private readonly preview = new PreviewPanel($("preview-body"), { token: tokenFromUrl(), reveal: (path, line, column) => void this.reveal(path, line, column) });

  async start(): Promise<void> {
    registerCampaignLanguage(this.client);
    setFormatRefusedHandler((reason) => this.flash(`Not formatted: ${reason}`, "warn"));
    this.client.onAnalyses = (m) => this.showAnalyses(m.path, m.version, m.diagnostics);
    this.editor = monaco.editor.create($("editor"), {
      language: LANGUAGE_ID,
      theme: THEME,
      automaticLayout: true,
      fontSize: 14,
      minimap: { enabled: false },
      renderWhitespace: "selection",
      tabSize: 2,
      insertSpaces: true,
      lightbulb: { enabled: monaco.editor.ShowLightbulbIconMode.OnCode },
      model: null,
    });
    this.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void this.save());
    this.editor.onDidChangeCursorPosition(() => this.updateCursor());
    $("save").addEventListener("click", () => void this.save());
    $("format").addEventListener("click", () => void this.editor.getAction("editor.action.formatDocument")?.run());
    $("check-all").addEventListener("click", () => void this.checkWorkspace());
    $("new-file").addEventListener("click", () => void this.showNewDialog());
    window.addEventListener("beforeunload", (e) => {
      this.flushDrafts();
      if ([...this.open.values()].some((f) => f.model.getValue() !== f.saved)) e.preventDefault();
    });
    // A reload or a closed tab must not lose the last keystrokes to the draft timer.
    window.addEventListener("pagehide", () => this.flushDrafts());
    try {
      this.info = await this.api.info();
    } catch (e) {
      this.fatal(e instanceof ApiError && e.status === 401 ? "This page was opened without the editor's access token. Open the URL that `campaign editor` printed." : `Cannot reach the editor server: ${String(e)}`);
      return;
    }
    this.drafts = new Drafts(this.info.workspaceId);
    $("workspace-name").textContent = this.info.workspace;
    this.showData();
    await this.refreshFiles();
    await this.sendWorkspace();
    const wanted = new URLSearchParams(location.hash.slice(1)).get("file");
    const first = (wanted && this.files.includes(wanted) ? wanted : undefined) ?? this.files.find((f) => !f.includes("/")) ?? this.files[0];
    if (first) await this.openFile(first);
    else this.renderPreviewPanel();
    this.setStatus("ready");
    document.body.dataset["ready"] = "true";
  }

  private fatal(message: string): void {
    $("editor").replaceChildren(h("div", { className: "fatal", text: message }));
    document.body.dataset["ready"] = "error";
  }

  private showData(): void {
    const d = this.info.data;
    const e = $("data-status");
    if (d === null) {
      e.textContent = "no customer data (--data)";
      e.className = "data-status data-none";
    } else if (d.exists) {
      e.textContent = `data: ${d.path}`;
      e.className = "data-status data-ok";
    } else {
      e.textContent = `data: ${d.path} — not found`;
      e.className = "data-status data-missing";
      e.title = "The customer data file given with --data does not exist yet; previews need it.";
    }
  }

  // ------------------------------------------------------------------ files

  private async refreshFiles(): Promise<void> {
    this.files = (await this.api.list()).files.map((f) => f.path);
    this.renderFileList();
  }

  private renderFileList(): void {
    const list = $("file-list");
    list.replaceChildren();
    const drafts = new Set(this.drafts.paths());
    for (const path of this.files) {
      const dirty = this.isDirty(path) || (!this.open.has(path) && drafts.has(path));
      const item = h("li", { className: `file${this.current?.path === path ? " active" : ""}${dirty ? " dirty" : ""}`, title: path });
      item.dataset["path"] = path;
      const slash = path.lastIndexOf("/");
      if (slash >= 0) item.append(h("span", { className: "dir", text: path.slice(0, slash + 1) }));
      item.append(h("span", { className: "name", text: path.slice(slash + 1) }));
      if (dirty) item.append(h("span", { className: "dot", text: "●", title: "unsaved changes" }));
      item.addEventListener("click", () => void this.openFile(path));
      list.append(item);
    }
  }

  private isDirty(path: string): boolean {
    const f = this.open.get(path);
    return f !== undefined && f.model.getValue() !== f.saved;
  }

  /** Gives the worker the saved text of every file, for names that live in other files (the catalog). */
  private async sendWorkspace(): Promise<void> {
    const texts = await Promise.all(this.files.map(async (path) => {
      const open = this.open.get(path);
      return { path, text: open ? open.model.getValue() : (await this.api.read(path)).text };
    }));
    await this.client.request({ method: "setWorkspace", files: texts });
  }

  async openFile(path: string): Promise<void> {
    let file = this.open.get(path);
    if (!file) {
      const { text } = await this.api.read(path);
      const draft = this.drafts.get(path);
      const uri = monaco.Uri.from({ scheme: "campaign", path: `/${path}` });
      const model = monaco.editor.createModel(draft && draft.text !== text ? draft.text : text, LANGUAGE_ID, uri);
      file = { path, model, saved: text, viewState: null, diagnostics: [], analyses: [], checkTimer: undefined, draftTimer: undefined, editAt: undefined };
      const f = file;
      model.onDidChangeContent(() => this.changed(f));
      this.open.set(path, file);
      if (draft && draft.text !== text) this.flash(draft.base === text ? `Restored unsaved changes to ${path}` : `Restored unsaved changes to ${path} (the file changed on disk since)`, "info");
      else if (draft) this.drafts.drop(path);
      this.scheduleCheck(file, 0);
    }
    if (this.current && this.current !== file) this.current.viewState = this.editor.saveViewState();
    this.current = file;
    this.editor.setModel(file.model);
    if (file.viewState) this.editor.restoreViewState(file.viewState);
    this.editor.focus();
    history.replaceState(null, "", `${location.pathname}${location.search}#file=${encodeURIComponent(path)}`);
    this.renderTabs();
    this.renderFileList();
    this.renderProblems();
    this.renderPreviewPanel();
    this.updateCursor();
    void this.renderOutline();
  }

  private closeFile(path: string): void {
    const file = this.open.get(path);
    if (!file) return;
    if (file.model.getValue() !== file.saved && !confirm(`${path} has unsaved changes. Close it anyway? (The changes stay in this browser's drafts.)`)) return;
    this.open.delete(path);
    shownDiagnostics.delete(file.model.uri.toString());
    if (this.current === file) {
      this.current = undefined;
      const next = [...this.open.keys()][0];
      if (next) void this.openFile(next);
      else {
        this.editor.setModel(null);
        this.renderPreviewPanel();
      }
    }
    file.model.dispose();
    this.renderTabs();
    this.renderFileList();
  }

  private renderTabs(): void {
    const tabs = $("tabs");
    tabs.replaceChildren();
    for (const file of this.open.values()) {
      const dirty = file.model.getValue() !== file.saved;
      const errors = file.diagnostics.filter((d) => d.severity === "error").length;
      const tab = h("div", { className: `tab${file === this.current ? " active" : ""}${dirty ? " dirty" : ""}${errors > 0 ? " has-errors" : ""}`, title: file.path });
      tab.dataset["path"] = file.path;
      tab.append(h("span", { className: "tab-name", text: file.path.split("/").pop() ?? file.path }));
      const close = h("button", { className: "tab-close", text: dirty ? "●" : "×", title: "close" });
      close.addEventListener("click", (e) => {
        e.stopPropagation();
        this.closeFile(file.path);
      });
      tab.append(close);
      tab.addEventListener("click", () => void this.openFile(file.path));
      tabs.append(tab);
    }
  }

  // --------------------------------------------------------------- checking

  /** Writes every pending draft now (the draft timer may not have fired yet). */
  private flushDrafts(): void {
    if (!this.drafts) return;
    for (const file of this.open.values()) {
      clearTimeout(file.draftTimer);
      this.drafts.put(file.path, file.model.getValue(), file.saved);
    }
  }

  private changed(file: OpenFile): void {
    file.editAt = performance.now();
    this.scheduleCheck(file, CHECK_DEBOUNCE_MS);
    clearTimeout(file.draftTimer);
    file.draftTimer = setTimeout(() => {
      this.drafts.put(file.path, file.model.getValue(), file.saved);
    }, 250);
    this.renderDirtyState(file);
  }

  private renderDirtyState(file: OpenFile): void {
    const dirty = file.model.getValue() !== file.saved;
    const tab = document.querySelector(`.tab[data-path="${CSS.escape(file.path)}"]`);
    if (tab && tab.classList.contains("dirty") !== dirty) this.renderTabs();
    const item = document.querySelector(`#file-list li[data-path="${CSS.escape(file.path)}"]`);
    if (item && item.classList.contains("dirty") !== dirty) this.renderFileList();
    if (file === this.current) $("status-saved").textContent = dirty ? "unsaved changes" : "saved";
  }

  private scheduleCheck(file: OpenFile, delay: number): void {
    clearTimeout(file.checkTimer);
    file.checkTimer = setTimeout(() => void this.check(file), delay);
  }

  private async check(file: OpenFile): Promise<void> {
    const version = file.model.getVersionId();
    const editAt = file.editAt;
    const sent = ++this.version;
    this.versions.set(file.path, { request: sent, model: version });
    const result = await this.client.request({ method: "check", path: file.path, text: file.model.getValue(), version: sent });
    // A newer edit has been made meanwhile: its own check will show its markers.
    if (file.model.isDisposed() || file.model.getVersionId() !== version) return;
    file.diagnostics = result.diagnostics;
    this.applyMarkers(file, version);
    if (editAt !== undefined) {
      this.lastCheckMs = performance.now() - editAt;
      file.editAt = undefined;
      document.body.dataset["lastCheckMs"] = this.lastCheckMs.toFixed(1);
    }
    if (file === this.current) {
      this.renderProblems();
      this.renderPreviewPanel();
      void this.renderOutline();
      this.updateStatus();
    }
    this.renderTabs();
  }

  private readonly versions = new Map<string, { request: number; model: number }>();

  private showAnalyses(path: string, request: number, diagnostics: readonly Diagnostic[]): void {
    const file = this.open.get(path);
    const v = this.versions.get(path);
    if (!file || !v || v.request !== request || file.model.getVersionId() !== v.model) return;
    file.analyses = diagnostics;
    this.applyMarkers(file, v.model);
    if (file === this.current) {
      this.renderProblems();
      this.updateStatus();
    }
  }

  private applyMarkers(file: OpenFile, version: number): void {
    monaco.editor.setModelMarkers(file.model, OWNER_CHECK, file.diagnostics.map((d) => markerOf(file.model, d)));
    monaco.editor.setModelMarkers(file.model, OWNER_ANALYSES, file.analyses.map((d) => markerOf(file.model, d)));
    shownDiagnostics.set(file.model.uri.toString(), { version, diagnostics: [...file.diagnostics, ...file.analyses] });
  }

  private renderProblems(): void {
    const list = $("problem-list");
    list.replaceChildren();
    const file = this.current;
    const all = file ? [...file.diagnostics, ...file.analyses].sort((a, b) => a.span.offset - b.span.offset) : [];
    $("problem-count").textContent = all.length === 0 ? "" : String(all.length);
    if (all.length === 0) {
      list.append(h("li", { className: "problem none", text: file ? "No problems in this file." : "" }));
      return;
    }
    for (const d of all) list.append(this.problemItem(d, file?.path ?? ""));
  }

  private problemItem(d: Diagnostic, path: string, showPath = false): HTMLElement {
    const item = h(
      "li",
      { className: `problem ${d.severity}` },
      h("span", { className: "sev", text: d.severity === "error" ? "✖" : d.severity === "warning" ? "▲" : "ℹ" }),
      h("span", { className: "code", text: d.code }),
      h("span", { className: "where", text: `${showPath ? `${path}:` : "line "}${d.span.line}:${d.span.column}` }),
      h("span", { className: "msg", text: d.message }),
    );
    item.dataset["code"] = d.code;
    item.dataset["line"] = String(d.span.line);
    item.addEventListener("click", () => void this.reveal(path, d.span.line, d.span.column));
    return item;
  }

  private async reveal(path: string, line: number, column: number): Promise<void> {
    if (this.current?.path !== path) await this.openFile(path);
    this.editor.setPosition({ lineNumber: line, column });
    this.editor.revealLineInCenter(line);
    this.editor.focus();
  }

  private async checkWorkspace(): Promise<void> {
    this.setStatus("checking the workspace…");
    const overlay = [...this.open.values()].filter((f) => f.model.getValue() !== f.saved).map((f) => ({ path: f.path, text: f.model.getValue() }));
    try {
      const report = await this.api.check(overlay);
      const list = $("workspace-problem-list");
      list.replaceChildren();
      $("workspace-problems").hidden = false;
      const errors = report.diagnostics.filter((d) => d.severity === "error").length;
      $("workspace-summary").textContent = `${report.files} files checked in ${Math.round(report.ms)} ms: ${errors} errors, ${report.diagnostics.length - errors} warnings and notes`;
      for (const d of report.diagnostics) list.append(this.problemItem(d, d.span.file, true));
      this.setStatus("workspace checked");
    } catch (e) {
      this.flash(`Check failed: ${e instanceof Error ? e.message : String(e)}`, "error");
    }
  }

  // ----------------------------------------------------------------- saving

  private async save(): Promise<void> {
    const file = this.current;
    if (!file) return;
    const text = file.model.getValue();
    try {
      const r = await this.api.save(file.path, text);
      file.saved = text;
      this.drafts.drop(file.path);
      const errors = r.diagnostics.filter((d) => d.severity === "error").length;
      this.flash(errors > 0 ? `Saved ${file.path} (it still has ${errors} syntax error${errors === 1 ? "" : "s"})` : `Saved ${file.path}`, errors > 0 ? "warn" : "info");
      this.renderDirtyState(file);
      this.renderTabs();
      this.renderFileList();
      await this.sendWorkspace();
      this.scheduleCheck(file, 0);
    } catch (e) {
      this.flash(`Not saved: ${e instanceof Error ? e.message : String(e)}`, "error");
    }
  }

  private async showNewDialog(): Promise<void> {
    const dialog = $("new-dialog") as HTMLDialogElement;
    const select = $("new-template") as HTMLSelectElement;
    const input = $("new-path") as HTMLInputElement;
    const error = $("new-error");
    error.textContent = "";
    if (select.options.length === 0) {
      for (const t of (await this.api.templates()).templates) {
        const o = document.createElement("option");
        o.value = t.id;
        o.textContent = t.title;
        select.append(o);
      }
    }
    input.value = "";
    dialog.showModal();
    const form = $("new-form") as HTMLFormElement;
    form.onsubmit = async (e) => {
      e.preventDefault();
      let path = input.value.trim();
      if (!path.endsWith(".campaign")) path += ".campaign";
      try {
        await this.api.create(path, select.value);
        dialog.close();
        await this.refreshFiles();
        await this.sendWorkspace();
        await this.openFile(path);
        this.flash(`Created ${path}`, "info");
      } catch (err) {
        error.textContent = err instanceof Error ? err.message : String(err);
      }
    };
    $("new-cancel").onclick = () => dialog.close();
  }

  // ------------------------------------------------------------ side panels

  private renderPreviewPanel(): void {
    const f = this.current;
    this.preview.update({ path: f?.path, text: f?.model.getValue() ?? "", diagnostics: f?.diagnostics ?? [], data: this.info?.data ?? null });
  }

  private async renderOutline(): Promise<void> {
    const file = this.current;
    if (!file) return;
    const symbols = await this.client.request({ method: "symbols", path: file.path, text: file.model.getValue() });
    if (file !== this.current) return;
    const list = $("outline");
    list.replaceChildren(...symbols.map((s) => this.outlineItem(s, file.path, 0)));
  }

  private outlineItem(s: DocumentSymbolData, path: string, depth: number): HTMLElement {
    const li = h("li", { className: `sym sym-${s.kind}` });
    const row = h("div", { className: "sym-row" }, h("span", { className: "sym-name", text: s.name }), h("span", { className: "sym-detail", text: s.detail }));
    row.style.paddingLeft = `${depth * 12 + 4}px`;
    row.addEventListener("click", () => void this.reveal(path, s.selectionSpan.line, s.selectionSpan.column));
    li.append(row);
    // Only two levels: the catalog's 40 attributes and a campaign's waves, not every test step.
    if (s.children.length > 0 && depth < 2) li.append(h("ul", {}, ...s.children.map((c) => this.outlineItem(c, path, depth + 1))));
    return li;
  }

  // ------------------------------------------------------------ status bar

  private updateCursor(): void {
    const p = this.editor.getPosition();
    $("status-cursor").textContent = p ? `Ln ${p.lineNumber}, Col ${p.column}` : "";
    $("status-file").textContent = this.current?.path ?? "";
    if (this.current) $("status-saved").textContent = this.isDirty(this.current.path) ? "unsaved changes" : "saved";
  }

  private updateStatus(): void {
    const f = this.current;
    if (!f) return;
    const all = [...f.diagnostics, ...f.analyses];
    const errors = all.filter((d) => d.severity === "error").length;
    const warnings = all.filter((d) => d.severity === "warning").length;
    const problems = $("status-problems");
    problems.textContent = `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
    problems.className = errors > 0 ? "st-errors" : warnings > 0 ? "st-warnings" : "st-ok";
    if (this.lastCheckMs !== undefined) $("status-latency").textContent = `checked ${Math.round(this.lastCheckMs)} ms after typing`;
  }

  private setStatus(text: string): void {
    $("status-message").textContent = text;
  }

  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  private flash(text: string, level: "info" | "warn" | "error"): void {
    const e = $("status-message");
    e.textContent = text;
    e.className = `flash-${level}`;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => {
      e.textContent = "";
      e.className = "";
    }, 8000);
  }
}

void new App().start();
