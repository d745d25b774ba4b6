import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every `*.campaign` file below `dir`, in sorted order (none if `dir` is absent). */
export function campaignFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...campaignFiles(p));
    else if (e.endsWith(".campaign")) out.push(p);
  }
  return out;
}
