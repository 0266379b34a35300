// Bad input never crashes the mock, and accepted events are never lost under concurrency. One
// spawned mock takes a few thousand generated malformed, oversized and random requests (plus raw
// garbage on the socket), then must still answer a valid delivery; then 50 concurrent connections
// deliver distinct offers and every one of them shows up in GET /__mock/events and in the state.
import { connect } from "node:net";
import { events } from "@dttracker-dobbletap/contracts";
import { createSigner, generateSecret } from "@dttracker-dobbletap/sdk";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, spawnMock, type SpawnedMock } from "./spawn.js";

const secret = generateSecret();
const signer = createSigner(secret);
let mock: SpawnedMock;
let webhook: string;

beforeAll(async () => {
  mock = await spawnMock(["--as", "dobbletap", "--quiet"], { WEBHOOK_SECRET: secret });
  webhook = `${mock.origin}/functions/v1/make-server-8061e72e/webhooks/dttracker`;
});
afterAll(async () => {
  expect(await mock.stop()).toBe(0);
});

/** Runs `tasks` with at most `width` in flight. */
async function pool<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

const request = fc.record({
  path: fc.constantFrom("/functions/v1/make-server-8061e72e/webhooks/dttracker", "/", "/nope", "/__mock/state", "/functions/v1/x%00"),
  method: fc.constantFrom("POST", "POST", "POST", "GET", "PUT", "DELETE"),
  contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "", "application/jsonx"),
  body: fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    fc.constantFrom('{"id":1', "\u0000\u0001", "[]", "null", '{"event":"offer_sent"}'),
    fc
      .record({ id: fc.uuid(), event: fc.constantFrom(...Object.keys(events), "x"), occurredAt: fc.string(), data: fc.jsonValue({ maxDepth: 3 }) })
      .map((value) => JSON.stringify(value)),
  ),
  // Signed with the right secret: the garbage must then get past the signature to the parser.
  signed: fc.boolean(),
  header: fc.constantFrom<Record<string, string>>({}, { "webhook-signature": "v1,AAAA" }, { "webhook-timestamp": "-1", "webhook-id": "x" }),
});

describe("mock-server under bad input", () => {
  it("answers thousands of malformed, oversized and random requests without crashing, then a valid one succeeds", async () => {
    const samples = fc.sample(request, { numRuns: 2_000, seed: 42 });
    const statuses = new Map<number, number>();
    await pool(samples, 50, async (sample) => {
      const headers: Record<string, string> = { ...sample.header };
      if (sample.contentType) headers["content-type"] = sample.contentType;
      if (sample.signed) Object.assign(headers, await signer.headers(crypto.randomUUID(), sample.body));
      const response = await fetch(mock.origin + sample.path, {
        method: sample.method,
        headers,
        body: sample.method === "GET" ? undefined : sample.body,
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    });
    expect([...statuses.keys()].every((status) => status >= 200 && status < 500)).toBe(true);

    // Oversized bodies, declared and chunked.
    const big = "x".repeat(300 * 1024);
    for (const body of [big, new Blob([big]).stream()]) {
      const response = await fetch(webhook, { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
      expect(response.status).toBe(413);
    }

    // Raw garbage on the socket: not even HTTP.
    await pool(
      Array.from({ length: 100 }, (_, index) => index),
      10,
      async (index) => {
        const { port } = new URL(mock.origin);
        await new Promise<void>((resolve) => {
          const socket = connect(Number(port), "127.0.0.1", () => socket.end(Buffer.from(`\u0000GARBAGE ${index} \r\n\r\n${"\uffff".repeat(index)}`)));
          socket.on("error", () => resolve());
          socket.on("close", () => resolve());
          socket.resume();
        });
      },
    );

    const body = JSON.stringify({ ...events.campaign_created.example, id: crypto.randomUUID() });
    const valid = await fetch(webhook, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await signer.headers(JSON.parse(body).id, body)) },
      body,
    });
    expect(valid.status).toBe(200);
    expect(((await valid.json()) as { success: boolean }).success).toBe(true);
  });
});

describe("mock-server under 50 concurrent connections", () => {
  it("loses no accepted event: GET /__mock/events counts every one sent", async () => {
    await call(`${mock.origin}/__mock/reset`, "POST");
    const offers = Array.from({ length: 500 }, () => ({
      ...events.offer_sent.example,
      id: crypto.randomUUID(),
      data: { offer: { ...events.offer_sent.example.data.offer, id: crypto.randomUUID() } },
    }));
    let ok = 0;
    await pool(offers, 50, async (envelope) => {
      const body = JSON.stringify(envelope);
      const response = await fetch(webhook, {
        method: "POST",
        headers: { "content-type": "application/json", ...(await signer.headers(envelope.id, body)) },
        body,
      });
      if (response.status === 200) ok++;
      await response.arrayBuffer();
    });
    expect(ok).toBe(offers.length);
    const received = (await call(`${mock.origin}/__mock/events`)).body;
    expect(received.total).toBe(offers.length);
    expect(received.events.filter((event: { status: number }) => event.status === 200)).toHaveLength(offers.length);
    expect((await call(`${mock.origin}/__mock/state`)).body.offers).toHaveLength(offers.length);
  });
});
