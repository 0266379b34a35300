// Contract v1.1 as the sender sees it: creatorsSynced splits any number of creators into batches of
// at most 100 with one aggregated result, PARTIAL_FAILURE for a delivered batch with failed
// creators, offsets sent as Z, and the v1a / v1 keys a client signs with.
import { endpointFor } from "../../test/support/endpoint-handlers.js";
import { events, MAX_CREATORS_PER_EVENT, type EventData } from "@dttracker-dobbletap/contracts";
import { describe, expect, it } from "vitest";
import { createWebhookHandler } from "../receiver/create-webhook-handler.js";
import { generateKeyPair, generateSecret } from "../signing/index.js";
import { createDobbletapClient, createDttrackerClient } from "./create-client.js";

const template = events.creators_synced.example.data.creators[0]!;
const creatorsOf = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ ...template, dobbletapId: crypto.randomUUID(), handle: `creator_${index}` }));

/** A DTTracker receiver that fails the creators whose handle ends in 7, and records each batch. */
function dttracker(secret: string, options: { downAfter?: number } = {}) {
  const batches: EventData<"creators_synced">["creators"][] = [];
  const ids: string[] = [];
  const handle = createWebhookHandler({
    endpoint: "dttracker.creator-sync",
    secrets: secret,
    handlers: {
      creators_synced: ({ id, data }) => {
        batches.push(data.creators);
        ids.push(id);
        const fails = (handle: string) => handle.endsWith("7");
        return {
          synced: data.creators.filter((c) => !fails(c.handle)).map((c) => ({ dobbletapId: c.dobbletapId, dttrackerId: crypto.randomUUID() })),
          failed: data.creators
            .filter((c) => fails(c.handle))
            .map((c) => ({ dobbletapId: c.dobbletapId, error: { code: "INVALID_STATE" as const, message: "handle taken" } })),
        };
      },
    },
  });
  let calls = 0;
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls++;
    if (options.downAfter !== undefined && calls > options.downAfter) return new Response("bad gateway", { status: 502 });
    return handle(new Request(input, init));
  };
  return { batches, ids, fetch: fetch as typeof globalThis.fetch };
}

describe("creatorsSynced(data) with any number of creators (v1.1)", () => {
  it("sends 250 creators as batches of 100, 100, 50, each its own event id, with one aggregated result", async () => {
    const secret = generateSecret();
    const receiver = dttracker(secret);
    const client = createDttrackerClient({ baseUrl: "http://dttracker.test/functions/v1", secret, fetch: receiver.fetch, retry: false });
    const creators = creatorsOf(250);

    const sent = await client.creatorsSynced({ creators });

    expect(receiver.batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(new Set(receiver.ids).size).toBe(3);
    expect(sent.batches?.map((batch) => batch.eventId)).toEqual(receiver.ids);
    expect(sent.eventId).toBe(receiver.ids[0]);
    const failedHandles = creators.filter((c) => c.handle.endsWith("7"));
    expect(sent.result?.synced).toHaveLength(250 - failedHandles.length);
    expect(sent.result?.failed.map((entry) => entry.dobbletapId)).toEqual(failedHandles.map((c) => c.dobbletapId));
    expect(sent.attempts).toBe(3);
    // Delivered, with some creators failed: synced true, PARTIAL_FAILURE names how many.
    expect(sent.success).toBe(true);
    expect(sent.syncStatus.synced).toBe(true);
    expect(sent.syncStatus.error).toEqual({
      code: "PARTIAL_FAILURE",
      message: expect.stringMatching(new RegExp(`^${failedHandles.length} of 250 creators were not synced \\(INVALID_STATE\\)`)),
    });
  });

  it("a batch of at most 100 is one event; with no failed creator the error is null", async () => {
    const secret = generateSecret();
    const receiver = dttracker(secret);
    const client = createDttrackerClient({ baseUrl: "http://dttracker.test/functions/v1", secret, fetch: receiver.fetch, retry: false });
    const creators = creatorsOf(MAX_CREATORS_PER_EVENT).map((c) => ({ ...c, handle: c.handle.replace(/7/g, "x") }));
    const sent = await client.creatorsSynced({ creators });
    expect(receiver.batches).toHaveLength(1);
    expect(sent.batches).toBeUndefined();
    expect(sent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
  });

  it("reports not synced, with the first undelivered batch's error, when a later batch fails", async () => {
    const secret = generateSecret();
    const receiver = dttracker(secret, { downAfter: 1 });
    const client = createDttrackerClient({ baseUrl: "http://dttracker.test/functions/v1", secret, fetch: receiver.fetch, retry: false });
    const sent = await client.creatorsSynced({ creators: creatorsOf(150) });
    expect(sent.success).toBe(false);
    expect(sent.syncStatus.synced).toBe(false);
    expect(sent.syncStatus.error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(sent.syncStatus.error?.message).toMatch(/^1 of 2 batches were not delivered/);
    expect(sent.syncStatus.retryQueued).toBe(false);
    // What the first batch did is still reported.
    expect((sent.result?.synced.length ?? 0) + (sent.result?.failed.length ?? 0)).toBe(100);
  });

  it("refuses an id option for more than one batch (an id names one event)", async () => {
    const client = createDttrackerClient({ baseUrl: "http://127.0.0.1:9", secret: generateSecret() });
    await expect(client.creatorsSynced({ creators: creatorsOf(101) }, { id: crypto.randomUUID() })).rejects.toThrow(/names one event/);
  });
});

describe("a client's keys (v1.1)", () => {
  it("createDobbletapClient({ secretKey, secret }) signs every request with both; a v1a-only receiver accepts it", async () => {
    const pair = await generateKeyPair();
    const secret = generateSecret();
    const signatures: string[] = [];
    const handle = createWebhookHandler({
      publicKeys: [pair.publicKey],
      ...endpointFor({ campaign_created: () => ({ type: "campaign", id: crypto.randomUUID(), status: "active" }) }),
    });
    const client = createDobbletapClient({
      baseUrl: "http://dobbletap.test",
      secretKey: pair.secretKey,
      secret,
      retry: false,
      fetch: async (input, init) => {
        signatures.push(new Headers(init?.headers).get("webhook-signature") ?? "");
        return handle(new Request(input, init));
      },
    });
    const sent = await client.campaignCreated(events.campaign_created.example.data);
    expect(signatures[0]).toMatch(/^v1a,\S+ v1,\S+$/);
    expect(sent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
    expect(JSON.stringify(sent)).not.toContain(pair.secretKey.slice(5, 25));
  });

  it("a receiver given only publicKeys answers 401 to a request signed only with v1, naming the schemes", async () => {
    const pair = await generateKeyPair();
    const secret = generateSecret();
    const handle = createWebhookHandler({
      publicKeys: [pair.publicKey],
      ...endpointFor({ campaign_created: () => ({ type: "campaign", id: crypto.randomUUID(), status: "active" }) }),
    });
    const client = createDobbletapClient({ baseUrl: "http://dobbletap.test", secret, retry: false, fetch: (input, init) => handle(new Request(input, init)) });
    const sent = await client.campaignCreated(events.campaign_created.example.data);
    expect([sent.status, sent.syncStatus.error?.code]).toEqual([401, "UNAUTHORIZED"]);
    expect(sent.syncStatus.error?.message).toMatch(/verifies v1a, the request carries v1/);
    expect(() =>
      createWebhookHandler({
        publicKeys: [pair.secretKey],
        ...endpointFor({ campaign_created: () => ({ type: "campaign", id: crypto.randomUUID(), status: "active" }) }),
      }),
    ).toThrow(/publicKeys needs a v1a public key \(whpk_…\), but it was given a v1a secret key \(whsk_…\)/);
  });

  it("refuses a client with no key, and a whpk_ given as secretKey naming both", () => {
    expect(() => createDobbletapClient({ baseUrl: "http://127.0.0.1:9" })).toThrow(/secretKey \(whsk_…, v1a, recommended\) or secret/);
    const publicKey = `whpk_${Buffer.alloc(32, 7).toString("base64")}`;
    expect(() => createDobbletapClient({ baseUrl: "http://127.0.0.1:9", secretKey: publicKey })).toThrow(
      /secretKey needs a v1a secret key \(whsk_…\), but it was given a v1a public key \(whpk_…\)/,
    );
  });

  it("sends a timestamp given with an offset as Z (senders always send Z)", async () => {
    const secret = generateSecret();
    let sentBody = "";
    const client = createDobbletapClient({
      baseUrl: "http://dobbletap.test",
      secret,
      retry: false,
      fetch: async (_input, init) => {
        sentBody = new TextDecoder().decode(init?.body as Uint8Array);
        return new Response("{}", { status: 500 });
      },
    });
    const offer = { ...events.offer_sent.example.data.offer, deadline: "2026-02-21T00:59:59+01:00" };
    await client.offerSent({ offer }, { occurredAt: "2026-02-08T11:15:00+01:00" });
    const envelope = JSON.parse(sentBody) as { occurredAt: string; data: { offer: { deadline: string } } };
    expect([envelope.occurredAt, envelope.data.offer.deadline]).toEqual(["2026-02-08T10:15:00.000Z", "2026-02-20T23:59:59.000Z"]);
  });
});
