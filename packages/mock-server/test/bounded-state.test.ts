// The mock's state stays bounded and readable at any size, over HTTP as a user meets it: GET
// /__mock/state a page at a time (the first page of a small state is the whole seed, as before),
// --max-offers / MOCK_MAX_OFFERS forgetting the oldest finished offers, counted in GET /__mock.
import { events } from "@dttracker-dobbletap/contracts";
import { startMockServer, type RunningMockServer } from "@dttracker-dobbletap/mock-server";
import { createDobbletapClient, generateSecret } from "@dttracker-dobbletap/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, runCli, spawnMock } from "./spawn.js";

const secret = generateSecret();
const offer = events.offer_sent.example.data.offer;
const once = { attempts: 1, initialDelayMs: 10, maxDelayMs: 10, totalTimeoutMs: 5_000 };
let mock: RunningMockServer;

beforeAll(async () => {
  mock = await startMockServer({ as: "dobbletap", secret });
});
afterAll(() => mock?.close());

const fill = (count: number) => Array.from({ length: count }, () => mock.state.putOffer({ ...offer, id: crypto.randomUUID() }).id);

describe("GET /__mock/state", () => {
  it("a state within one page answers the whole seed with no next, as it always did", async () => {
    mock.state.load({ ...mock.state.snapshot(), offers: [] });
    fill(3);
    const { status, body } = await call(`${mock.origin}/__mock/state`);
    expect(status).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(mock.state.snapshot())));
    expect(body).not.toHaveProperty("next");
  });

  it("2 500 offers: 1 000 records a page by default, and following next lists each record once", async () => {
    mock.state.load({ ...mock.state.snapshot(), offers: [] });
    const ids = fill(2_500);
    const first = await call(`${mock.origin}/__mock/state`);
    expect(first.body.brands.length + first.body.campaigns.length + first.body.creators.length + first.body.offers.length).toBe(1_000);
    expect(first.body.next).toMatch(/^offers\.\d+$/);
    const seen: string[] = [];
    let page = first.body;
    for (;;) {
      seen.push(...page.offers.map((o: { id: string }) => o.id));
      if (page.next === undefined) break;
      page = (await call(`${mock.origin}/__mock/state?limit=700&cursor=${encodeURIComponent(page.next)}`)).body;
      expect(page.offers.length).toBeLessThanOrEqual(700);
    }
    expect(seen).toEqual(ids);
  });

  it("stays fast and small at 100 000 offers: the last page too", async () => {
    mock.state.load({ ...mock.state.snapshot(), offers: [] });
    fill(100_000);
    const near = mock.state.page(99_990).next!;
    const started = performance.now();
    const response = await fetch(`${mock.origin}/__mock/state?cursor=${near.kind}.${near.after}`);
    const text = await response.text();
    const ms = performance.now() - started;
    expect(response.status).toBe(200);
    expect(JSON.parse(text).offers).toHaveLength(13);
    expect(text.length).toBeLessThan(1_000_000);
    // Generous for a loaded machine; the whole state took about 2 s at 268 000 offers.
    expect(ms).toBeLessThan(250);
    mock.state.load({ ...mock.state.snapshot(), offers: [] });
  });

  it("a bad limit or cursor is a 400 that says what to pass", async () => {
    for (const [query, message] of [
      ["limit=0", /limit=0: give a whole number from 1 to 10000/],
      ["limit=abc", /limit=abc/],
      ["limit=10001", /from 1 to 10000/],
      ["cursor=offers.x", /pass the "next" of the page before, unchanged/],
      ["cursor=users.3", /not a cursor of this route/],
    ] as const) {
      const { status, body } = await call(`${mock.origin}/__mock/state?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.message).toMatch(message);
    }
  });
});

describe("the bound on offers", () => {
  it("startMockServer({ maxOffers }) keeps that many, forgetting the oldest first, and GET /__mock counts them", async () => {
    const small = await startMockServer({ as: "dobbletap", secret, maxOffers: 3 });
    try {
      const client = createDobbletapClient({ baseUrl: small.url, secret, retry: once });
      const ids: string[] = [];
      for (let n = 0; n < 5; n++) {
        const sent = await client.offerSent({ offer: { ...offer, id: crypto.randomUUID() } });
        expect(sent.success).toBe(true);
        ids.push(sent.result?.id ?? "");
      }
      const { body } = await call(`${small.origin}/__mock`);
      expect(body).toMatchObject({ maxOffers: 3, evicted: { offers: 2 }, state: { offers: 3, campaigns: 1, creators: 1 } });
      expect([...small.state.offers.values()].map((o) => o.recordId)).toEqual(ids.slice(2));
      // A reset starts the count again.
      await call(`${small.origin}/__mock/reset`, "POST", {});
      expect((await call(`${small.origin}/__mock`)).body.evicted).toEqual({ offers: 0 });
    } finally {
      await small.close();
    }
  });

  it("the server's default bound is 100 000", async () => {
    expect((await call(`${mock.origin}/__mock`)).body.maxOffers).toBe(100_000);
  });

  it("--max-offers and MOCK_MAX_OFFERS set it in the CLI; a bad value stops the start with exit 2", async () => {
    const flagged = await spawnMock(["--max-offers", "7"], { WEBHOOK_SECRET: secret, MOCK_MAX_OFFERS: "9" });
    const fromEnv = await spawnMock([], { WEBHOOK_SECRET: secret, MOCK_MAX_OFFERS: "9" });
    try {
      expect((await call(`${flagged.origin}/__mock`)).body.maxOffers).toBe(7);
      expect((await call(`${fromEnv.origin}/__mock`)).body.maxOffers).toBe(9);
      expect(fromEnv.output()).toMatch(/at most 9 offers kept/);
    } finally {
      await Promise.all([flagged.stop(), fromEnv.stop()]);
    }
    const badFlag = await runCli(["--max-offers", "0", "--port", "0"], { WEBHOOK_SECRET: secret });
    expect(badFlag.code).toBe(2);
    expect(badFlag.output).toMatch(/--max-offers.*at least 1/);
    const badEnv = await runCli(["--port", "0"], { WEBHOOK_SECRET: secret, MOCK_MAX_OFFERS: "lots" });
    expect(badEnv.code).toBe(2);
    expect(badEnv.output).toMatch(/MOCK_MAX_OFFERS=lots: must be a whole number of offers/);
  });
});
