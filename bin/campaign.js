#!/usr/bin/env node
// Launcher for the `campaign` command line. The package runs from its
// TypeScript sources: tsx's loader is registered, then cli/main.ts is loaded
// and run with the arguments.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../cli/main.ts");
process.exitCode = await run(process.argv.slice(2));
