/**
 * Diagnostic codes reported by the command line itself (prefix X). They are
 * registered in the one catalogue so that every code the toolchain prints is
 * documented in spec/diagnostics.md.
 */
import { registerCodes } from "../language/diagnostics/codes.ts";

registerCodes([
  {
    code: "X001",
    severity: "error",
    title: "file is not valid UTF-8",
    explanation:
      "Campaign files are UTF-8 text. A file containing bytes that are not valid UTF-8 is not checked, and `fmt` never rewrites it (that would replace the bad bytes). Re-save the file as UTF-8.",
    example: "",
  },
]);
