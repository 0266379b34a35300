import * as z from "zod";
import { defineEvent, exampleRecordIds } from "../define-event.js";
import { ErrorCodeSchema, type Issue } from "../errors.js";
import { IsoDateTime, Platform, text, Uuid } from "../primitives.js";

/** A creator handle as stored: without the leading `@`. */
const Handle = z.string().regex(/^[A-Za-z0-9._]{1,100}$/, {
  error: "must be a handle of letters, digits, dots or underscores, without the leading @ (e.g. wickhed7)",
});

/**
 * A creator on Dobbletap, as synced to DTTracker.
 *
 * @example
 * ```ts
 * Creator.safeParse({ ...creator, status: "pending" }).success; // false: active | inactive only
 * ```
 */
export const Creator = z
  .object({
    dobbletapId: Uuid.meta({ description: "Dobbletap's creator id; offers address creators by it." }),
    handle: Handle.meta({ example: "wickhed7" }),
    displayName: text(200).optional(),
    platforms: z
      .array(
        z.object({
          platform: Platform,
          handle: Handle,
          followers: z.int({ error: "must be a whole number" }).nonnegative().optional(),
        }),
      )
      .max(10),
    status: z.enum(["active", "inactive"], {
      // Production failure #3: 'pending' broke a database constraint. Only these two exist.
      error: "must be active or inactive",
    }),
    updatedAt: IsoDateTime,
  })
  .meta({ id: "Creator" });
export type Creator = z.output<typeof Creator>;

/**
 * The most creators one `creators_synced` event carries (v1 said 500, which cannot fit 256 KiB:
 * 500 contract-valid creators measure about 1 MB). The SDK's `creatorsSynced` splits longer lists.
 *
 * @example
 * ```ts
 * for (let start = 0; start < creators.length; start += MAX_CREATORS_PER_EVENT) send(creators.slice(start, start + MAX_CREATORS_PER_EVENT));
 * ```
 */
export const MAX_CREATORS_PER_EVENT = 100;

/**
 * Dobbletap → DTTracker: a batch of creators (1 to 100), as `creators-sync-from-dobbletap` receives it.
 *
 * @example
 * ```ts
 * creatorsSynced.data.safeParse({ creators: creator }).success; // false: an array creators[] is required
 * ```
 */
export const creatorsSynced = defineEvent({
  name: "creators_synced",
  endpoint: "dttracker.creator-sync",
  summary: "Dobbletap synced a batch of creators",
  description:
    `Always an array \`creators[]\` of 1 to ${MAX_CREATORS_PER_EVENT}, never a single object. A batch can partly ` +
    "succeed and is still a 200 (it was processed): the result maps each creator to DTTracker's id or to the " +
    "error that stopped it.",
  data: z.object({
    creators: z
      .array(Creator, {
        // Production failure #2: one object was sent where the array was expected.
        error: (issue) =>
          issue.code === "invalid_type" ? `must be an array creators[] (1 to ${MAX_CREATORS_PER_EVENT}), not a single creator object` : undefined,
      })
      .min(1, { error: "must hold at least one creator" })
      .max(MAX_CREATORS_PER_EVENT, {
        error: `must hold at most ${MAX_CREATORS_PER_EVENT} creators: split the list into batches (the SDK's creatorsSynced does)`,
      }),
  }),
  result: z.object({
    synced: z.array(z.object({ dobbletapId: Uuid, dttrackerId: Uuid.meta({ description: "DTTracker's own id for the creator." }) })),
    failed: z.array(z.object({ dobbletapId: Uuid, error: z.object({ code: ErrorCodeSchema, message: z.string() }) })),
  }),
  // "Its result maps each creator": an answer that leaves a sent creator out, or names one that was
  // not sent, did not do what it says.
  relate: (data, result) => {
    // Two sets, so the check stays linear in the batch (a list lookup per creator was quadratic).
    const sent = new Set(data.creators.map((creator) => creator.dobbletapId));
    const answered = new Set<string>();
    for (const entry of result.synced) answered.add(entry.dobbletapId);
    for (const entry of result.failed) answered.add(entry.dobbletapId);
    const issues: Issue[] = [];
    for (const id of sent) if (!answered.has(id)) issues.push({ path: "result", message: `maps no outcome for creator ${id}, which was sent` });
    for (const id of answered) if (!sent.has(id)) issues.push({ path: "result", message: `names creator ${id}, which was not in the batch` });
    return issues;
  },
  example: {
    id: "f2c4e6a8-0b1d-4f3e-a5c7-9e1b3d5f7a9c",
    event: "creators_synced",
    occurredAt: "2026-02-08T09:00:00.000Z",
    data: {
      creators: [
        {
          dobbletapId: "29f99241-53d1-4f78-b9b0-2169f4a15a49",
          handle: "wickhed7",
          displayName: "Wickhed",
          platforms: [
            { platform: "tiktok", handle: "wickhed7", followers: 184000 },
            { platform: "instagram", handle: "wickhed7", followers: 52300 },
          ],
          status: "active",
          updatedAt: "2026-02-08T08:55:00.000Z",
        },
      ],
    },
  },
  exampleResult: {
    synced: [{ dobbletapId: "29f99241-53d1-4f78-b9b0-2169f4a15a49", dttrackerId: exampleRecordIds.creator }],
    failed: [],
  },
});
