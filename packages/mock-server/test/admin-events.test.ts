// GET /__mock/events (filters, whole deliveries), the SSE stream and replay, over HTTP against a
// mock in this process, with deliveries made by the SDK as an integrator makes them.
import { events } from "@dttracker-dobbletap/contracts";
import { startMockServer, type RunningMockServer } from "@dttracker-dobbletap/mock-server";
import { createDobbletapClient, createSigner, generateSecret } from "@dttracker-dobbletap/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call } from "./spawn.js";

const secret = generateSecret();
const once = { attempts: 1, initialDelayMs: 10, maxDelayMs: 10, totalTimeoutMs: 5_000 };
let mock: RunningMockServer;
let dttracker: RunningMockServer;

beforeAll(async () => {
  dttracker = await startMockServer({ as: "dttracker", secret });
  mock = await startMockServer({ as: "dobbletap", secret, dttrackerUrl: dttracker.url });
});
afterAll(async () => {
  await Promise.all([mock?.close(), dttracker?.close()]);
});
beforeEach(async () => {
  await call(`${mock.origin}/__mock/reset`, "POST");
});

describe("GET /__mock/events", () => {
  it("keeps each delivery whole: headers (signature as verified), raw body, answer, reason", async () => {
    const client = createDobbletapClient({ baseUrl: mock.url, secret, retry: once });
    await client.offerSent({ offer: { ...events.offer_sent.example.data.offer, campaignId: crypto.randomUUID() } });
    const [entry] = (await call(`${mock.origin}/__mock/events`)).body.events;
    expect(entry).toMatchObject({ seq: expect.any(Number), direction: "in", event: "offer_sent", status: 404, code: "CAMPAIGN_NOT_FOUND" });
    expect(entry.error).toMatch(/Campaign .* is not known|campaign/i);
    expect(entry.request.signature).toBe("verified");
    expect(entry.request.headers["webhook-signature"]).toBe("(verified)");
    expect(JSON.parse(entry.request.body).event).toBe("offer_sent");
    expect(JSON.parse(entry.response.body).error.code).toBe("CAMPAIGN_NOT_FOUND");
    expect(JSON.stringify(entry)).not.toContain(secret);
  });

  it("marks a bad signature as failed", async () => {
    const body = JSON.stringify(events.campaign_created.example);
    const headers = await createSigner(generateSecret()).headers(events.campaign_created.example.id, body);
    await fetch(`${mock.url}/webhooks/dttracker`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const [entry] = (await call(`${mock.origin}/__mock/events?status=401`)).body.events;
    expect(entry.request.signature).toBe("failed");
    expect(entry.code).toBe("UNAUTHORIZED");
  });

  it("?event=&status=&id=&limit= filter; a bad filter is a 400 naming it", async () => {
    const client = createDobbletapClient({ baseUrl: mock.url, secret, retry: once });
    const created = await client.campaignCreated(events.campaign_created.example.data);
    await client.offerSent({ offer: { ...events.offer_sent.example.data.offer, campaignId: crypto.randomUUID() } });
    const list = async (query: string) => (await call(`${mock.origin}/__mock/events?${query}`)).body.events.map((e: any) => `${e.status} ${e.event}`);
    expect(await list("event=offer_sent")).toEqual(["404 offer_sent"]);
    expect(await list("status=2xx")).toEqual(["200 campaign_created"]);
    expect(await list(`id=${created.eventId}`)).toEqual(["200 campaign_created"]);
    expect(await list("limit=1")).toEqual(["404 offer_sent"]);
    const bad = await call(`${mock.origin}/__mock/events?status=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/status=nope/);
  });

  it("an accept is logged as an out delivery to DTTracker, one entry per attempt", async () => {
    await createDobbletapClient({ baseUrl: mock.url, secret, retry: once }).offerSent(events.offer_sent.example.data);
    const accepted = await call(`${mock.origin}/__mock/offers/${events.offer_sent.example.data.offer.id}/accept`, "POST");
    expect(accepted.status).toBe(200);
    const [out] = (await call(`${mock.origin}/__mock/events?direction=out`)).body.events;
    expect(out).toMatchObject({ direction: "out", event: "offer_accepted", status: 200, path: `${dttracker.url}/dobbletap-webhooks` });
    expect(out.request.headers["webhook-signature"]).toBe("(not checked)");
  });
});

describe("GET /__mock/events/stream", () => {
  it("sends the kept deliveries, then each new one as it happens", async () => {
    const client = createDobbletapClient({ baseUrl: mock.url, secret, retry: once });
    await client.campaignCreated(events.campaign_created.example.data);
    const controller = new AbortController();
    const response = await fetch(`${mock.origin}/__mock/events/stream`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    const until = async (pattern: RegExp) => {
      const deadline = Date.now() + 5_000;
      while (!pattern.test(seen)) {
        if (Date.now() > deadline) throw new Error(`stream never showed ${pattern}: ${seen}`);
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        seen += value;
      }
    };
    try {
      await until(/event: delivery\ndata: \{[^\n]*"event":"campaign_created"/);
      await client.offerSent(events.offer_sent.example.data);
      await until(/"event":"offer_sent"/);
      await call(`${mock.origin}/__mock/reset`, "POST");
      await until(/event: clear/);
    } finally {
      controller.abort();
    }
  });
});

describe("POST /__mock/events/{seq}/replay", () => {
  it("same id → the duplicate answer; newId → a new delivery id; unknown seq → 404", async () => {
    const client = createDobbletapClient({ baseUrl: mock.url, secret, retry: once });
    const created = await client.campaignCreated(events.campaign_created.example.data);
    const [entry] = (await call(`${mock.origin}/__mock/events`)).body.events;
    const same = await call(`${mock.origin}/__mock/events/${entry.seq}/replay`, "POST");
    expect(same.body).toMatchObject({ id: created.eventId, status: 200, body: { success: true, duplicate: true } });
    const fresh = await call(`${mock.origin}/__mock/events/${entry.seq}/replay`, "POST", { newId: true });
    expect(fresh.body.id).not.toBe(created.eventId);
    expect(fresh.body.body.eventId).toBe(fresh.body.id);
    expect((await call(`${mock.origin}/__mock/events`)).body.events).toHaveLength(3);
    expect((await call(`${mock.origin}/__mock/events/999999/replay`, "POST")).status).toBe(404);
  });
});
