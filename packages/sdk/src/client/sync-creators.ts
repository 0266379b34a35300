/**
 * `creatorsSynced` of any number of creators: batches of at most `MAX_CREATORS_PER_EVENT`, reported
 * as one result, and `PARTIAL_FAILURE` for a delivered batch in which some creators failed.
 */
import { MAX_CREATORS_PER_EVENT, type EventDataInput, type EventName, type EventResult } from "@dttracker-dobbletap/contracts";
import { requestViolation } from "./envelope.js";
import type { PartialFailure, SendOptions, SendResult } from "./types.js";

/**
 * A delivered creator batch in which some creators failed: `PARTIAL_FAILURE`, still `synced: true`.
 * It is no failure of the send (there is no error class for it): each creator's own error is in
 * `result.failed`.
 *
 * @example
 * ```ts
 * partialFailure("creators_synced", { synced: [], failed: [{ dobbletapId: creatorId, error: { code: "INVALID_STATE", message: "handle taken" } }] });
 * ```
 */
export function partialFailure(event: EventName, result: unknown): PartialFailure | null {
  if (event !== "creators_synced") return null;
  const { synced, failed } = result as EventResult<"creators_synced">;
  if (failed.length === 0) return null;
  const codes = [...new Set(failed.map((entry) => entry.error.code))].join(", ");
  return {
    code: "PARTIAL_FAILURE",
    message: `${failed.length} of ${synced.length + failed.length} creators were not synced (${codes}); see result.failed for each one. The batch itself was delivered: fix those creators and sync them again.`,
  };
}

/** The client's generic send, for `creators_synced`. */
export type SendCreators = (event: "creators_synced", data: EventDataInput<"creators_synced">, options?: SendOptions) => Promise<SendResult<"creators_synced">>;

/**
 * `creatorsSynced`: any number of creators, sent in batches of at most `MAX_CREATORS_PER_EVENT`
 * (each its own event id, one after another), reported as one result: every batch's mapping
 * together, `synced` only when every batch was delivered, the first delivery failure otherwise, and
 * `PARTIAL_FAILURE` when all were delivered but some creators failed. `batches` holds each batch's
 * own result (its `eventId` is what to resend with).
 *
 * @example
 * ```ts
 * const sent = await syncCreators(send, { creators }, {});
 * ```
 */
export async function syncCreators(
  send: SendCreators,
  data: EventDataInput<"creators_synced">,
  options: SendOptions = {},
): Promise<SendResult<"creators_synced">> {
  const creators = (data as { creators?: unknown }).creators;
  // Not a list, or one batch: the contract's own checks and answer, unchanged.
  if (!Array.isArray(creators) || creators.length <= MAX_CREATORS_PER_EVENT) return send("creators_synced", data, options);
  if (options.id !== undefined) {
    throw requestViolation(
      `The id option names one event, but ${creators.length} creators go in ${Math.ceil(creators.length / MAX_CREATORS_PER_EVENT)} events of at most ${MAX_CREATORS_PER_EVENT}. Resend a batch with send("creators_synced", batch, { id: batches[i].eventId }).`,
      "id",
      "must not be given for more than one batch",
    );
  }
  const batches: SendResult<"creators_synced">[] = [];
  for (let start = 0; start < creators.length; start += MAX_CREATORS_PER_EVENT) {
    const batch = { ...data, creators: creators.slice(start, start + MAX_CREATORS_PER_EVENT) };
    batches.push(await send("creators_synced", batch, { ...options, id: undefined }));
  }
  const delivered = batches.filter((batch) => batch.success);
  const first = batches.find((batch) => !batch.success);
  const result: EventResult<"creators_synced"> = {
    synced: delivered.flatMap((batch) => batch.result.synced),
    failed: delivered.flatMap((batch) => batch.result.failed),
  };
  const eventId = batches[0]!.eventId;
  const attempts = batches.reduce((sum, batch) => sum + batch.attempts, 0);
  if (first === undefined) {
    return {
      success: true,
      eventId,
      syncStatus: { synced: true, error: partialFailure("creators_synced", result), retryQueued: false },
      result,
      attempts,
      batches,
    };
  }
  const undelivered = batches.filter((batch) => !batch.success);
  return {
    success: false,
    eventId,
    syncStatus: {
      synced: false,
      error: {
        code: first.syncStatus.error.code,
        message: `${undelivered.length} of ${batches.length} batches were not delivered; the first (event ${first.eventId}): ${first.syncStatus.error.message}`,
      },
      retryQueued: undelivered.every((batch) => batch.syncStatus.retryQueued),
    },
    ...(delivered.length > 0 && { result }),
    attempts,
    failure: first.failure,
    batches,
  };
}
