import { describe, expect, it } from "vitest";
import { errorCodes, statusOf } from "./errors.js";
import { eventNames, events, eventsAt, eventsTo } from "./events/index.js";
import { parseErrorAnswer, parseEvent, parseEventData, parseEventJson, parseSuccessAnswer } from "./parse.js";

const clone = <T>(value: T): T => structuredClone(value);
const offerExample = () => clone(events.offer_sent.example);
const creatorsExample = () => clone(events.creators_synced.example);

function issuePaths(result: ReturnType<typeof parseEvent>): string[] {
  expect(result.success).toBe(false);
  return result.success ? [] : (result.error.issues ?? []).map((issue) => issue.path);
}

describe("every event's example", () => {
  it.each(eventNames)("parseEvent(%s example) returns the typed event", (name) => {
    const result = parseEvent(events[name].example);
    expect(result).toEqual({ success: true, event: events[name].example });
  });

  it.each(eventNames)("parseEvent(%s example) is refused at an endpoint that does not take it", (name) => {
    const other = eventNames.filter((candidate) => events[candidate].endpoint !== events[name].endpoint);
    const result = parseEvent(events[name].example, { accept: other });
    expect(result.success || result.error.code).toBe("UNKNOWN_EVENT");
  });
});

describe("mutations the contract forbids are rejected, naming the field", () => {
  it("a missing required field", () => {
    const body = offerExample();
    delete (body.data.offer as Partial<typeof body.data.offer>).creatorId;
    expect(issuePaths(parseEvent(body))).toEqual(["data.offer.creatorId"]);
  });

  it("money as a float", () => {
    const body = offerExample();
    body.data.offer.amount.amountMinor = 75000.5;
    const result = parseEvent(body);
    expect(issuePaths(result)).toEqual(["data.offer.amount.amountMinor"]);
    expect(result.success || result.error.issues?.[0]?.message).toMatch(/integer/);
  });

  it("money as a decimal string, zero or negative", () => {
    for (const amountMinor of ["75000.00", 0, -100] as unknown[]) {
      const body = offerExample();
      (body.data.offer.amount as { amountMinor: unknown }).amountMinor = amountMinor;
      expect(issuePaths(parseEvent(body))).toEqual(["data.offer.amount.amountMinor"]);
    }
  });

  it("a creator with status 'pending' (production failure #3)", () => {
    const body = creatorsExample();
    (body.data.creators[0] as { status: string }).status = "pending";
    const result = parseEvent(body);
    expect(issuePaths(result)).toEqual(["data.creators.0.status"]);
    expect(result.success || result.error.issues?.[0]?.message).toBe("must be active or inactive");
  });

  it("a single creator object instead of creators[] (production failure #2)", () => {
    const body = creatorsExample() as { data: { creators: unknown } };
    body.data.creators = (body.data.creators as unknown[])[0];
    const result = parseEvent(body);
    expect(issuePaths(result)).toEqual(["data.creators"]);
    expect(result.success || result.error.message).toMatch(/array creators\[\]/);
  });

  it("an empty batch and a batch of 101 creators (v1.1: 1 to 100)", () => {
    const empty = creatorsExample();
    empty.data.creators = [];
    expect(issuePaths(parseEvent(empty))).toEqual(["data.creators"]);
    const big = creatorsExample();
    big.data.creators = Array.from({ length: 101 }, () => big.data.creators[0]!);
    const refused = parseEvent(big);
    expect(issuePaths(refused)).toEqual(["data.creators"]);
    expect(refused.success || refused.error.message).toMatch(/at most 100 creators: split the list/);
    const full = creatorsExample();
    full.data.creators = Array.from({ length: 100 }, () => full.data.creators[0]!);
    expect(parseEvent(full).success).toBe(true);
  });

  it("an unknown event name is UNKNOWN_EVENT naming `event`", () => {
    const body = { ...offerExample(), event: "offer_sent_v2" };
    const result = parseEvent(body);
    expect(result.success || result.error.code).toBe("UNKNOWN_EVENT");
    expect(issuePaths(result)).toEqual(["event"]);
  });

  it("UNKNOWN_EVENT says whether an event belongs to another endpoint or only lacks a handler here", () => {
    const declined = events.offer_declined.example;
    const missingHandler = parseEvent(declined, { accept: ["offer_accepted"] });
    expect(missingHandler.success || missingHandler.error.message).toMatch(/this receiver has no handler for it/);
    const elsewhere = parseEvent(declined, { accept: ["offer_sent"] });
    expect(elsewhere.success || elsewhere.error.message).toMatch(/it belongs to another endpoint/);
  });

  it("a bad uuid", () => {
    const body = offerExample();
    body.data.offer.campaignId = "campaign-123";
    expect(issuePaths(parseEvent(body))).toEqual(["data.offer.campaignId"]);
    const envelope = { ...offerExample(), id: "not-a-uuid" };
    expect(issuePaths(parseEvent(envelope))).toEqual(["id"]);
  });

  it("extra-long strings", () => {
    const body = offerExample();
    body.data.offer.message = "x".repeat(2001);
    expect(issuePaths(parseEvent(body))).toEqual(["data.offer.message"]);
    const campaign = clone(events.campaign_created.example);
    campaign.data.campaign.title = "t".repeat(201);
    expect(issuePaths(parseEvent(campaign))).toEqual(["data.campaign.title"]);
  });

  it("a handle with the leading @", () => {
    const body = creatorsExample();
    body.data.creators[0]!.handle = "@wickhed7";
    expect(issuePaths(parseEvent(body))).toEqual(["data.creators.0.handle"]);
  });

  it("a timestamp that is not RFC 3339, and a campaign ending before it starts", () => {
    for (const occurredAt of ["2026-02-08 10:15:00", "2026-02-08T10:15:00", "1770545700", "2026-02-30T10:15:00Z"]) {
      const body = offerExample();
      body.occurredAt = occurredAt;
      expect(issuePaths(parseEvent(body))).toEqual(["occurredAt"]);
    }
    const campaign = clone(events.campaign_created.example);
    campaign.data.campaign.endsAt = "2026-02-01T00:00:00Z";
    expect(issuePaths(parseEvent(campaign))).toEqual(["data.campaign.endsAt"]);
  });

  it("an activation_updated with no change", () => {
    const body = clone(events.activation_updated.example);
    (body.data as { changes: object }).changes = {};
    const result = parseEvent(body);
    expect(issuePaths(result)).toEqual(["data.changes"]);
    expect(result.success || result.error.issues?.[0]?.message).toMatch(/at least one of: title/);
  });

  it("an unsupported platform", () => {
    const body = clone(events.campaign_created.example);
    (body.data.campaign.platforms as string[]) = ["tiktok", "myspace"];
    expect(issuePaths(parseEvent(body))).toEqual(["data.campaign.platforms.1"]);
  });

  it("lists every problem, not just the first", () => {
    const body = offerExample();
    body.data.offer.amount.amountMinor = 1.5;
    body.data.offer.campaignId = "x";
    const result = parseEvent(body);
    expect(issuePaths(result).sort()).toEqual(["data.offer.amount.amountMinor", "data.offer.campaignId"]);
    expect(result.success || result.error.message).toMatch(/\(and 1 more\)/);
  });
});

describe("parseEvent on bodies that are not envelopes", () => {
  it.each([null, 42, "offer_sent", [], [events.offer_sent.example]])("%j is VALIDATION_FAILED at the root", (body) => {
    const result = parseEvent(body);
    expect(result.success || result.error.code).toBe("VALIDATION_FAILED");
    expect(issuePaths(result)).toEqual([""]);
  });

  it("a missing event name is VALIDATION_FAILED naming `event`", () => {
    const { event: _, ...body } = offerExample();
    expect(issuePaths(parseEvent(body))).toEqual(["event"]);
  });

  it("does not echo a huge event name back in full", () => {
    const result = parseEvent({ ...offerExample(), event: "e".repeat(10_000) });
    expect(result.success || result.error.message.length).toBeLessThan(300);
  });
});

describe("parseEventJson", () => {
  it("returns MALFORMED_JSON for unparseable text without quoting it", () => {
    const result = parseEventJson('{"id": "whsec_not-echoed"');
    expect(result.success || result.error.code).toBe("MALFORMED_JSON");
    expect(result.success || result.error.message).not.toContain("whsec_");
  });

  it("parses the raw text of an example", () => {
    expect(parseEventJson(JSON.stringify(events.offer_accepted.example)).success).toBe(true);
  });
});

describe("parseEventData", () => {
  it("validates a sender's data with paths from the body's root", () => {
    const result = parseEventData("offer_sent", { offer: { ...offerExample().data.offer, amount: { currency: "NGN", amountMinor: 750.5 } } });
    expect(result.success || result.error.issues?.map((issue) => issue.path)).toEqual(["data.offer.amount.amountMinor"]);
  });
});

describe("answers", () => {
  const id = events.offer_sent.example.id;
  const record = { type: "offer", id: "d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a", status: "offered" };

  it("parseSuccessAnswer accepts a success naming the created record", () => {
    expect(parseSuccessAnswer("offer_sent", { success: true, eventId: id, result: record }).success).toBe(true);
  });

  it.each([
    ["an 'ok' that names nothing (production failure #5)", { ok: true }],
    ["a success without a result", { success: true, eventId: id }],
    ["a record of the wrong type", { success: true, eventId: id, result: { ...record, type: "campaign" } }],
    ["a status outside the contract", { success: true, eventId: id, result: { ...record, status: "pending" } }],
    // v1.1: a new offer cannot already be accepted.
    ["an offer_sent result that is not offered", { success: true, eventId: id, result: { ...record, status: "accepted" } }],
  ])("parseSuccessAnswer rejects %s", (_, body) => {
    expect(parseSuccessAnswer("offer_sent", body).success).toBe(false);
  });

  it("parseSuccessAnswer(event, body, data) refuses a creator sync that does not map each creator sent", () => {
    const data = events.creators_synced.example.data;
    const creator = data.creators[0]!.dobbletapId;
    const answer = (result: unknown) => ({ success: true, eventId: events.creators_synced.example.id, result });
    const stranger = "0c0ffee0-0000-4000-8000-00000000beef";
    expect(parseSuccessAnswer("creators_synced", answer({ synced: [], failed: [] }), data)).toEqual({
      success: false,
      issues: [{ path: "result", message: `maps no outcome for creator ${creator}, which was sent` }],
    });
    const extra = answer({
      synced: [
        { dobbletapId: creator, dttrackerId: stranger },
        { dobbletapId: stranger, dttrackerId: stranger },
      ],
      failed: [],
    });
    expect(parseSuccessAnswer("creators_synced", extra, data)).toMatchObject({
      success: false,
      issues: [{ message: expect.stringMatching(/not in the batch/) }],
    });
    const partly = answer({ synced: [], failed: [{ dobbletapId: creator, error: { code: "INVALID_STATE", message: "handle taken" } }] });
    expect(parseSuccessAnswer("creators_synced", partly, data).success).toBe(true);
  });

  it("parseErrorAnswer reads a contract error and ignores anything else", () => {
    expect(parseErrorAnswer({ success: false, error: { code: "CAMPAIGN_NOT_FOUND", message: "m" } })?.error.code).toBe("CAMPAIGN_NOT_FOUND");
    expect(parseErrorAnswer({ success: false, error: { code: "TEAPOT", message: "m" } })).toBeUndefined();
  });
});

describe("the event map", () => {
  it("routes each event to exactly one endpoint, four to Dobbletap and three to DTTracker", () => {
    expect(eventsTo("dobbletap")).toEqual(["campaign_created", "activation_updated", "activation_cancelled", "offer_sent"]);
    expect(eventsTo("dttracker")).toEqual(["creators_synced", "offer_accepted", "offer_declined"]);
    expect(eventsAt("dttracker.creator-sync")).toEqual(["creators_synced"]);
  });

  it("gives every error code the status the contract names", () => {
    expect(Object.fromEntries(Object.entries(errorCodes).map(([code, { status }]) => [code, status]))).toEqual({
      MALFORMED_JSON: 400,
      UNAUTHORIZED: 401,
      NOT_FOUND: 404,
      METHOD_NOT_ALLOWED: 405,
      CAMPAIGN_NOT_FOUND: 404,
      CREATOR_NOT_FOUND: 404,
      OFFER_NOT_FOUND: 404,
      INVALID_STATE: 409,
      PAYLOAD_TOO_LARGE: 413,
      UNSUPPORTED_MEDIA_TYPE: 415,
      VALIDATION_FAILED: 422,
      UNKNOWN_EVENT: 422,
      INTERNAL: 500,
    });
    expect(statusOf("INVALID_STATE")).toBe(409);
  });
});
