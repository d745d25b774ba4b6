/** Promise-based calls into the language worker. */
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { WorkerMessage, WorkerRequest, WorkerResults } from "./language/protocol.ts";

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type RequestBody = DistributiveOmit<WorkerRequest, "id">;

export interface AnalysesMessage {
  readonly path: string;
  readonly version: number;
  readonly diagnostics: readonly Diagnostic[];
  readonly ms: number;
}

export class LanguageClient {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  onAnalyses: (m: AnalysesMessage) => void = () => {};

  constructor(private readonly worker: Worker) {
    worker.addEventListener("message", (event: MessageEvent<WorkerMessage>) => {
      const m = event.data;
      if (m.kind === "analyses") {
        this.onAnalyses(m);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.kind === "response") p.resolve(m.result);
      else p.reject(new Error(m.message));
    });
  }

  request<M extends RequestBody["method"]>(body: Extract<RequestBody, { method: M }>): Promise<WorkerResults[M]> {
    const id = this.nextId++;
    return new Promise<WorkerResults[M]>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as WorkerResults[M]), reject });
      this.worker.postMessage({ ...body, id });
    });
  }
}
