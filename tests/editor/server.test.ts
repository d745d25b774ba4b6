/**
 * The editor server: its API over a temporary copy of examples/, and every
 * security rule tried with hostile requests (foreign Host, foreign or IP
 * Origin, missing or wrong token, traversal in several encodings, absolute
 * paths, NUL, symlinks out of the workspace, oversize bodies).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, startEditorServer, type EditorServer } from "../../editor/server/server.ts";

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  json(): Record<string, unknown>;
}

let server: EditorServer;
let work: string;
let root: string;
let outside: string;
let staticDir: string;

/** A raw request: the path is sent exactly as given, headers as given (Host defaults to the right one). */
function send(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer; token?: string | null; host?: string | null } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.host !== null) headers["Host"] = options.host ?? `127.0.0.1:${server.port}`;
  if (options.token !== null) headers["X-Campaign-Token"] = options.token ?? server.token;
  if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port: server.port, method, path, headers, setHost: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        ok({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as Record<string, unknown> });
      });
    });
    req.on("error", fail);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "campaign-editor-server-"));
  root = join(work, "workspace");
  outside = join(work, "outside");
  staticDir = join(work, "static");
  cpSync(resolve("examples"), root, { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.campaign"), "// secret outside the workspace\n");
  mkdirSync(join(staticDir, "assets"), { recursive: true });
  writeFileSync(join(staticDir, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(staticDir, "assets", "app-1.js"), "console.log(1)");
  // Links: one escaping the workspace, one dangling out of it, one staying inside.
  symlinkSync(join(outside, "secret.campaign"), join(root, "escape.campaign"));
  symlinkSync(join(outside, "new.campaign"), join(root, "dangling.campaign"));
  symlinkSync(outside, join(root, "outdir"));
  symlinkSync(join(root, "birthday_care.campaign"), join(root, "alias.campaign"));
  server = await startEditorServer({ root, staticDir, dataPath: join(work, "bank.db") });
});

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the API", () => {
  it("prints a URL on 127.0.0.1 with the per-start token", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    const address = server.server.address();
    expect(typeof address === "object" && address?.address).toBe("127.0.0.1");
  });

  it("gives two starts different tokens", async () => {
    const other = await startEditorServer({ root, staticDir });
    try {
      expect(other.token).not.toBe(server.token);
    } finally {
      await other.close();
    }
  });

  it("reports the workspace and a missing data file", async () => {
    const r = await send("GET", "/api/info");
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ workspace: "workspace", data: { path: join(work, "bank.db"), exists: false } });
    writeFileSync(join(work, "bank.db"), "");
    expect((await send("GET", "/api/info")).json()).toMatchObject({ data: { exists: true } });
  });

  it("lists the workspace's .campaign files, without links that leave it", async () => {
    const r = await send("GET", "/api/files");
    expect(r.status).toBe(200);
    const paths = (r.json()["files"] as { path: string }[]).map((f) => f.path);
    expect(paths).toContain("catalog/retail.campaign");
    expect(paths).toContain("segments/common.campaign");
    expect(paths).toContain("payroll_login_wealth.campaign");
    expect(paths).toContain("alias.campaign");
    expect(paths).not.toContain("escape.campaign");
    expect(paths).not.toContain("dangling.campaign");
    expect(paths.some((p) => p.startsWith("outdir/"))).toBe(false);
  });

  it("reads a file", async () => {
    const r = await send("GET", "/api/file?path=catalog%2Fretail.campaign");
    expect(r.status).toBe(200);
    expect(r.json()["text"]).toBe(readFileSync(join(root, "catalog", "retail.campaign"), "utf8"));
    expect((await send("GET", "/api/file?path=nope.campaign")).status).toBe(404);
  });

  it("saves a file, and with strict mode refuses one with syntax errors", async () => {
    const path = "birthday_care.campaign";
    const original = readFileSync(join(root, path), "utf8");
    const changed = original.replace("birthday", "birthday ");
    const ok = await send("PUT", `/api/file?path=${path}`, { body: JSON.stringify({ text: changed }) });
    expect(ok.status).toBe(200);
    expect(readFileSync(join(root, path), "utf8")).toBe(changed);

    const broken = original.replace(/\}\s*$/, "");
    const refused = await send("PUT", `/api/file?path=${path}`, { body: JSON.stringify({ text: broken, strict: true }) });
    expect(refused.status).toBe(422);
    expect((refused.json()["diagnostics"] as { code: string }[]).length).toBeGreaterThan(0);
    expect(readFileSync(join(root, path), "utf8")).toBe(changed);

    // Not strict: saved, with the syntax errors reported back.
    const lenient = await send("PUT", `/api/file?path=${path}`, { body: JSON.stringify({ text: broken }) });
    expect(lenient.status).toBe(200);
    expect((lenient.json()["diagnostics"] as { code: string }[]).some((d) => d.code.startsWith("S"))).toBe(true);
    expect(readFileSync(join(root, path), "utf8")).toBe(broken);
    await send("PUT", `/api/file?path=${path}`, { body: JSON.stringify({ text: original }) });
  });

  it("saves through a link that stays inside the workspace", async () => {
    const text = readFileSync(join(root, "birthday_care.campaign"), "utf8");
    const r = await send("PUT", "/api/file?path=alias.campaign", { body: JSON.stringify({ text: text + "\n" }) });
    expect(r.status).toBe(200);
    expect(readFileSync(join(root, "birthday_care.campaign"), "utf8")).toBe(text + "\n");
    await send("PUT", "/api/file?path=birthday_care.campaign", { body: JSON.stringify({ text }) });
    // The alias would make the whole-program check see campaign `birthday_care` twice.
    rmSync(join(root, "alias.campaign"));
  });

  it("creates files from templates that check without errors, and never overwrites", async () => {
    const list = await send("GET", "/api/templates");
    const ids = (list.json()["templates"] as { id: string }[]).map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(["event", "batch", "segments"]));
    for (const id of ["event", "batch", "segments"]) {
      const path = `new_${id}.campaign`;
      const r = await send("POST", "/api/create", { body: JSON.stringify({ path, template: id }) });
      expect(r.status).toBe(201);
      expect(readFileSync(join(root, path), "utf8")).toBe(r.json()["text"]);
    }
    const check = await send("POST", "/api/check", { body: JSON.stringify({}) });
    const errors = (check.json()["diagnostics"] as { code: string; severity: string; span: { file: string } }[]).filter((d) => d.severity === "error" && d.span.file.startsWith("new_"));
    expect(errors).toEqual([]);
    const again = await send("POST", "/api/create", { body: JSON.stringify({ path: "new_event.campaign", template: "batch" }) });
    expect(again.status).toBe(409);
    expect((await send("POST", "/api/create", { body: JSON.stringify({ path: "x.campaign", template: "nope" }) })).status).toBe(400);
    expect((await send("POST", "/api/create", { body: JSON.stringify({ path: "missing_dir/x.campaign", template: "event" }) })).status).toBe(404);
    for (const id of ["event", "batch", "segments"]) rmSync(join(root, `new_${id}.campaign`));
  });

  it("checks the whole workspace, with unsaved buffers overlaid", async () => {
    const clean = await send("POST", "/api/check", { body: JSON.stringify({}) });
    expect(clean.status).toBe(200);
    expect((clean.json()["diagnostics"] as { severity: string }[]).filter((d) => d.severity === "error")).toEqual([]);
    const text = readFileSync(join(root, "dormant_wakeup.campaign"), "utf8").replace("uses catalog retail", "uses catalog retial");
    const r = await send("POST", "/api/check", { body: JSON.stringify({ files: [{ path: "dormant_wakeup.campaign", text }] }) });
    const diags = r.json()["diagnostics"] as { code: string; span: { file: string } }[];
    expect(diags.some((d) => d.code === "N001" && d.span.file === "dormant_wakeup.campaign")).toBe(true);
  });

  it("serves the app's static files without a token, and nothing else", async () => {
    const index = await send("GET", "/", { token: null });
    expect(index.status).toBe(200);
    expect(index.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(index.headers["referrer-policy"]).toBe("no-referrer");
    expect((await send("GET", "/assets/app-1.js", { token: null })).status).toBe(200);
    for (const p of ["/payroll_login_wealth.campaign", "/catalog/retail.campaign", "/../workspace/birthday_care.campaign", "/%2e%2e/workspace/birthday_care.campaign", "/assets/..%2f..%2fworkspace%2fbirthday_care.campaign", "/assets/%2e%2e/index.html"]) {
      const r = await send("GET", p, { token: null });
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain("campaign birthday");
    }
  });

  it("answers unknown routes and methods with 404 and 405", async () => {
    expect((await send("GET", "/api/nothing")).status).toBe(404);
    expect((await send("DELETE", "/api/file?path=birthday_care.campaign")).status).toBe(405);
    expect(existsSync(join(root, "birthday_care.campaign"))).toBe(true);
  });
});

describe("security", () => {
  it("refuses a foreign Host (DNS rebinding), also for static files", async () => {
    for (const host of ["evil.example", `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, "127.0.0.1", `localhost.evil.example:${server.port}`, `[::1]:${server.port}`]) {
      expect((await send("GET", "/api/files", { host })).status, host).toBe(403);
      expect((await send("GET", "/", { host, token: null })).status, host).toBe(403);
    }
    // No Host at all: Node itself answers 400 before the handler runs.
    expect([400, 403]).toContain((await send("GET", "/api/files", { host: null })).status);
    expect((await send("GET", "/api/files", { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it("refuses a foreign Origin, an IP Origin and cross-site fetches", async () => {
    const origins = ["https://evil.example", `http://evil.example:${server.port}`, "null", `http://127.0.0.2:${server.port}`, `http://192.168.1.20:${server.port}`, `https://127.0.0.1:${server.port}`, `http://localhost:${server.port}`];
    for (const origin of origins) {
      const r = await send("PUT", "/api/file?path=birthday_care.campaign", { headers: { Origin: origin }, body: JSON.stringify({ text: "hacked" }) });
      expect(r.status, origin).toBe(403);
    }
    expect((await send("GET", "/api/files", { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
    expect((await send("GET", "/api/files", { headers: { Origin: `http://127.0.0.1:${server.port}` } })).status).toBe(200);
    expect(readFileSync(join(root, "birthday_care.campaign"), "utf8")).not.toBe("hacked");
  });

  it("needs the token on every API call", async () => {
    const calls: [string, string, string?][] = [
      ["GET", "/api/info"],
      ["GET", "/api/files"],
      ["GET", "/api/file?path=birthday_care.campaign"],
      ["PUT", "/api/file?path=birthday_care.campaign", JSON.stringify({ text: "hacked" })],
      ["GET", "/api/templates"],
      ["POST", "/api/create", JSON.stringify({ path: "x.campaign", template: "event" })],
      ["POST", "/api/check", "{}"],
    ];
    for (const [method, path, body] of calls) {
      for (const token of [null, "", "wrong", server.token.slice(0, -1), `${server.token}x`, server.token.toUpperCase()]) {
        const r = await send(method, path, { token, ...(body !== undefined ? { body } : {}) });
        expect(r.status, `${method} ${path} token=${String(token)}`).toBe(401);
        expect(r.body).not.toContain("campaign birthday");
      }
    }
    expect(readFileSync(join(root, "birthday_care.campaign"), "utf8")).not.toBe("hacked");
    expect(existsSync(join(root, "x.campaign"))).toBe(false);
  });

  const traversals = [
    "../outside/secret.campaign",
    "..%2foutside%2fsecret.campaign",
    "%2e%2e%2foutside%2fsecret.campaign",
    "%2E%2E/outside/secret.campaign",
    "%252e%252e%252foutside%252fsecret.campaign",
    "%25252e%25252e/outside/secret.campaign",
    "..%5coutside%5csecret.campaign",
    "..%255coutside%255csecret.campaign",
    "segments/../../outside/secret.campaign",
    "segments/%2e%2e/%2e%2e/outside/secret.campaign",
    "./birthday_care.campaign",
    "segments//common.campaign",
    "%2fetc%2fpasswd",
    "/etc/passwd",
    "%2F..%2F..%2Foutside%2Fsecret.campaign",
    "C:%5cWindows%5cwin.campaign",
    "birthday_care.campaign%00.txt",
    "birthday_care.campaign%00",
    "%00",
    "~%2Fsecret.campaign",
    ".hidden.campaign",
    "..",
    "",
  ];

  it("refuses traversal in every encoding when reading", async () => {
    for (const p of traversals) {
      const r = await send("GET", `/api/file?path=${p}`);
      expect([400, 403, 404], p).toContain(r.status);
      expect(r.body, p).not.toContain("secret outside");
    }
    // An absolute path to the workspace's own file is refused too.
    const abs = await send("GET", `/api/file?path=${encodeURIComponent(join(root, "birthday_care.campaign"))}`);
    expect(abs.status).toBe(400);
  });

  it("refuses traversal in every encoding when saving and creating", async () => {
    for (const p of traversals) {
      const r = await send("PUT", `/api/file?path=${p}`, { body: JSON.stringify({ text: "// pwned\n" }) });
      expect([400, 403, 404], p).toContain(r.status);
      const decoded = (() => {
        try {
          return decodeURIComponent(p);
        } catch {
          return p;
        }
      })();
      const c = await send("POST", "/api/create", { body: JSON.stringify({ path: decoded, template: "event" }) });
      expect([400, 403, 404], decoded).toContain(c.status);
    }
    // Paths in the JSON body with raw NUL, backslashes and absolute paths.
    const absolute = join(work, "absolute.campaign");
    for (const path of ["a\u0000.campaign", "..\\outside\\x.campaign", join(outside, "x.campaign"), absolute, "ok.campaign/../../outside/x.campaign"]) {
      const c = await send("POST", "/api/create", { body: JSON.stringify({ path, template: "event" }) });
      expect(c.status, path).toBe(400);
    }
    expect(readFileSync(join(outside, "secret.campaign"), "utf8")).toBe("// secret outside the workspace\n");
    expect(existsSync(join(outside, "x.campaign"))).toBe(false);
    expect(existsSync(absolute)).toBe(false);
  });

  it("refuses symlinks that leave the workspace, for reads, saves and creates", async () => {
    const read = await send("GET", "/api/file?path=escape.campaign");
    expect(read.status).toBe(403);
    expect(read.body).not.toContain("secret outside");
    const save = await send("PUT", "/api/file?path=escape.campaign", { body: JSON.stringify({ text: "// pwned\n" }) });
    expect(save.status).toBe(403);
    expect(readFileSync(join(outside, "secret.campaign"), "utf8")).toBe("// secret outside the workspace\n");
    // Through a linked directory.
    expect((await send("GET", "/api/file?path=outdir/secret.campaign")).status).toBe(403);
    expect((await send("PUT", "/api/file?path=outdir/new.campaign", { body: JSON.stringify({ text: "x" }) })).status).toBe(403);
    expect((await send("POST", "/api/create", { body: JSON.stringify({ path: "outdir/new.campaign", template: "event" }) })).status).toBe(403);
    // A dangling link pointing out: writing would create the file outside.
    expect((await send("PUT", "/api/file?path=dangling.campaign", { body: JSON.stringify({ text: "x" }) })).status).toBe(403);
    expect((await send("POST", "/api/create", { body: JSON.stringify({ path: "dangling.campaign", template: "event" }) })).status).toBe(403);
    expect(existsSync(join(outside, "new.campaign"))).toBe(false);
  });

  it("refuses a body over the limit, declared or streamed", async () => {
    const big = JSON.stringify({ text: "x".repeat(MAX_BODY_BYTES + 10) });
    const declared = await send("PUT", "/api/file?path=birthday_care.campaign", { body: big });
    expect(declared.status).toBe(413);
    // Chunked: no Content-Length, the limit applies while reading.
    const streamed = await new Promise<number>((ok, fail) => {
      const req = request(
        { host: "127.0.0.1", port: server.port, method: "PUT", path: "/api/file?path=birthday_care.campaign", setHost: false, agent: false, headers: { Host: `127.0.0.1:${server.port}`, "X-Campaign-Token": server.token, "Content-Type": "application/json", "Transfer-Encoding": "chunked" } },
        (res) => {
          res.resume();
          ok(res.statusCode ?? 0);
        },
      );
      req.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" || e.code === "ECONNRESET" ? ok(413) : fail(e)));
      for (let i = 0; i < 20; i++) req.write("x".repeat(128 * 1024));
      req.end();
    });
    expect(streamed).toBe(413);
    expect(readFileSync(join(root, "birthday_care.campaign"), "utf8")).toContain("campaign birthday");
  });

  it("refuses bodies that are not JSON objects", async () => {
    expect((await send("PUT", "/api/file?path=birthday_care.campaign", { body: "text=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } })).status).toBe(415);
    expect((await send("PUT", "/api/file?path=birthday_care.campaign", { body: "{not json" })).status).toBe(400);
    expect((await send("PUT", "/api/file?path=birthday_care.campaign", { body: "[1]" })).status).toBe(400);
    expect((await send("PUT", "/api/file?path=birthday_care.campaign", { body: JSON.stringify({ text: 42 }) })).status).toBe(400);
  });
});
