/**
 * Static analyses over checked campaigns. Each analysis is one file with
 * one job and its own diagnostic code(s); this list runs them in order.
 * Per-campaign analyses skip campaigns that already have errors, so an
 * analysis never reports on top of a broken campaign.
 */
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { CheckedCampaign } from "../program.ts";
import { benefitWithoutGoal } from "./benefitWithoutGoal.ts";
import { duplicateCampaignIds } from "./duplicateIds.ts";

export interface Analysis {
  readonly name: string;
  /** Runs over all campaigns given to one check. */
  readonly run: (campaigns: readonly CheckedCampaign[]) => Diagnostic[];
}

export const analyses: Analysis[] = [duplicateCampaignIds, benefitWithoutGoal];

export function runAnalyses(campaigns: readonly CheckedCampaign[]): Diagnostic[] {
  return analyses.flatMap((a) => a.run(campaigns));
}
