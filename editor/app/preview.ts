/**
 * The preview panel: what the open campaign would do on the server's
 * customer data, before launch. It asks `POST /api/preview` (the dry-run of
 * the file's campaigns with its unsaved text, editor/server/preview.ts) on
 * demand (the Preview button) and 1.5 s after the last keystroke, and shows
 * the audience, entries and holdout, touches per day and channel, each
 * wave's outcome, suppressions by reason, budget burn against the pacing
 * line (charts), cost and conversions, and a few sample customers with the
 * explain tree of each.
 *
 * It is never blank: with no file, with errors ("Fix the error at line N
 * first", a link that moves the cursor there; the last good result stays,
 * greyed), with no data, with no campaign in the file, while the first
 * result is on its way, and when the run fails, it says so.
 */
import type { Chart } from "chart.js";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { ServerInfo } from "./api.ts";
import { budgetChart, suppressionsChart, touchesByDayChart, wavesChart } from "./previewCharts.ts";
import { sampleView } from "./previewTree.ts";
import type { PreviewCampaign, PreviewProblem, PreviewResponse, PreviewRun } from "./previewTypes.ts";

export interface PreviewState {
  readonly path: string | undefined;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly data: ServerInfo["data"];
}

export interface PreviewPanelOptions {
  /** The per-start token for the API. */
  readonly token: string;
  /** Moves the cursor to a place (opening the file if needed). */
  readonly reveal: (path: string, line: number, column: number) => void;
  /** Pause after the last keystroke before the preview re-runs. */
  readonly debounceMs?: number;
}

export const PREVIEW_DEBOUNCE_MS = 1500;

type Shown = { readonly path: string; readonly text: string; readonly response: PreviewResponse } | { readonly path: string; readonly text: string; readonly failure: string };

function el(tag: string, className: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

const num = (n: number): string => n.toLocaleString("en");
const money = (n: number): string => n.toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (r: number | null): string => (r === null ? "–" : `${(r * 100).toFixed(1)}%`);

/** The last day of a window given by its exclusive end (`2027-01-01T00:00:00+08:00` → `2026-12-31`). */
function lastDay(end: string): string {
  const day = end.slice(0, 10);
  if (!/T00:00(:00)?([+-]|Z|$)/.test(end.slice(10))) return day;
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The campaign names declared in a text (for messages before the server answers). */
function declaredCampaigns(text: string): string[] {
  return [...text.matchAll(/^\s*campaign\s+([^\s{"]+)/gm)].map((m) => m[1] ?? "");
}

export class PreviewPanel {
  private readonly toolbar: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly content: HTMLElement;
  private readonly debounceMs: number;
  private state: PreviewState | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scheduled: { path: string; text: string } | undefined;
  private seq = 0;
  private inFlight: { seq: number; path: string; text: string } | undefined;
  private shown: Shown | undefined;
  private readonly lastGood = new Map<string, { text: string; response: PreviewResponse & { status: "ok" } }>();
  /** What `content` holds now, so it is rebuilt only when that changes (charts, open explain trees survive typing). */
  private contentOf: PreviewResponse | undefined;
  private charts: Chart[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly options: PreviewPanelOptions,
  ) {
    this.debounceMs = options.debounceMs ?? PREVIEW_DEBOUNCE_MS;
    this.toolbar = el("div", "preview-toolbar");
    this.button = el("button", "preview-run", "Preview") as HTMLButtonElement;
    this.button.type = "button";
    this.button.id = "preview-run";
    this.button.title = "Run the preview now (it also re-runs 1.5 s after you stop typing)";
    this.button.addEventListener("click", () => this.runNow());
    this.status = el("span", "preview-status");
    this.toolbar.append(this.button, el("span", "preview-spinner"), this.status);
    this.banner = el("div", "preview-banner");
    this.content = el("div", "preview-content");
    // The toolbar and the message stay in view (sticky) however far down the results the panel is scrolled.
    const head = el("div", "preview-head");
    head.append(this.toolbar, this.banner);
    root.replaceChildren(head, this.content);
    root.dataset["busy"] = "false";
  }

  /** The open file changed (text, diagnostics, or another file was opened). */
  update(state: PreviewState): void {
    const previousPath = this.state?.path;
    this.state = state;
    const path = state.path;
    if (!path || state.diagnostics.some((d) => d.severity === "error")) {
      this.cancelScheduled();
      this.render();
      return;
    }
    const current = (s: { path: string; text: string } | undefined): boolean => s !== undefined && s.path === path && s.text === state.text;
    if (!current(this.shown) && !current(this.inFlight) && !current(this.scheduled)) {
      // A newly opened file runs at once; edits wait for typing to pause.
      const opened = previousPath !== path && !this.lastGood.has(path);
      this.schedule(path, state.text, opened ? 0 : this.debounceMs);
    }
    this.render();
  }

  /** The Preview button: run now, whatever ran before. */
  runNow(): void {
    const s = this.state;
    if (!s?.path || s.diagnostics.some((d) => d.severity === "error")) {
      this.render();
      return;
    }
    this.schedule(s.path, s.text, 0);
  }

  private schedule(path: string, text: string, delay: number): void {
    clearTimeout(this.timer);
    this.scheduled = { path, text };
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.scheduled = undefined;
      void this.run(path, text);
    }, delay);
    this.renderBusy();
  }

  private cancelScheduled(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.scheduled = undefined;
    // A run in flight for text that has errors now is of no use: its answer is dropped (the server supersedes it with the next one).
    if (this.inFlight) {
      this.seq++;
      this.inFlight = undefined;
    }
  }

  private async run(path: string, text: string): Promise<void> {
    const seq = ++this.seq;
    this.inFlight = { seq, path, text };
    this.render();
    let shown: Shown;
    try {
      const res = await fetch("/api/preview", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Campaign-Token": this.options.token },
        body: JSON.stringify({ path, text }),
      });
      const json: unknown = await res.json().catch(() => ({}));
      if (seq !== this.seq) return;
      if (!res.ok) {
        const message = typeof json === "object" && json !== null && typeof (json as { error?: unknown }).error === "string" ? (json as { error: string }).error : `${res.status} ${res.statusText}`;
        shown = { path, text, failure: `The preview failed: ${message}` };
      } else {
        const response = json as PreviewResponse;
        // Still this page's latest request, so the newer one came from another window of the editor.
        if (response.status === "superseded") shown = { path, text, failure: "Another window of the editor started a preview, which replaced this one: press Preview to run it again." };
        else shown = { path, text, response };
        if (response.status === "ok") this.lastGood.set(path, { text, response });
      }
    } catch (e) {
      if (seq !== this.seq) return;
      shown = { path, text, failure: `The preview failed: cannot reach the editor server (${e instanceof Error ? e.message : String(e)}).` };
    }
    this.inFlight = undefined;
    this.shown = shown;
    this.render();
  }

  // ------------------------------------------------------------ rendering

  private renderBusy(): void {
    const busy = this.inFlight !== undefined || this.scheduled !== undefined;
    this.root.dataset["busy"] = String(busy);
    const s = this.state;
    const errors = s?.diagnostics.some((d) => d.severity === "error") ?? false;
    this.button.disabled = !s?.path || errors;
    this.status.textContent = this.inFlight ? "updating…" : this.scheduled ? "waiting for typing to pause…" : errors ? "paused: the file has errors" : this.shownFor(s?.path) ? "up to date" : "";
    if (!this.inFlight && !this.scheduled && s?.path && !errors && this.shown && "response" in this.shown && this.shown.response.status === "ok" && this.shown.text !== s.text) {
      this.status.textContent = "out of date: press Preview";
    }
  }

  private shownFor(path: string | undefined): Shown | undefined {
    return path !== undefined && this.shown?.path === path ? this.shown : undefined;
  }

  private render(): void {
    this.renderBusy();
    const s = this.state;
    const path = s?.path;
    if (!s || !path) {
      this.setState("none");
      this.setBanner(el("p", "preview-message", "Open a campaign to preview it."));
      this.setContent(undefined, false);
      return;
    }
    const good = this.lastGood.get(path)?.response;
    const firstError = s.diagnostics.filter((d) => d.severity === "error").sort((a, b) => a.span.offset - b.span.offset)[0];
    if (firstError) {
      this.setState("errors");
      this.setBanner(this.pointer({ file: path, line: firstError.span.line, column: firstError.span.column, code: firstError.code, message: firstError.message }, `Fix the error at line ${firstError.span.line} first.`, good !== undefined));
      this.setContent(good, true);
      return;
    }
    const shown = this.shownFor(path);
    const names = declaredCampaigns(s.text);
    const who = names.length === 0 ? "This file" : `Campaign ${names.join(", ")}`;
    if (!shown) {
      this.setState("pending");
      this.setBanner(el("p", "preview-message", `${who} has no errors. Running the preview${s.data?.exists ? ` over ${s.data.path}` : ""}…`));
      this.setContent(good, true);
      return;
    }
    if ("failure" in shown) {
      this.setState("failed");
      this.setBanner(el("p", "preview-message preview-error", shown.failure));
      this.setContent(good, true);
      return;
    }
    const r = shown.response;
    this.setState(r.status);
    switch (r.status) {
      case "ok":
        this.setBanner(undefined);
        this.setContent(r, shown.text !== s.text);
        return;
      case "errors": {
        const first = r.problems[0];
        this.setBanner(first ? this.pointer(first, r.message, good !== undefined) : el("p", "preview-message preview-error", r.message));
        this.setContent(good, true);
        return;
      }
      case "no-data": {
        const box = el("div", "");
        box.append(el("p", "preview-message", `${r.campaigns.length > 0 ? `Campaign ${r.campaigns.join(", ")}` : who} has no errors.`), el("p", "preview-message preview-warn", `No preview: ${r.message}`));
        this.setBanner(box);
        this.setContent(undefined, false);
        return;
      }
      case "no-campaign":
        this.setBanner(el("p", "preview-message", r.message));
        this.setContent(undefined, false);
        return;
      case "superseded":
        return;
      case "data-error":
      case "timeout": {
        const box = el("div", "");
        box.append(el("p", "preview-message", `${r.campaigns.length > 0 ? `Campaign ${r.campaigns.join(", ")}` : who} has no errors, but there is no preview.`), el("p", "preview-message preview-warn", r.message));
        this.setBanner(box);
        this.setContent(good, true);
        return;
      }
    }
  }

  private setState(state: string): void {
    this.root.dataset["state"] = state;
  }

  private setBanner(node: HTMLElement | undefined): void {
    this.banner.replaceChildren(...(node ? [node] : []));
    this.banner.hidden = node === undefined;
  }

  /** "Fix the error at line N first." as a link to the place, with the error's code and message under it. */
  private pointer(p: PreviewProblem, text: string, hasStale: boolean): HTMLElement {
    const box = el("div", "preview-pointer");
    const link = el("button", "preview-message preview-error preview-goto", text) as HTMLButtonElement;
    link.type = "button";
    link.title = `Go to ${p.file} line ${p.line}, column ${p.column}`;
    link.dataset["line"] = String(p.line);
    link.addEventListener("click", () => this.options.reveal(p.file, p.line, p.column));
    box.append(link, el("p", "preview-detail", `${p.code}: ${p.message}`));
    box.append(el("p", "preview-detail", hasStale ? "The preview is paused; below, greyed, is the last one that ran." : "The preview runs once the file has no errors."));
    return box;
  }

  private setContent(response: PreviewResponse | undefined, stale: boolean): void {
    this.content.classList.toggle("stale", stale && response !== undefined);
    if (response === this.contentOf) return;
    for (const c of this.charts) c.destroy();
    this.charts = [];
    this.contentOf = response;
    this.content.replaceChildren();
    if (!response || response.status !== "ok") return;
    const pending: (() => void)[] = [];
    for (const c of response.campaigns) this.content.append(this.campaignView(c, pending));
    this.content.append(this.runView(response.run));
    // Charts measure their canvas: draw them once the content is in the page.
    for (const draw of pending) draw();
  }

  private chartBox(title: string, height: number, draw: (canvas: HTMLCanvasElement) => Chart | undefined, pending: (() => void)[]): HTMLElement {
    const box = el("div", "pv-chart");
    box.append(el("h4", "", title));
    const wrap = el("div", "pv-canvas");
    wrap.style.height = `${height}px`;
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", title);
    wrap.append(canvas);
    box.append(wrap);
    pending.push(() => {
      const chart = draw(canvas);
      if (chart) this.charts.push(chart);
    });
    return box;
  }

  private figure(label: string, value: string, hint: string, name: string): HTMLElement {
    const f = el("div", "pv-figure");
    f.dataset["figure"] = name;
    f.append(el("div", "pv-label", label), el("div", "pv-value", value), el("div", "pv-hint", hint));
    return f;
  }

  private campaignView(c: PreviewCampaign, pending: (() => void)[]): HTMLElement {
    const sec = el("section", "pv-campaign");
    sec.dataset["campaign"] = c.id;
    const h = el("h3", "", c.id);
    if (c.label) h.append(el("span", "pv-muted", ` ${c.label}`));
    sec.append(h);
    sec.append(el("p", "preview-detail", `${c.trigger === "batch" ? "Runs on a schedule" : "Runs on an event"}; window ${c.window.from.slice(0, 10)} to ${lastDay(c.window.to)}.`));

    const figures = el("div", "pv-figures");
    const audienceHint = c.audience.definition === "batch-sql-count" ? `customers in the audience at ${c.audience.at?.slice(0, 16).replace("T", " ") ?? "the start"}` : "customers who matched the trigger and audience";
    const holdoutShare = c.entries.total > 0 ? ` (${((c.entries.holdout / c.entries.total) * 100).toFixed(1)}%)` : "";
    const channels = Object.entries(c.touches.byChannel).map(([k, v]) => `${k} ${num(v)}`).join(", ");
    figures.append(
      this.figure("Audience", num(c.audience.size), audienceHint, "audience"),
      this.figure("Holdout", num(c.entries.holdout), `of ${num(c.entries.total)} entries${holdoutShare}; ${num(c.entries.treated)} treated`, "holdout"),
      this.figure("Touches", num(c.touches.total), channels || "none sent", "touches"),
      this.figure("Suppressed", num(c.suppressions.total), c.suppressions.total > 0 ? "by caps, consent, addresses: see below" : "nothing suppressed", "suppressed"),
      this.figure("Conversions", num(c.conversions.treated.conversions), `treated ${pct(c.conversions.treated.rate)} vs holdout ${pct(c.conversions.holdout.rate)}`, "conversions"),
      this.figure("Cost", money(c.cost.total), `touches ${money(c.cost.touches)} + benefits ${money(c.cost.benefits)}`, "cost"),
    );
    sec.append(figures);

    sec.append(this.chartBox("Touches per day, by channel", 150, (cv) => touchesByDayChart(cv, c), pending));
    sec.append(this.chartBox("Each wave: touched, suppressed, skipped, cancelled, pending", Math.max(90, 34 * c.waves.length + 50), (cv) => wavesChart(cv, c), pending));
    sec.append(this.wavesTable(c));

    if (c.suppressions.total > 0) {
      sec.append(this.chartBox("Suppressions by reason", Math.max(80, 24 * Object.keys(c.suppressions.byReason).length + 40), (cv) => suppressionsChart(cv, c), pending));
      const rules = el("ul", "pv-rules");
      for (const r of c.suppressions.rules) rules.append(el("li", "", `${num(r.count)} × ${r.reason}: ${r.rule}`));
      sec.append(rules);
    } else sec.append(el("h4", "", "Suppressions by reason"), el("p", "preview-detail", "No touch was suppressed."));

    const b = c.budget;
    if (b) {
      sec.append(this.chartBox("Budget burn against the pacing line", 150, (cv) => budgetChart(cv, c), pending));
      sec.append(el("p", "preview-detail", `Spent ${money(b.spent)}${b.total !== null ? ` of ${money(b.total)} (${pct(b.burn)})` : ""} on benefits in the period; pacing ${b.pacing}.`));
    } else sec.append(el("h4", "", "Budget"), el("p", "preview-detail", "This campaign declares no budget."));

    sec.append(el("h4", "", "Sample customers"));
    const samples = el("div", "pv-samples");
    for (const s of c.samples) samples.append(sampleView(s));
    sec.append(samples);
    if (c.samplesNote) sec.append(el("p", "preview-detail", c.samplesNote));
    return sec;
  }

  private wavesTable(c: PreviewCampaign): HTMLElement {
    const table = el("table", "pv-waves");
    const head = el("tr", "");
    for (const [t, title] of [["#", "wave"], ["channels", "the wave's channel and its fallbacks"], ["sent", "touched"], ["suppr.", "suppressed"], ["skip", "skipped"], ["canc.", "cancelled (converted, exited, window ended)"], ["pend.", "still pending when the period ended"]] as const) {
      const th = el("th", "", t);
      th.title = title;
      head.append(th);
    }
    table.append(head);
    for (const w of c.waves) {
      const tr = el("tr", "");
      tr.dataset["wave"] = String(w.wave);
      for (const t of [String(w.wave), w.channels.join(" → "), num(w.touched), num(w.suppressed), num(w.skipped), num(w.cancelled), num(w.pending)]) tr.append(el("td", "", t));
      table.append(tr);
    }
    return table;
  }

  private runView(run: PreviewRun): HTMLElement {
    const f = el("footer", "pv-run");
    f.append(el("p", "preview-detail", `Dry-run over ${run.data.path}: ${num(run.data.customers)} customers, ${run.period.from.slice(0, 10)} to ${run.period.to.slice(0, 10)} (${run.period.days.length} days, ${num(run.inputs)} events and profile updates), in ${(run.ms / 1000).toFixed(1)} s.`));
    if (run.bounded) f.append(el("p", "preview-detail preview-warn pv-bounded", run.bounded));
    f.append(el("p", "preview-detail", run.scope));
    for (const w of run.warnings) f.append(el("p", "preview-detail preview-warn", `Warning: ${w}`));
    return f;
  }
}
