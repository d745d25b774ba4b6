/**
 * `POST /api/preview {path, text}`: the preview of the open file (its
 * unsaved text laid over the workspace), computed by ./previewRun.ts in a
 * child process so that a dry-run of several seconds never blocks the
 * editor server's other requests.
 *
 * One preview at a time per server: a request that arrives while another
 * runs supersedes it (the running child is killed and the older request is
 * answered `{status: "superseded"}`), so typing never queues up stale dry-runs. The
 * child is kept between requests (its start costs about a second) and
 * killed past the time budget plus a grace period if it ever hangs.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SourceInput } from "../../compiler/program.ts";
import type { PreviewResponse } from "../app/previewTypes.ts";
import type { ChildReply, ChildRequest } from "./previewChild.ts";
import { DEFAULT_LIMITS, type PreviewInput, type PreviewLimits } from "./previewRun.ts";

/** Past the time budget, how long a silent child gets before it is killed. */
const GRACE_MS = 30_000;

export type PreviewOutcome = { readonly kind: "done"; readonly response: PreviewResponse } | { readonly kind: "superseded" };

interface Job {
  readonly id: number;
  readonly child: ChildProcess;
  readonly done: (o: PreviewOutcome) => void;
  readonly fail: (e: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export interface PreviewRunnerOptions {
  /** The --data file as given (relative to the working directory), if any. */
  readonly dataPath?: string;
  readonly resolvedDataPath?: string;
  readonly limits?: Partial<PreviewLimits>;
}

export class PreviewRunner {
  private child: ChildProcess | undefined;
  private job: Job | undefined;
  private seq = 0;
  private closed = false;
  private readonly limits: PreviewLimits;

  constructor(private readonly options: PreviewRunnerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  }

  /** Runs the preview of `path` over `sources`; a later call supersedes this one. */
  run(sources: readonly SourceInput[], path: string): Promise<PreviewOutcome> {
    if (this.closed) return Promise.resolve({ kind: "superseded" });
    this.supersede();
    const id = ++this.seq;
    const child = this.ensureChild();
    const input: PreviewInput = { sources, path, dataPath: this.options.resolvedDataPath, dataLabel: this.options.dataPath, limits: this.limits };
    return new Promise<PreviewOutcome>((done, fail) => {
      const timer = setTimeout(() => {
        if (this.job?.id !== id) return;
        this.job = undefined;
        this.kill(child);
        done({
          kind: "done",
          response: { status: "timeout", path, campaigns: [], message: `The preview did not answer within ${Math.round((this.limits.timeBudgetMs + GRACE_MS) / 1000)} s and was stopped. Run \`campaign dry-run\` in a terminal for the figures.` },
        });
      }, this.limits.timeBudgetMs + GRACE_MS);
      this.job = { id, child, done, fail, timer };
      child.send({ id, input } satisfies ChildRequest);
    });
  }

  /** Kills the child; pending requests are answered `superseded`. */
  close(): void {
    this.closed = true;
    this.supersede();
    if (this.child) this.kill(this.child);
  }

  private supersede(): void {
    const job = this.job;
    if (!job) return;
    this.job = undefined;
    clearTimeout(job.timer);
    this.kill(job.child);
    job.done({ kind: "superseded" });
  }

  private kill(child: ChildProcess): void {
    if (this.child === child) this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }

  private ensureChild(): ChildProcess {
    if (this.child && this.child.connected) return this.child;
    const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const child = fork(fileURLToPath(new URL("./previewChild.ts", import.meta.url)), [], {
      execArgv: ["--import", loader],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.on("message", (raw: unknown) => {
      const m = raw as ChildReply;
      const job = this.job;
      if (!job || job.id !== m.id) return;
      this.job = undefined;
      clearTimeout(job.timer);
      // A run stopped by its time budget leaves the child's database connections busy: the next preview gets a new child.
      if ("response" in m && m.response.status === "timeout") this.kill(child);
      if ("response" in m) job.done({ kind: "done", response: m.response });
      else job.fail(new Error(`preview failed: ${m.error}`));
    });
    child.on("exit", (code, signal) => {
      if (this.child === child) this.child = undefined;
      const job = this.job;
      if (job && job.child === child) {
        this.job = undefined;
        clearTimeout(job.timer);
        job.fail(new Error(`the preview process stopped (${signal ?? `exit code ${code}`})`));
      }
    });
    // Never keep the editor server alive for the child's sake.
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }
}
