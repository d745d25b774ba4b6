/**
 * The editor server: serves the built app (editor/dist) and a small JSON API
 * over one workspace directory of .campaign files.
 *
 *   GET  /api/info                      workspace name and id, the --data file
 *   GET  /api/files                     every .campaign file (relative paths)
 *   GET  /api/file?path=P               one file's text
 *   PUT  /api/file?path=P  {text, strict?}   save (strict: refuse syntax errors)
 *   GET  /api/templates                 templates for new files
 *   POST /api/create {path, template}   create a file from a template
 *   POST /api/check {files?}            whole-program check (unsaved buffers overlaid)
 *   POST /api/preview {path, text}      the open file's preview: dry-run over --data, samples explained (./preview.ts)
 *
 * Security (the server can write files, so it trusts no one but the page it
 * served): it listens on 127.0.0.1 only; a request whose Host is not
 * 127.0.0.1:PORT or localhost:PORT is refused (DNS rebinding), as is one with
 * an Origin other than its own (cross-site requests); every API call needs the
 * per-start token in the X-Campaign-Token header; bodies are limited to 1 MiB;
 * request paths are confined to the workspace (./paths.ts). Static files of
 * the app need no token, workspace files are only reachable through the API.
 */
import { randomBytes, createHash, timingSafeEqual } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync, type Dirent } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, extname, join, relative, resolve, sep } from "node:path";
import { hasErrors, type Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { parse } from "../../language/parser/parse.ts";
import { checkProgram } from "../../compiler/program.ts";
import { CAMPAIGN_EXTENSION, checkRelativePath, PathError, resolveInWorkspace } from "./paths.ts";
import { instantiate, templates } from "./templates.ts";
import { PreviewRunner, type PreviewRunnerOptions } from "./preview.ts";
import type { PreviewResponse } from "../app/previewTypes.ts";

export const TOKEN_HEADER = "x-campaign-token";
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_FILES = 5000;
const MAX_DEPTH = 12;

export interface EditorServerOptions {
  /** The workspace directory. */
  readonly root: string;
  /** The built app to serve. */
  readonly staticDir: string;
  /** The --data file as given (shown in the UI; never served). */
  readonly dataPath?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Fixed token (tests); random per start otherwise. */
  readonly token?: string;
  /** Bounds of the preview's dry-run (tests); ./previewRun.ts has the defaults. */
  readonly previewLimits?: PreviewRunnerOptions["limits"];
}

export interface EditorServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly server: Server;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  // The token is in the page URL: never send it on as a referrer.
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  // Monaco sets inline styles and injects style elements.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

export async function startEditorServer(options: EditorServerOptions): Promise<EditorServer> {
  const realRoot = realpathSync(resolve(options.root));
  if (!statSync(realRoot).isDirectory()) throw new Error(`not a directory: ${options.root}`);
  const staticRoot = resolve(options.staticDir);
  const token = options.token ?? randomBytes(24).toString("base64url");
  const tokenBytes = Buffer.from(token);
  let port = 0;
  const previews = new PreviewRunner({
    ...(options.dataPath !== undefined ? { dataPath: options.dataPath, resolvedDataPath: resolve(options.dataPath) } : {}),
    ...(options.previewLimits ? { limits: options.previewLimits } : {}),
  });

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // An answer before the body was read: close the connection rather than read the rest.
      if (!req.complete) res.setHeader("Connection", "close");
      if (e instanceof HttpError) sendJson(res, e.status, { error: e.message, ...e.extra });
      else if (e instanceof PathError) sendJson(res, e.status, { error: e.message });
      else {
        process.stderr.write(`editor: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        sendJson(res, 500, { error: "internal error" });
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = checkHost(req, port);
    checkOrigin(req, host);
    const target = req.url ?? "/";
    const q = target.indexOf("?");
    const pathname = q >= 0 ? target.slice(0, q) : target;
    const query = new URLSearchParams(q >= 0 ? target.slice(q + 1) : "");
    if (pathname.startsWith("/api/")) {
      checkToken(req, tokenBytes);
      await api(req, res, pathname, query);
      return;
    }
    serveStatic(req, res, pathname);
  }

  async function api(req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams): Promise<void> {
    const method = req.method ?? "GET";
    const route = `${method} ${pathname}`;
    switch (route) {
      case "GET /api/info":
        sendJson(res, 200, {
          workspace: basename(realRoot),
          workspaceId: createHash("sha256").update(realRoot).digest("hex").slice(0, 16),
          data: options.dataPath === undefined ? null : { path: options.dataPath, exists: existsSync(resolve(options.dataPath)) },
        });
        return;
      case "GET /api/files":
        sendJson(res, 200, { files: listFiles(realRoot) });
        return;
      case "GET /api/file": {
        const file = resolveInWorkspace(realRoot, query.get("path"));
        if (!file.exists) throw new HttpError(404, `no such file: ${file.rel}`);
        sendJson(res, 200, { path: file.rel, text: readFileSync(file.real, "utf8") });
        return;
      }
      case "PUT /api/file": {
        const file = resolveInWorkspace(realRoot, query.get("path"));
        const body = await readJson(req);
        const text = body["text"];
        if (typeof text !== "string") throw new HttpError(400, "`text` must be a string");
        const diagnostics = parse(text, file.rel).diagnostics;
        if (body["strict"] === true && hasErrors(diagnostics)) {
          throw new HttpError(422, `not saved: ${file.rel} has syntax errors`, { diagnostics: diagnostics.filter((d) => d.severity === "error") });
        }
        writeAtomically(file.real, text);
        sendJson(res, 200, { path: file.rel, saved: true, diagnostics });
        return;
      }
      case "GET /api/templates":
        sendJson(res, 200, { templates: templates.map((t) => ({ id: t.id, title: t.title })) });
        return;
      case "POST /api/create": {
        const body = await readJson(req);
        const file = resolveInWorkspace(realRoot, body["path"]);
        const template = templates.find((t) => t.id === body["template"]);
        if (!template) throw new HttpError(400, `unknown template; one of: ${templates.map((t) => t.id).join(", ")}`);
        if (file.exists) throw new HttpError(409, `${file.rel} already exists`);
        const text = instantiate(template, basename(file.rel, CAMPAIGN_EXTENSION), workspaceCatalog(realRoot));
        writeAtomically(file.real, text, true);
        sendJson(res, 201, { path: file.rel, text });
        return;
      }
      case "POST /api/check": {
        const body = await readJson(req);
        const overlay = new Map<string, string>();
        const files = body["files"] ?? [];
        if (!Array.isArray(files)) throw new HttpError(400, "`files` must be a list of {path, text}");
        for (const f of files as unknown[]) {
          const entry = (typeof f === "object" && f !== null ? f : {}) as Record<string, unknown>;
          const path = checkRelativePath(entry["path"]);
          if (typeof entry["text"] !== "string") throw new HttpError(400, "each file needs `text`");
          overlay.set(path, entry["text"]);
        }
        const t0 = performance.now();
        const inputs = listFiles(realRoot).map((f) => ({ path: f.path, text: overlay.get(f.path) ?? readFileSync(resolveInWorkspace(realRoot, f.path).real, "utf8") }));
        for (const [path, text] of overlay) if (!inputs.some((i) => i.path === path)) inputs.push({ path, text });
        const program = checkProgram(inputs);
        sendJson(res, 200, { diagnostics: program.diagnostics satisfies Diagnostic[], files: inputs.length, ms: performance.now() - t0 });
        return;
      }
      case "POST /api/preview": {
        const body = await readJson(req);
        const file = resolveInWorkspace(realRoot, body["path"]);
        const text = body["text"];
        if (typeof text !== "string") throw new HttpError(400, "`text` must be a string");
        const inputs = listFiles(realRoot).map((f) => ({ path: f.path, text: f.path === file.rel ? text : readFileSync(resolveInWorkspace(realRoot, f.path).real, "utf8") }));
        if (!inputs.some((i) => i.path === file.rel)) inputs.push({ path: file.rel, text });
        const outcome = await previews.run(inputs, file.rel);
        // Superseded is an ordinary answer (200), not an error: the page that sent it has a newer request out.
        sendJson(res, 200, outcome.kind === "superseded" ? ({ status: "superseded", path: file.rel, message: "superseded by a newer preview" } satisfies PreviewResponse) : outcome.response);
        return;
      }
      default: {
        const known = ["/api/info", "/api/files", "/api/file", "/api/templates", "/api/create", "/api/check", "/api/preview"];
        throw new HttpError(known.includes(pathname) ? 405 : 404, known.includes(pathname) ? `method ${method} not allowed` : "no such API");
      }
    }
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, "method not allowed");
    const name = pathname === "/" ? "index.html" : pathname.slice(1);
    // Built asset names only: letters, digits, `-`, `_`, `.` and one directory level; nothing to decode.
    if (!/^(?:[A-Za-z0-9_-]+\/)?[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name) || name.includes("..")) throw new HttpError(404, "not found");
    const file = resolve(staticRoot, ...name.split("/"));
    const rel = relative(staticRoot, file);
    if (rel.startsWith("..") || rel.includes(`..${sep}`)) throw new HttpError(404, "not found");
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      if (name === "index.html") throw new HttpError(503, "the editor app is not built: run `npm start` or `npx vite build -c editor/vite.config.ts`");
      throw new HttpError(404, "not found");
    }
    const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      "Content-Type": type,
      "Content-Length": body.length,
      "Cache-Control": name === "index.html" ? "no-store" : "public, max-age=31536000, immutable",
      ...(type.startsWith("text/html") ? { "Content-Security-Policy": CSP } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", fail);
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((ok) => {
        previews.close();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

// ------------------------------------------------------------------ checks

function checkHost(req: IncomingMessage, port: number): string {
  const host = req.headers.host ?? "";
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) throw new HttpError(403, "forbidden host");
  return host;
}

function checkOrigin(req: IncomingMessage, host: string): void {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) throw new HttpError(403, "cross-origin requests are not allowed");
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string" && site !== "same-origin" && site !== "none") throw new HttpError(403, "cross-site requests are not allowed");
}

function checkToken(req: IncomingMessage, expected: Buffer): void {
  const given = req.headers[TOKEN_HEADER];
  const bytes = Buffer.from(typeof given === "string" ? given : "");
  if (bytes.length !== expected.length || !timingSafeEqual(bytes, expected)) throw new HttpError(401, "missing or wrong token: open the URL that `campaign editor` printed");
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "the body must be application/json");
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(buf);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new HttpError(400, "the body must be a JSON object");
  return value as Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(value);
  res.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

// --------------------------------------------------------------- workspace

/** Every .campaign file under the root, skipping hidden folders, node_modules and links that leave the workspace. */
export function listFiles(realRoot: string): { path: string; size: number }[] {
  const out: { path: string; size: number }[] = [];
  const walk = (dir: string, rel: string, depth: number): void => {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs, relPath, depth + 1);
      else if ((e.isFile() || e.isSymbolicLink()) && e.name.endsWith(CAMPAIGN_EXTENSION)) {
        try {
          checkRelativePath(relPath);
          const real = realpathSync(abs);
          const r = relative(realRoot, real);
          if (r.startsWith("..") || resolve(realRoot, r) !== real) continue;
          const st = statSync(real);
          if (st.isFile()) out.push({ path: relPath, size: st.size });
        } catch {
          // unreadable, dangling or oddly named: not listed
        }
      }
    }
  };
  walk(realRoot, "", 0);
  return out;
}

/** The name of the workspace's catalog (for templates), or `retail`. */
function workspaceCatalog(realRoot: string): string {
  for (const f of listFiles(realRoot)) {
    const m = /^\s*catalog\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(readFileSync(join(realRoot, ...f.path.split("/")), "utf8"));
    if (m?.[1]) return m[1];
  }
  return "retail";
}

function writeAtomically(target: string, text: string, exclusive = false): void {
  if (exclusive) {
    // A new file: created exclusively, so a file (or link) that appeared meanwhile is never overwritten.
    try {
      writeFileSync(target, text, { encoding: "utf8", flag: "wx" });
    } catch {
      throw new HttpError(409, "the file already exists");
    }
    return;
  }
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, text, { encoding: "utf8", flag: "wx" });
  renameSync(tmp, target);
}
