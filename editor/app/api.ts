/**
 * The editor server's JSON API, as the app calls it. Every call carries the
 * per-start token the server printed in the URL.
 */
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";

export interface ServerInfo {
  readonly workspace: string;
  /** Stable per workspace directory: names the app's local drafts. */
  readonly workspaceId: string;
  readonly data: { readonly path: string; readonly exists: boolean } | null;
}

export interface FileEntry {
  readonly path: string;
  readonly size: number;
}

export interface FileContent {
  readonly path: string;
  readonly text: string;
}

export interface Template {
  readonly id: string;
  readonly title: string;
}

export interface SaveResult {
  readonly path: string;
  readonly saved: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

export interface CheckReport {
  readonly diagnostics: readonly Diagnostic[];
  readonly files: number;
  readonly ms: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

export class Api {
  constructor(private readonly token: string) {}

  private async call<R>(method: string, url: string, body?: unknown): Promise<R> {
    const headers: Record<string, string> = { "X-Campaign-Token": this.token };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const json: unknown = await res.json().catch(() => ({}));
    if (!res.ok) {
      const err = json as { error?: string; diagnostics?: Diagnostic[] };
      throw new ApiError(res.status, err.error ?? `${res.status} ${res.statusText}`, err.diagnostics ?? []);
    }
    return json as R;
  }

  info(): Promise<ServerInfo> {
    return this.call("GET", "/api/info");
  }
  list(): Promise<{ files: FileEntry[] }> {
    return this.call("GET", "/api/files");
  }
  read(path: string): Promise<FileContent> {
    return this.call("GET", `/api/file?path=${encodeURIComponent(path)}`);
  }
  save(path: string, text: string, strict = false): Promise<SaveResult> {
    return this.call("PUT", `/api/file?path=${encodeURIComponent(path)}`, { text, strict });
  }
  templates(): Promise<{ templates: Template[] }> {
    return this.call("GET", "/api/templates");
  }
  create(path: string, template: string): Promise<FileContent> {
    return this.call("POST", "/api/create", { path, template });
  }
  check(overlay: readonly FileContent[]): Promise<CheckReport> {
    return this.call("POST", "/api/check", { files: overlay });
  }
}
