/**
 * `POST /api/preview` on the editor server, over a temporary copy of
 * examples/ and a small generated bank: the same security as the other
 * routes, the result's figures against `campaign dry-run --json` on the same
 * files and data (whole period and bounded), sample customers explained,
 * unsaved text overlaid, errors, no campaign, no data, bad data, the time
 * budget, and a newer request superseding an older one.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TraceNode } from "../../compiler/interp/interpret.ts";
import type { PreviewResponse } from "../../editor/app/previewTypes.ts";
import { MAX_BODY_BYTES, startEditorServer, type EditorServer, type EditorServerOptions } from "../../editor/server/server.ts";

const CLI = resolve("bin/campaign.js");
const FILE = "payroll_login_wealth.campaign";

interface Reply {
  readonly status: number;
  readonly body: string;
}

let work: string;
let root: string;
let bank: string;
let text: string;
const servers: EditorServer[] = [];

async function start(options: Partial<EditorServerOptions> = {}): Promise<EditorServer> {
  const s = await startEditorServer({ root, staticDir: join(work, "static"), dataPath: bank, ...options });
  servers.push(s);
  return s;
}

function send(server: EditorServer, method: string, path: string, options: { headers?: Record<string, string>; body?: string; token?: string | null; host?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { Host: options.host ?? `127.0.0.1:${server.port}`, "Content-Type": "application/json", ...(options.headers ?? {}) };
  if (options.token !== null) headers["X-Campaign-Token"] = options.token ?? server.token;
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port: server.port, method, path, headers, setHost: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", fail);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

async function preview(server: EditorServer, path: string, body: string): Promise<PreviewResponse> {
  const r = await send(server, "POST", "/api/preview", { body: JSON.stringify({ path, text: body }) });
  expect(r.status, r.body.slice(0, 300)).toBe(200);
  return JSON.parse(r.body) as PreviewResponse;
}

/** `campaign dry-run --json` on the file with the catalog and segments, as a user would run it. */
function cliDryRun(file: string, extra: string[] = []): { campaigns: { id: string; audience: { size: number }; entries: { total: number; treated: number; holdout: number }; touches: { total: number; byChannel: Record<string, number> }; waves: { touched: number; suppressed: number }[]; suppressions: { byReason: Record<string, number> }; cost: { total: number }; budget: { byDay: { cumulative: number; pacingLine: number | null }[] } | null; conversions: { treated: { conversions: number } } }[]; period: { days: string[] } } {
  const out = execFileSync(process.execPath, [CLI, "dry-run", join(root, file), join(root, "catalog"), join(root, "segments"), "--data", bank, "--json", ...extra], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as ReturnType<typeof cliDryRun>;
}

function size(n: TraceNode): number {
  return 1 + n.children.reduce((s, c) => s + size(c), 0);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "campaign-preview-"));
  root = join(work, "workspace");
  cpSync(resolve("examples"), root, { recursive: true });
  mkdirSync(join(work, "static"));
  writeFileSync(join(work, "static", "index.html"), "<!doctype html><title>app</title>");
  mkdirSync(join(work, "outside"));
  writeFileSync(join(work, "outside", "secret.campaign"), readFileSync(join(root, FILE), "utf8"));
  symlinkSync(join(work, "outside", "secret.campaign"), join(root, "escape.campaign"));
  bank = join(work, "bank.db");
  execFileSync(process.execPath, [CLI, "sample-data", "--customers", "2000", "--days", "30", "--seed", "1", "-o", bank], { stdio: "ignore" });
  text = readFileSync(join(root, FILE), "utf8");
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(work, { recursive: true, force: true });
});

describe("POST /api/preview", () => {
  it("has the same security as the other routes", async () => {
    const s = await start();
    const body = JSON.stringify({ path: FILE, text });
    for (const token of [null, "", "wrong", `${s.token}x`]) expect((await send(s, "POST", "/api/preview", { token, body })).status, String(token)).toBe(401);
    expect((await send(s, "POST", "/api/preview", { body, host: "evil.example" })).status).toBe(403);
    expect((await send(s, "POST", "/api/preview", { body, headers: { Origin: "https://evil.example" } })).status).toBe(403);
    expect((await send(s, "POST", "/api/preview", { body, headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
    expect((await send(s, "GET", "/api/preview")).status).toBe(405);
    expect((await send(s, "POST", "/api/preview", { body, headers: { "Content-Type": "text/plain" } })).status).toBe(415);
    expect((await send(s, "POST", "/api/preview", { body: "[1]" })).status).toBe(400);
    expect((await send(s, "POST", "/api/preview", { body: JSON.stringify({ path: FILE }) })).status).toBe(400);
    expect((await send(s, "POST", "/api/preview", { body: JSON.stringify({ path: FILE, text: "x".repeat(MAX_BODY_BYTES + 10) }) })).status).toBe(413);
    for (const path of ["../outside/secret.campaign", "/etc/passwd", "segments/../../outside/secret.campaign", "x.txt", ".hidden.campaign"]) {
      expect((await send(s, "POST", "/api/preview", { body: JSON.stringify({ path, text }) })).status, path).toBe(400);
    }
    // A link out of the workspace is refused like a read through it.
    expect((await send(s, "POST", "/api/preview", { body: JSON.stringify({ path: "escape.campaign", text }) })).status).toBe(403);
  });

  it("gives the dry-run's figures for the open file's campaign, the same as `campaign dry-run`, and explains sample customers", async () => {
    const s = await start();
    const r = await preview(s, FILE, text);
    expect(r.status).toBe("ok");
    if (r.status !== "ok") return;
    const cli = cliDryRun(FILE);
    expect(r.campaigns.map((c) => c.id)).toEqual(["payroll_login_wealth"]);
    const c = r.campaigns[0]!;
    const k = cli.campaigns[0]!;
    expect(c.audience.size).toBeGreaterThan(0);
    expect(c.audience.size).toBe(k.audience.size);
    expect(c.entries).toMatchObject({ total: k.entries.total, treated: k.entries.treated, holdout: k.entries.holdout });
    expect(c.entries.holdout).toBeGreaterThan(0);
    expect(c.touches.total).toBe(k.touches.total);
    expect(c.touches.byChannel).toEqual(k.touches.byChannel);
    expect(c.waves.map((w) => [w.touched, w.suppressed])).toEqual(k.waves.map((w) => [w.touched, w.suppressed]));
    expect(c.suppressions.byReason).toEqual(k.suppressions.byReason);
    expect(c.cost.total).toBe(k.cost.total);
    expect(c.conversions.treated.conversions).toBe(k.conversions.treated.conversions);
    expect(c.budget?.byDay.map((d) => [d.cumulative, d.pacingLine])).toEqual(k.budget?.byDay.map((d) => [d.cumulative, d.pacingLine]));
    expect(r.run.period.days).toEqual(cli.period.days);
    expect(r.run.period.days).toHaveLength(30);
    expect(r.run.bounded).toBeNull();
    expect(r.run.data.customers).toBe(2000);
    expect(r.run.scope).toMatch(/alone, without the workspace's 7 other campaigns/);
    // Samples: the first treated entrants (IN, explained at their entry with the triggering event) and one customer outside.
    const treated = c.samples.filter((x) => x.kind === "treated");
    const out = c.samples.filter((x) => x.kind === "out");
    expect(treated).toHaveLength(4);
    expect(out).toHaveLength(1);
    expect(new Set(treated.map((x) => x.customer)).size).toBe(4);
    for (const x of treated) {
      expect(x.explanation.result, x.customer).toBe("IN");
      expect(x.explanation.audience.result).toBe(true);
      expect(x.explanation.trigger?.trace.result).toBe(true);
      expect(size(x.explanation.audience)).toBeGreaterThan(2);
    }
    expect(out[0]!.explanation.result).toBe("OUT");
    expect(out[0]!.explanation.audience.result).toBe(false);
    expect(out[0]!.explanation.audience.children.some((n) => !n.result)).toBe(true);
  });

  it("previews the unsaved text, not the file on disk", async () => {
    const s = await start();
    const renamed = text.replace("campaign payroll_login_wealth", "campaign payroll_unsaved");
    expect(renamed).not.toBe(text);
    const r = await preview(s, FILE, renamed);
    expect(r.status).toBe("ok");
    if (r.status === "ok") expect(r.campaigns.map((c) => c.id)).toEqual(["payroll_unsaved"]);
    expect(readFileSync(join(root, FILE), "utf8")).toBe(text);
  });

  it("answers a file with errors with the first error's line, and runs nothing", async () => {
    const s = await start();
    const broken = text.replace("and not has wealth_holder", "and not has wealth_holderz");
    const r = await preview(s, FILE, broken);
    expect(r.status).toBe("errors");
    if (r.status !== "errors") return;
    expect(r.message).toBe("Fix the error at line 15 first.");
    expect(r.problems[0]).toMatchObject({ file: FILE, line: 15 });
    expect(r.problems[0]?.message).toContain("wealth_holderz");
    const syntax = await preview(s, FILE, text.replace("audience", "audience {{"));
    expect(syntax.status).toBe("errors");
  });

  it("says when the file declares no campaign", async () => {
    const s = await start();
    const r = await preview(s, "catalog/retail.campaign", readFileSync(join(root, "catalog", "retail.campaign"), "utf8"));
    expect(r.status).toBe("no-campaign");
    if (r.status === "no-campaign") expect(r.message).toMatch(/declares no campaign/);
  });

  it("says when there is no data: no --data, or a --data file that does not exist", async () => {
    const none = await start({ dataPath: undefined });
    const r1 = await preview(none, FILE, text);
    expect(r1.status).toBe("no-data");
    if (r1.status === "no-data") {
      expect(r1.message).toMatch(/--data/);
      expect(r1.campaigns).toEqual(["payroll_login_wealth"]);
    }
    const missing = await start({ dataPath: join(work, "nowhere.db") });
    const r2 = await preview(missing, FILE, text);
    expect(r2.status).toBe("no-data");
    if (r2.status === "no-data") expect(r2.message).toMatch(/nowhere\.db was not found/);
    // Errors still come first: they are what to fix.
    expect((await preview(none, FILE, text.replace("audience", "audience {{"))).status).toBe("errors");
  });

  it("says when the data file is not a customer database", async () => {
    const junk = join(work, "junk.db");
    writeFileSync(junk, "not a database at all, just text ".repeat(200));
    const s = await start({ dataPath: junk });
    const r = await preview(s, FILE, text);
    expect(r.status).toBe("data-error");
    if (r.status === "data-error") expect(r.message).toMatch(/junk\.db/);
  });

  it("bounds a large period to its first days with a note, and those figures are the dry-run's over those days", async () => {
    const s = await start({ previewLimits: { maxInputs: 2_000 } });
    const r = await preview(s, FILE, text);
    expect(r.status).toBe("ok");
    if (r.status !== "ok") return;
    const days = r.run.period.days;
    expect(days.length).toBeGreaterThanOrEqual(1);
    expect(days.length).toBeLessThan(30);
    expect(r.run.bounded).toContain(`the first ${days.length} of 30 days`);
    expect(r.run.inputs).toBeLessThanOrEqual(2_000);
    const cli = cliDryRun(FILE, ["--to", days[days.length - 1]!]);
    expect(cli.period.days).toEqual(days);
    const c = r.campaigns[0]!;
    const k = cli.campaigns[0]!;
    expect([c.audience.size, c.entries.total, c.touches.total]).toEqual([k.audience.size, k.entries.total, k.touches.total]);
  });

  it("stops a run past its time budget with a clear answer", async () => {
    const s = await start({ previewLimits: { timeBudgetMs: 1 } });
    const r = await preview(s, FILE, text);
    expect(r.status).toBe("timeout");
    if (r.status === "timeout") expect(r.message).toMatch(/did not finish within/);
    // The stopped run's process is replaced: the next request is answered, not failed.
    expect((await preview(s, FILE, text)).status).toBe("timeout");
  });

  it("runs one preview at a time: a newer request supersedes the one running", async () => {
    const s = await start();
    const first = send(s, "POST", "/api/preview", { body: JSON.stringify({ path: FILE, text }) });
    await new Promise((r) => setTimeout(r, 200));
    const second = send(s, "POST", "/api/preview", { body: JSON.stringify({ path: "birthday_care.campaign", text: readFileSync(join(root, "birthday_care.campaign"), "utf8") }) });
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toMatchObject({ status: "superseded", path: FILE });
    expect(b.status).toBe(200);
    const rb = JSON.parse(b.body) as PreviewResponse;
    expect(rb.status).toBe("ok");
    if (rb.status === "ok") expect(rb.campaigns.map((c) => c.id)).toEqual(["birthday_care"]);
    // The server stays usable afterwards.
    expect((await preview(s, FILE, text)).status).toBe("ok");
  });
});
