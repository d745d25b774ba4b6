/**
 * Templates for new files. `{{name}}` is replaced by the new file's base name
 * after checking it is a plain identifier (never pasted unchecked), and
 * `{{catalog}}` by the workspace catalog's name, also an identifier taken
 * from the parsed catalog.
 */
export interface FileTemplate {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

export const templates: readonly FileTemplate[] = [
  {
    id: "event",
    title: "Real-time campaign (on an event)",
    text: `// {{name}}: a campaign that starts when an event arrives.

campaign {{name}} "新活动" {
  uses catalog {{catalog}}
  window 2026-12-01 .. 2026-12-31
  priority 50
  policy marketing

  audience
    aum >= 10k

  trigger on app.login
    once per customer

  goal purchase where amount >= 10k within 14 days of first touch

  waves
    1. app_push "{{name}}_push" now
    2. sms "{{name}}_sms" after 2 days unless converted

  budget 10k total
  holdout 10%
}
`,
  },
  {
    id: "batch",
    title: "Batch campaign (on a schedule)",
    text: `// {{name}}: a campaign that runs on a schedule.

campaign {{name}} "新批量活动" {
  uses catalog {{catalog}}
  window 2026-12-01 .. 2026-12-31
  priority 40
  policy marketing

  audience
    aum between 10k and 200k

  trigger every day at 09:00 customer time
    once per customer

  goal aum up by at least 10k within 30 days

  waves
    1. sms "{{name}}_sms" now

  budget 5k total
  holdout 10%
}
`,
  },
  {
    id: "segments",
    title: "Segment library",
    text: `// {{name}}: segments shared by campaigns (\`uses segments {{name}}\`).

segments {{name}} {
  uses catalog {{catalog}}

  segment example "示例客群" =
    aum >= 50k
}
`,
  },
  {
    id: "empty",
    title: "Empty file",
    text: "",
  },
];

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The template's text for a file called `baseName` (an identifier; others become `new_campaign`). */
export function instantiate(t: FileTemplate, baseName: string, catalog: string): string {
  const name = IDENT.test(baseName) ? baseName : "new_campaign";
  const cat = IDENT.test(catalog) ? catalog : "retail";
  return t.text.replaceAll("{{name}}", name).replaceAll("{{catalog}}", cat);
}
