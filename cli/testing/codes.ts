/**
 * Diagnostic codes of `campaign test` (X2xx). The compiler already checks the
 * names in test blocks (N003, N005, N006, N007, N008, N017); these are what
 * only running a test finds: a value that does not fit its attribute's type,
 * a name the checker lets through, steps out of time order.
 */
import { registerCodes } from "../../language/diagnostics/codes.ts";

registerCodes([
  {
    code: "X201",
    severity: "error",
    title: "test value does not fit its type",
    explanation:
      "A value in `given customer`, `update` or an event's payload is read by the declared type of its attribute or field: money, int, number and score take numbers (score from 0 to 1, percentages allowed), enums one of their names, strings and zones a quoted string, dates `YYYY-MM-DD`, date-times `YYYY-MM-DDTHH:MM` (in the catalog's zone unless an offset or zone is written), bools `true`/`false`, tags a list of tag names. The test is not run.",
    example: "",
  },
  {
    code: "X202",
    severity: "error",
    title: "test step before an earlier step",
    explanation:
      "Steps of a test run in the order written on one simulated clock, which never goes back: a timed step (`at`, `event`, `update`) may not be earlier than the timed step before it. Reorder the steps. The test is not run.",
    example: "",
  },
  {
    code: "X203",
    severity: "error",
    title: "unknown name in a test step",
    explanation:
      "An `update` names an attribute the catalog does not declare, a tag list names an undeclared tag, or a step sets `id` (the customer's name in the test is her id). The test is not run.",
    example: "",
  },
]);
