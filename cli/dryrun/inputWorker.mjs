// Entry of the dry-run's input reader thread (cli/dryrun/inputThread.ts). The package runs from its
// TypeScript sources, and a worker thread starts without the main thread's loader: register tsx's, then
// load the worker itself.
import { register } from "tsx/esm/api";

register();
await import("./inputWorker.ts");
