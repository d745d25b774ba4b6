import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { format } from "../../language/printer/format.ts";
import { MISSPELT, project, removeProjects, runCli, VALID } from "./run.ts";

afterAll(removeProjects);

/** VALID with its layout scrambled: extra spaces, odd indentation, blank lines. */
const MESSY = VALID.split("\n")
  .map((line, i) => (i % 2 === 0 ? line.replace(/ +/g, "   ") : "\t" + line.trim()))
  .join("\n")
  .replace(/\n\n/g, "\n\n\n");

/** The formatter's own output for MESSY: what a tidy file looks like. */
const TIDY = format(MESSY, "tidy.campaign").text;

const read = (dir: string, path: string): string => readFileSync(join(dir, path), "utf8");

describe("campaign fmt", () => {
  it("the fixtures mean what the tests assume", () => {
    const messy = format(MESSY, "messy.campaign");
    expect(messy.diagnostics).toEqual([]);
    expect(messy.changed).toBe(true);
    expect(TIDY).not.toBe(MESSY);
    expect(format(TIDY, "tidy.campaign").changed).toBe(false);
  });

  it("--check lists the files that would change, writes nothing and exits 1", () => {
    const dir = project({ "a/messy.campaign": MESSY, "a/tidy.campaign": TIDY });
    const r = runCli(["fmt", "--check", "a"], dir);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`${join("a", "messy.campaign")}\n1 of 2 files would be reformatted\n`);
    expect(r.status).toBe(1);
    expect(read(dir, "a/messy.campaign")).toBe(MESSY);
  });

  it("rewrites messy files under the current directory; a second run changes nothing", () => {
    const dir = project({ "messy.campaign": MESSY, "sub/tidy.campaign": TIDY, "notes.txt": "  untouched  " });
    const first = runCli(["fmt"], dir);
    expect(first.stdout).toBe("messy.campaign\nreformatted 1 of 2 files\n");
    expect(first.status).toBe(0);
    expect(read(dir, "messy.campaign")).toBe(TIDY);
    expect(read(dir, "sub/tidy.campaign")).toBe(TIDY);
    expect(read(dir, "notes.txt")).toBe("  untouched  ");

    const second = runCli(["fmt", "--check", "--json", "."], dir);
    expect(second.status).toBe(0);
    const report = JSON.parse(second.stdout) as { diagnostics: unknown[]; summary: { errors: number; warnings: number; files: number }; changed: string[] };
    expect(report).toEqual({ diagnostics: [], summary: { errors: 0, warnings: 0, files: 2 }, changed: [] });
    expect(read(dir, "messy.campaign")).toBe(TIDY);
  });

  it("reports files with syntax errors, never rewrites them, formats the rest and exits 1", () => {
    const broken = MISSPELT.replace("{", "{   ");
    const dir = project({ "broken.campaign": broken, "messy.campaign": MESSY });
    const r = runCli(["fmt", "."], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^error\[S004\]: /);
    expect(r.stdout).toContain("  --> broken.campaign:2:3\n");
    expect(r.stdout).toContain("reformatted 1 of 2 files; 1 file not formatted because of errors\n");
    expect(read(dir, "broken.campaign")).toBe(broken);
    expect(read(dir, "messy.campaign")).toBe(TIDY);
  });

  it("exits 2 for a path that does not exist", () => {
    const dir = project({});
    const r = runCli(["fmt", "nowhere"], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("error: no such file or directory: `nowhere`\n");
  });
});
