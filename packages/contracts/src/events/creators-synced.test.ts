// The creator-sync answer check (an answer must map every creator sent, and only those) is linear
// in the batch: the SDK runs it on every creatorsSynced answer, and a check with a list lookup per
// creator took quadratic time.
import { describe, expect, it } from "vitest";
import { parseSuccessAnswer } from "../parse.js";
import type { EventData } from "./index.js";

describe("parseSuccessAnswer('creators_synced', answer, data)", () => {
  it("checks a 50,000-creator answer against its batch in linear time, naming the one left out and the one not sent", () => {
    const count = 50_000;
    const ids = Array.from({ length: count }, () => crypto.randomUUID());
    // The check reads only each creator's dobbletapId; the rest of the data was validated before sending.
    const data = { creators: ids.map((dobbletapId) => ({ dobbletapId })) } as unknown as EventData<"creators_synced">;
    const stranger = crypto.randomUUID();
    const answer = {
      success: true,
      eventId: crypto.randomUUID(),
      result: {
        // Every creator but the last answered, and one that was never sent.
        synced: ids.slice(0, -1).map((dobbletapId) => ({ dobbletapId, dttrackerId: dobbletapId })),
        failed: [{ dobbletapId: stranger, error: { code: "INVALID_STATE", message: "unknown" } }],
      },
    };

    const started = performance.now();
    const parsed = parseSuccessAnswer("creators_synced", answer, data);
    const ms = performance.now() - started;

    expect(parsed).toEqual({
      success: false,
      issues: [
        { path: "result", message: `maps no outcome for creator ${ids.at(-1)}, which was sent` },
        { path: "result", message: `names creator ${stranger}, which was not in the batch` },
      ],
    });
    // A lookup in a list per creator is over 10^9 comparisons here (about 15 s); two sets take milliseconds
    // (the bound leaves room for validating 50,000 entries on a loaded machine).
    expect(ms).toBeLessThan(3_000);
  });
});
