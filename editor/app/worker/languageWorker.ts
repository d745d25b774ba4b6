/**
 * The editor's language worker: runs the real lexer, parser, checker,
 * formatter and the language service off the main thread. Requests come with
 * an id and get one response; after answering a `check`, the worker runs the
 * campaign's analyses when no newer check of the same file is waiting, and
 * posts them as an `analyses` message.
 */
import specText from "../../../spec/language.md?raw";
import { keywordDocsFrom } from "../language/keywordDocs.ts";
import type { WorkerMessage, WorkerRequest, WorkerResults } from "../language/protocol.ts";
import { LanguageService } from "../language/service.ts";

const service = new LanguageService(keywordDocsFrom(specText));
/** The newest version asked for, per file: older analyses are skipped. */
const latest = new Map<string, number>();

function post(message: WorkerMessage): void {
  self.postMessage(message);
}

function handle(req: WorkerRequest): WorkerResults[WorkerRequest["method"]] {
  switch (req.method) {
    case "setWorkspace":
      service.setWorkspace(req.files);
      return null;
    case "check": {
      const t0 = performance.now();
      latest.set(req.path, req.version);
      const outcome = service.check(req.path, req.text);
      const result = { diagnostics: outcome.diagnostics, ms: performance.now() - t0 };
      // Analyses after the answer, and only if no newer check of this file has arrived meanwhile.
      setTimeout(() => {
        if (latest.get(req.path) !== req.version) return;
        const t1 = performance.now();
        const diagnostics = outcome.analyses();
        post({ kind: "analyses", path: req.path, version: req.version, diagnostics, ms: performance.now() - t1 });
      }, 0);
      return result;
    }
    case "complete":
      return service.complete(req.path, req.text, req.offset);
    case "hover":
      return service.hover(req.path, req.text, req.offset);
    case "symbols":
      return service.symbols(req.path, req.text);
    case "format":
      return service.format(req.path, req.text);
  }
}

self.addEventListener("message", (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  try {
    post({ kind: "response", id: req.id, result: handle(req) });
  } catch (e) {
    post({ kind: "error", id: req.id, message: e instanceof Error ? e.message : String(e) });
  }
});
