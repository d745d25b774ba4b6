/**
 * The embedding API of the campaign runtime (see spec/runtime.md and the
 * README): create a runtime from plans, a store, a clock and a customer
 * source; hand it inputs; run what is due; take actions from the outbox.
 */
export { CampaignRuntime, type RuntimeOptions } from "./engine/runtime.ts";
export { MemoryStore } from "./store/memory.ts";
export type { Store, EntryState, Timer, ContactRecord } from "./store/types.ts";
export type {
  Clock,
  CustomerSource,
  InputResult,
  JourneyEntry,
  OptOut,
  OutboxAction,
  OutboxRow,
  PayoutAction,
  ProfileUpdate,
  RuntimeEvent,
  SuppressionReason,
  TouchAction,
  TouchFeedback,
} from "./types.ts";
