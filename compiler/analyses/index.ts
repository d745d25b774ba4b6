/**
 * Static analyses over checked campaigns. Each analysis is one file with
 * one job and its own diagnostic code(s) (documented in
 * compiler/diagnostics/analysisCodes.ts); this list runs them in order.
 * Per-campaign analyses skip campaigns that already have errors, so an
 * analysis never reports on top of a broken campaign. Analyses that reason
 * about conditions use the sound, incomplete reasoner in compiler/logic and
 * stay quiet whenever it is unsure.
 */
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import "../diagnostics/analysisCodes.ts";
import type { CheckedCampaign } from "../program.ts";
import { audienceEveryone } from "./audienceEveryone.ts";
import { benefitTierOrder } from "./benefitTierOrder.ts";
import { benefitTierOverlap } from "./benefitTierOverlap.ts";
import { benefitWithoutGoal } from "./benefitWithoutGoal.ts";
import { budgetBelowPayout } from "./budgetBelowPayout.ts";
import { campaignCollision } from "./campaignCollision.ts";
import { capBelowWaves } from "./capBelowWaves.ts";
import { contactPressure } from "./contactPressure.ts";
import { duplicateCampaignIds } from "./duplicateIds.ts";
import { quietHoursBatch } from "./quietHoursBatch.ts";
import { scheduleNeverFires } from "./scheduleNeverFires.ts";
import { unsatisfiableCondition } from "./unsatisfiableCondition.ts";
import { waveAfterWindow } from "./waveAfterWindow.ts";
import { waveOnlyContradicts } from "./waveOnlyContradicts.ts";

export interface Analysis {
  readonly name: string;
  /** Runs over all campaigns given to one check. */
  readonly run: (campaigns: readonly CheckedCampaign[]) => Diagnostic[];
}

export const analyses: Analysis[] = [
  duplicateCampaignIds,
  unsatisfiableCondition,
  audienceEveryone,
  waveAfterWindow,
  capBelowWaves,
  waveOnlyContradicts,
  quietHoursBatch,
  scheduleNeverFires,
  benefitWithoutGoal,
  budgetBelowPayout,
  benefitTierOverlap,
  benefitTierOrder,
  campaignCollision,
  contactPressure,
];

export function runAnalyses(campaigns: readonly CheckedCampaign[]): Diagnostic[] {
  return analyses.flatMap((a) => a.run(campaigns));
}
