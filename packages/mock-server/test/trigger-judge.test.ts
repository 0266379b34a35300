// `mock-server trigger` and the SDK's senders judge an answer with one judge (the SDK's
// `judgeAnswer`), so they agree on what counts as delivered: for each answer below, trigger's
// `synced` is the client's `success`, and where trigger calls an error answer contract-valid the
// client reports the same code as a RemoteError. Before, trigger judged on its own and called a
// creator sync that mapped none of the creators sent a success, which the client refused.
import { events, type EventName } from "@dttracker-dobbletap/contracts";
import { trigger } from "@dttracker-dobbletap/mock-server";
import { createClient, generateSecret, isInvalidAnswerError, isRemoteError, isUnexpectedResponseError } from "@dttracker-dobbletap/sdk";
import { describe, expect, it } from "vitest";

type Answer = (id: string) => { status: number; body: string; type?: string };

const json = (status: number, value: unknown) => ({ status, body: JSON.stringify(value) });
const offerRecord = { type: "offer", id: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a", status: "offered" };
const creatorId = events.creators_synced.example.data.creators[0]!.dobbletapId;

const cases: Array<[string, EventName, Answer, { synced: boolean; contractValid: boolean }]> = [
  ["a success naming the record", "offer_sent", (id) => json(200, { success: true, eventId: id, result: offerRecord }), { synced: true, contractValid: true }],
  [
    "a duplicate success",
    "offer_sent",
    (id) => json(200, { success: true, eventId: id, result: offerRecord, duplicate: true }),
    { synced: true, contractValid: true },
  ],
  [
    "a success for another event id",
    "offer_sent",
    () => json(200, { success: true, eventId: crypto.randomUUID(), result: offerRecord }),
    { synced: false, contractValid: false },
  ],
  ["a bare 200 { ok: true }", "offer_sent", () => json(200, { ok: true }), { synced: false, contractValid: false }],
  ["a 200 that is not JSON", "offer_sent", () => ({ status: 200, body: "OK", type: "text/plain" }), { synced: false, contractValid: false }],
  [
    "another event's record",
    "offer_sent",
    (id) => json(200, { success: true, eventId: id, result: { type: "campaign", id: offerRecord.id, status: "active" } }),
    { synced: false, contractValid: false },
  ],
  [
    "a creator sync that maps none of the creators sent",
    "creators_synced",
    (id) => json(200, { success: true, eventId: id, result: { synced: [], failed: [] } }),
    { synced: false, contractValid: false },
  ],
  [
    "a creator sync that maps its creator",
    "creators_synced",
    (id) => json(200, { success: true, eventId: id, result: { synced: [{ dobbletapId: creatorId, dttrackerId: offerRecord.id }], failed: [] } }),
    { synced: true, contractValid: true },
  ],
  [
    "404 CAMPAIGN_NOT_FOUND",
    "offer_sent",
    () => json(404, { success: false, error: { code: "CAMPAIGN_NOT_FOUND", message: "Send campaign_created first." } }),
    { synced: false, contractValid: true },
  ],
  [
    "CAMPAIGN_NOT_FOUND with HTTP 400",
    "offer_sent",
    () => json(400, { success: false, error: { code: "CAMPAIGN_NOT_FOUND", message: "wrong status" } }),
    { synced: false, contractValid: false },
  ],
  ["a gateway's HTML 502", "offer_sent", () => ({ status: 502, body: "<html>Bad gateway</html>", type: "text/html" }), { synced: false, contractValid: false }],
  ["a 307 redirect", "offer_sent", () => ({ status: 307, body: "" }), { synced: false, contractValid: false }],
];

/** A fetch that answers every request with `answer`, given the request's webhook-id. */
function cannedFetch(answer: Answer): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const { status, body, type } = answer(request.headers.get("webhook-id") ?? "");
    return new Response(status === 204 || body === "" ? null : body, { status, headers: { "content-type": type ?? "application/json" } });
  };
}

describe("trigger(...) and a client's send(...) judge an answer the same way", () => {
  it.each(cases)("%s", async (_, event, answer, expected) => {
    const secret = generateSecret();
    const fetch = cannedFetch(answer);
    const report = await trigger({ event, to: "http://receiver.test/hook", secret, fetch });
    const party = events[event].endpoint.startsWith("dobbletap") ? "dobbletap" : "dttracker";
    const client = createClient(party, { baseUrl: "http://receiver.test", secret, retry: false, fetch });
    const sent = await client.send(event as never, structuredClone(events[event].example.data) as never);

    expect({ synced: report.synced, contractValid: report.contractValid }).toEqual(expected);
    expect(sent.success).toBe(report.synced);
    if (sent.success) return;
    if (report.contractValid) {
      // A contract-valid error answer: the client reports the receiver's own code, as a RemoteError.
      expect(isRemoteError(sent.failure)).toBe(true);
      expect(sent.failure.code).toBe((report.body as { error: { code: string } }).error.code);
    } else if (report.status !== undefined && report.status >= 200 && report.status < 300) {
      expect(isInvalidAnswerError(sent.failure)).toBe(true);
    } else {
      // A non-2xx trigger refuses: no contract body (UNEXPECTED_RESPONSE), or a code at the wrong status.
      expect(isUnexpectedResponseError(sent.failure) || isRemoteError(sent.failure)).toBe(true);
    }
  });
});
