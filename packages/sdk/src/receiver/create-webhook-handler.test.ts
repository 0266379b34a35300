// The receiver's contract, pinned request by request: each check of createWebhookHandler in its
// order, every status and error code of the contract, idempotency, and that no secret leaks.
// Fixtures are the contract's own examples (events[name].example); secrets come from generateSecret().
import {
  errorCodeList,
  errorCodes,
  eventNames,
  events,
  eventsAt,
  MAX_BODY_BYTES,
  type EndpointId,
  type ErrorCode,
  type EventName,
  type EventResult,
} from "@dttracker-dobbletap/contracts";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ContractError, type InvalidAnswerError, isInvalidAnswerError } from "../errors/index.js";
import { createSigner, generateSecret } from "../signing/index.js";
import { createWebhookHandler, duplicateResult, type RequestOutcome, type WebhookHandlerOptions, type WebhookHandlers } from "./create-webhook-handler.js";
import type { Claim, DedupStore, StoredAnswer } from "./dedup-store.js";
import { legacyDigestOf } from "./digest.js";
import { createMemoryDedupStore } from "./memory-dedup-store.js";

const nowMs = Date.UTC(2026, 1, 8, 10, 15);
const secret = generateSecret();
const URL_ = "http://127.0.0.1/webhooks/dttracker";
const encoder = new TextEncoder();

const example = <E extends EventName>(name: E) => structuredClone(events[name].example) as (typeof events)[E]["example"];
const offerBody = () => JSON.stringify(example("offer_sent"));
const offer = events.offer_sent.example.data.offer;

/** A valid result for each event, for handlers that succeed: the contract's example results. */
const results = Object.fromEntries(eventNames.map((name) => [name, events[name].exampleResult])) as {
  [K in EventName]: EventResult<K>;
};

interface SignOptions {
  id?: string;
  secrets?: string | string[];
  at?: number;
  headers?: Record<string, string>;
  method?: string;
}

/** A request signed like a real sender's: Standard Webhooks headers over the exact body bytes. */
async function signed(body: string | Uint8Array, options: SignOptions = {}): Promise<Request> {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const id = options.id ?? (JSON.parse(new TextDecoder().decode(bytes)) as { id: string }).id;
  const headers = await createSigner(options.secrets ?? secret).headers(id, bytes, options.at ?? nowMs);
  return new Request(URL_, {
    method: options.method ?? "POST",
    headers: { "content-type": "application/json", ...headers, ...options.headers },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
}

/** The offer_sent example re-identified, so each delivery is a new event. */
function offerWithId(id: string): string {
  return JSON.stringify({ ...example("offer_sent"), id });
}

/**
 * A receiver for the endpoint of the handlers given; its other events get handlers that succeed
 * (`endpoint` requires exactly that endpoint's handlers).
 */
function receiver(handlers: Partial<WebhookHandlers<EventName>>, options: Partial<Omit<WebhookHandlerOptions<EndpointId>, "handlers">> = {}) {
  const first = Object.keys(handlers)[0] as EventName;
  const endpoint = options.endpoint ?? events[first].endpoint;
  const all = Object.fromEntries(eventsAt(endpoint).map((name) => [name, handlers[name] ?? (() => results[name])]));
  return createWebhookHandler({ secrets: secret, now: () => nowMs, onError: () => {}, ...options, endpoint, handlers: all as never });
}

/** Succeeding handlers for dobbletap.webhooks' events other than offer_sent. */
const otherDobbletapHandlers = {
  campaign_created: () => results.campaign_created,
  activation_updated: () => results.activation_updated,
  activation_cancelled: () => results.activation_cancelled,
};

const dobbletap = () =>
  receiver({
    campaign_created: () => results.campaign_created,
    activation_updated: () => results.activation_updated,
    activation_cancelled: () => results.activation_cancelled,
    offer_sent: vi.fn(async () => results.offer_sent),
  });

async function answer(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function expectError(response: Response, code: ErrorCode, status: number = errorCodes[code].status) {
  const { body } = await answer(response);
  expect({ status: response.status, code: body.error?.code, success: body.success }).toEqual({ status, code, success: false });
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(body.error.message).toEqual(expect.any(String));
  return body.error as { code: string; message: string; issues?: { path: string; message: string }[] };
}

/** A body stream that counts what was pulled from it, to prove a body was not read whole. */
function countingStream(chunk: number, chunks = Number.POSITIVE_INFINITY) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= chunk * chunks) return controller.close();
      state.pulled += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(0x20));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

function streamed(stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Request(URL_, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: stream,
    duplex: "half",
  } as RequestInit);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createWebhookHandler(...) success", () => {
  it("createWebhookHandler(...) answers 200 { success, eventId, result } for a signed offer_sent and passes the typed event", async () => {
    const offerSent = vi.fn(async () => results.offer_sent);
    const handle = receiver({ offer_sent: offerSent });
    const request = await signed(offerBody());
    const { status, body } = await answer(await handle(request));
    expect(status).toBe(200);
    expect(body).toEqual({ success: true, eventId: events.offer_sent.example.id, result: results.offer_sent });
    expect(offerSent).toHaveBeenCalledTimes(1);
    expect(offerSent).toHaveBeenCalledWith(events.offer_sent.example, expect.objectContaining({ deliveryId: events.offer_sent.example.id }));
  });

  it("createWebhookHandler(...) gives handlers context.request: the request's method, URL, headers and signal, with the verified bytes as its body", async () => {
    const seen: Array<{ method: string; url: string; signature: string | null; body: string; aborted: boolean }> = [];
    const handle = receiver({
      offer_sent: async (_event, { request }) => {
        seen.push({
          method: request.method,
          url: request.url,
          signature: request.headers.get("webhook-signature"),
          body: await request.text(),
          aborted: request.signal.aborted,
        });
        return results.offer_sent;
      },
    });
    const controller = new AbortController();
    const request = await signed(offerBody());
    const sent = new Request(request, { signal: controller.signal });
    expect((await handle(sent)).status).toBe(200);
    expect(seen).toEqual([{ method: "POST", url: URL_, signature: request.headers.get("webhook-signature"), body: offerBody(), aborted: false }]);
  });

  it.each(eventNames)("createWebhookHandler({ handlers: { %s } }) accepts the contract's example", async (name) => {
    const handle = receiver({ [name]: () => results[name] } as unknown as WebhookHandlers<typeof name>);
    const { status, body } = await answer(await handle(await signed(JSON.stringify(example(name)))));
    expect(status).toBe(200);
    expect(body).toEqual({ success: true, eventId: events[name].example.id, result: results[name] });
  });

  it("createWebhookHandler(...) accepts charset=utf-8 and other media-type parameters", async () => {
    for (const contentType of ["application/json; charset=utf-8", 'Application/JSON; Charset="UTF-8"', "application/json;v=1"]) {
      const response = await dobbletap()(await signed(offerBody(), { headers: { "content-type": contentType } }));
      expect(response.status, contentType).toBe(200);
    }
  });

  it("createWebhookHandler(...) accepts a body of exactly maxBodyBytes", async () => {
    const json = offerBody();
    const body = json + " ".repeat(MAX_BODY_BYTES - encoder.encode(json).length);
    expect(encoder.encode(body).length).toBe(MAX_BODY_BYTES);
    expect((await dobbletap()(await signed(body))).status).toBe(200);
  });

  it("createWebhookHandler(...) accepts a request signed by the standardwebhooks package", async () => {
    // The reference checks its own clock: sign at the real now and let our receiver use it too.
    const body = offerBody();
    const id = events.offer_sent.example.id;
    const date = new Date();
    const handle = receiver({ offer_sent: () => results.offer_sent }, { now: Date.now });
    const request = new Request(URL_, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(date.getTime() / 1000)),
        "webhook-signature": new Webhook(secret).sign(id, date, body),
      },
      body,
    });
    expect((await handle(request)).status).toBe(200);
  });

  it("createWebhookHandler({ secrets: [new, old] }) accepts a signature by either secret (rotation)", async () => {
    const [current, previous, stranger] = [generateSecret(), generateSecret(), generateSecret()];
    const handle = receiver({ offer_sent: () => results.offer_sent }, { secrets: [current, previous] });
    expect((await handle(await signed(offerWithId(crypto.randomUUID()), { secrets: current }))).status).toBe(200);
    expect((await handle(await signed(offerWithId(crypto.randomUUID()), { secrets: previous }))).status).toBe(200);
    expect((await handle(await signed(offerWithId(crypto.randomUUID()), { secrets: [stranger, previous] }))).status).toBe(200);
    await expectError(await handle(await signed(offerWithId(crypto.randomUUID()), { secrets: stranger })), "UNAUTHORIZED");
  });

  it("createWebhookHandler({ backend: 'web' }) verifies with Web Crypto too", async () => {
    const handle = receiver({ offer_sent: () => results.offer_sent }, { backend: "web" });
    expect((await handle(await signed(offerBody()))).status).toBe(200);
  });
});

describe("createWebhookHandler(...) refuses, in the contract's order", () => {
  it("createWebhookHandler(...) answers 405 with Allow: POST to any other method", async () => {
    for (const method of ["GET", "PUT", "HEAD", "OPTIONS"]) {
      const response = await dobbletap()(new Request(URL_, { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      if (method !== "HEAD") {
        const error = await expectError(response, "METHOD_NOT_ALLOWED", 405);
        expect(error.message).toMatch(/Use POST/);
      }
    }
  });

  it("createWebhookHandler(...) answers 413 PAYLOAD_TOO_LARGE for a body over 256 KiB without reading it all", async () => {
    const json = offerBody();
    const over = json + " ".repeat(MAX_BODY_BYTES + 1 - encoder.encode(json).length);
    await expectError(await dobbletap()(await signed(over)), "PAYLOAD_TOO_LARGE");
  });

  it("createWebhookHandler(...) answers 413 from Content-Length alone, reading nothing", async () => {
    const { stream, state } = countingStream(64 * 1024);
    const response = await dobbletap()(streamed(stream, { "content-length": String(MAX_BODY_BYTES + 1) }));
    await expectError(response, "PAYLOAD_TOO_LARGE");
    // The stream may have pre-filled its own queue, but the receiver read nothing past it.
    expect(state.pulled).toBeLessThanOrEqual(64 * 1024);
  });

  it("createWebhookHandler(...) answers 413 for an endless body with no Content-Length, stopping at the cap", async () => {
    const { stream, state } = countingStream(16 * 1024);
    await expectError(await dobbletap()(streamed(stream)), "PAYLOAD_TOO_LARGE");
    expect(state.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 3 * 16 * 1024);
    expect(state.cancelled).toBe(true);
  });

  it("createWebhookHandler(...) answers 413 when Content-Length lies low", async () => {
    const { stream, state } = countingStream(16 * 1024);
    await expectError(await dobbletap()(streamed(stream, { "content-length": "100" })), "PAYLOAD_TOO_LARGE");
    expect(state.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 3 * 16 * 1024);
  });

  it("createWebhookHandler({ maxBodyBytes }) uses the configured limit", async () => {
    const handle = receiver({ offer_sent: () => results.offer_sent }, { maxBodyBytes: 100 });
    await expectError(await handle(await signed(offerBody())), "PAYLOAD_TOO_LARGE");
  });

  it.each([
    ["text/plain", "text/plain"],
    ["no header", undefined],
    ["another charset", "application/json; charset=iso-8859-1"],
    ["form data", "application/x-www-form-urlencoded"],
    ["a +json type", "application/vnd.api+json"],
  ])("createWebhookHandler(...) answers 415 UNSUPPORTED_MEDIA_TYPE for %s", async (_, contentType) => {
    const request = await signed(offerBody());
    const headers = new Headers(request.headers);
    if (contentType === undefined) headers.delete("content-type");
    else headers.set("content-type", contentType);
    await expectError(await dobbletap()(new Request(URL_, { method: "POST", headers, body: offerBody() })), "UNSUPPORTED_MEDIA_TYPE");
  });

  it("createWebhookHandler(...) answers 401 UNAUTHORIZED for missing signature headers, naming them", async () => {
    const request = new Request(URL_, { method: "POST", headers: { "content-type": "application/json" }, body: offerBody() });
    const error = await expectError(await dobbletap()(request), "UNAUTHORIZED");
    expect(error.message).toMatch(/Missing webhook-id, webhook-timestamp, webhook-signature/);
  });

  it("createWebhookHandler(...) answers 401 for a tampered body", async () => {
    const original = await signed(offerBody());
    const tampered = offerBody().replace("7500000", "9500000");
    const request = new Request(URL_, { method: "POST", headers: original.headers, body: tampered });
    const offerSent = vi.fn(() => results.offer_sent);
    const error = await expectError(await receiver({ offer_sent: offerSent })(request), "UNAUTHORIZED");
    expect(error.message).toMatch(/No webhook-signature matches/);
    expect(offerSent).not.toHaveBeenCalled();
  });

  it("createWebhookHandler(...) answers 401 for a signature by another secret", async () => {
    await expectError(await dobbletap()(await signed(offerBody(), { secrets: generateSecret() })), "UNAUTHORIZED");
  });

  it("createWebhookHandler(...) answers 401 for a timestamp more than 5 minutes old or ahead", async () => {
    const stale = await expectError(await dobbletap()(await signed(offerBody(), { at: nowMs - 301_000 })), "UNAUTHORIZED");
    expect(stale.message).toMatch(/301 s old/);
    const future = await expectError(await dobbletap()(await signed(offerBody(), { at: nowMs + 301_000 })), "UNAUTHORIZED");
    expect(future.message).toMatch(/in the future/);
    expect((await dobbletap()(await signed(offerBody(), { at: nowMs - 299_000 }))).status).toBe(200);
    expect((await dobbletap()(await signed(offerBody(), { at: nowMs + 299_000 }))).status).toBe(200);
  });

  it("createWebhookHandler({ toleranceSeconds }) uses the configured window", async () => {
    const handle = receiver({ offer_sent: () => results.offer_sent }, { toleranceSeconds: 10 });
    await expectError(await handle(await signed(offerBody(), { at: nowMs - 11_000 })), "UNAUTHORIZED");
  });

  it("createWebhookHandler(...) answers 400 MALFORMED_JSON for a signed body that is not JSON", async () => {
    const id = crypto.randomUUID();
    const error = await expectError(await dobbletap()(await signed('{"id": oops', { id })), "MALFORMED_JSON");
    expect(error.message).not.toContain("oops");
  });

  it("createWebhookHandler(...) answers 400 MALFORMED_JSON for a signed body that is not UTF-8", async () => {
    const bytes = new Uint8Array([...encoder.encode('{"id":"'), 0xff, 0xfe, ...encoder.encode('"}')]);
    const error = await expectError(await dobbletap()(await signed(bytes, { id: crypto.randomUUID() })), "MALFORMED_JSON");
    expect(error.message).toMatch(/UTF-8/);
  });

  it("createWebhookHandler(...) answers 422 VALIDATION_FAILED with one issue per problem, paths from the root", async () => {
    const body = example("offer_sent");
    (body.data.offer.amount as { amountMinor: number }).amountMinor = 750.5;
    (body.data.offer as { campaignId?: string }).campaignId = undefined;
    const offerSent = vi.fn(() => results.offer_sent);
    const error = await expectError(await receiver({ offer_sent: offerSent })(await signed(JSON.stringify(body))), "VALIDATION_FAILED");
    expect(error.issues?.map((issue) => issue.path).sort()).toEqual(["data.offer.amount.amountMinor", "data.offer.campaignId"]);
    expect(offerSent).not.toHaveBeenCalled();
  });

  it("createWebhookHandler(...) answers 422 VALIDATION_FAILED naming data.creators for a single creator object", async () => {
    const body = example("creators_synced");
    (body.data as { creators: unknown }).creators = body.data.creators[0];
    const handle = receiver({ creators_synced: () => results.creators_synced });
    const error = await expectError(await handle(await signed(JSON.stringify(body))), "VALIDATION_FAILED");
    expect(error.issues?.[0]?.path).toBe("data.creators");
  });

  it("createWebhookHandler(...) answers 422 UNKNOWN_EVENT for an event this endpoint has no handler for", async () => {
    const accepted = await expectError(await dobbletap()(await signed(JSON.stringify(example("offer_accepted")))), "UNKNOWN_EVENT");
    expect(accepted.message).toMatch(/campaign_created, activation_updated, activation_cancelled, offer_sent/);
    const invented = { ...example("offer_sent"), event: "offer_exploded" };
    await expectError(await dobbletap()(await signed(JSON.stringify(invented))), "UNKNOWN_EVENT");
  });

  it("createWebhookHandler(...) answers 422 VALIDATION_FAILED naming id when webhook-id differs from the envelope id", async () => {
    const offerSent = vi.fn(() => results.offer_sent);
    const request = await signed(offerBody(), { id: crypto.randomUUID() });
    const error = await expectError(await receiver({ offer_sent: offerSent })(request), "VALIDATION_FAILED");
    expect(error.issues).toEqual([{ path: "id", message: "must equal the webhook-id header" }]);
    expect(offerSent).not.toHaveBeenCalled();
  });

  it("createWebhookHandler(...) answers 400 MALFORMED_JSON when the body stream fails mid-way", async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("socket reset"));
      },
    });
    await expectError(await dobbletap()(streamed(stream)), "MALFORMED_JSON");
  });
});

describe("createWebhookHandler({ endpoint })", () => {
  it("throws at creation, naming what is missing, when the handlers do not cover the endpoint's events", () => {
    const create = () =>
      // A JavaScript caller, or one that casts: the types refuse this (create-webhook-handler.test-d.ts).
      createWebhookHandler({ secrets: secret, endpoint: "dttracker.webhooks", handlers: { offer_accepted: () => results.offer_accepted } as never });
    expect(create).toThrow(TypeError);
    expect(create).toThrow("The dttracker.webhooks endpoint takes exactly offer_accepted, offer_declined. Missing handlers: offer_declined.");
  });

  it("throws at creation for a handler of another endpoint's event", () => {
    const create = () =>
      createWebhookHandler({
        secrets: secret,
        endpoint: "dttracker.creator-sync",
        handlers: { creators_synced: () => results.creators_synced, offer_sent: () => results.offer_sent } as never,
      });
    expect(create).toThrow("Not events of this endpoint: offer_sent.");
  });

  it("throws at creation without an endpoint, naming the endpoints", () => {
    const create = () => createWebhookHandler({ secrets: secret, handlers: { offer_accepted: () => results.offer_accepted } } as never);
    expect(create).toThrow(TypeError);
    expect(create).toThrow(
      "createWebhookHandler needs endpoint, the contract endpoint it serves (one of dobbletap.webhooks, dttracker.creator-sync, dttracker.webhooks)",
    );
  });

  it("serves an endpoint whose events all have handlers", async () => {
    const handle = createWebhookHandler({
      secrets: secret,
      now: () => nowMs,
      endpoint: "dttracker.webhooks",
      handlers: { offer_accepted: () => results.offer_accepted, offer_declined: () => results.offer_declined },
    });
    expect((await handle(await signed(JSON.stringify(example("offer_declined"))))).status).toBe(200);
  });
});

describe("createWebhookHandler(...) idempotency", () => {
  it("createWebhookHandler(...) answers 409 INVALID_STATE when a succeeded id comes back with other data", async () => {
    const offerSent = vi.fn(() => results.offer_sent);
    const handle = receiver({ offer_sent: offerSent });
    expect((await handle(await signed(offerBody()))).status).toBe(200);
    const other = example("offer_sent");
    other.data.offer.amount.amountMinor = 9_900_000;
    const reused = await answer(await handle(await signed(JSON.stringify(other))));
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe("INVALID_STATE");
    expect(reused.body.error.message).toMatch(/already used for a offer_sent event with other data/);
    // The same data under the same id, even with another occurredAt, is still a retry.
    const again = { ...example("offer_sent"), occurredAt: "2026-02-08T10:16:00.000Z" };
    expect((await answer(await handle(await signed(JSON.stringify(again))))).body.duplicate).toBe(true);
    expect(offerSent).toHaveBeenCalledTimes(1);
  });

  it("createWebhookHandler(...) answers a replayed id with the first answer and duplicate: true, calling the handler once", async () => {
    const offerSent = vi.fn(async () => results.offer_sent);
    const handle = receiver({ offer_sent: offerSent });
    const first = await answer(await handle(await signed(offerBody())));
    // A retry is re-signed with a fresh timestamp, as senders do.
    const again = await answer(await handle(await signed(offerBody(), { at: nowMs + 60_000 })));
    expect(first.body.duplicate).toBeUndefined();
    expect(again).toEqual({ status: 200, body: { ...first.body, duplicate: true } });
    expect(offerSent).toHaveBeenCalledTimes(1);
  });

  it("createWebhookHandler(...) does not remember a failure: a 404 then a success with the same id", async () => {
    let campaignKnown = false;
    const offerSent = vi.fn(async () => {
      if (!campaignKnown) throw new ContractError("CAMPAIGN_NOT_FOUND", `Campaign ${offer.campaignId} is not known here.`);
      return results.offer_sent;
    });
    const handle = receiver({ offer_sent: offerSent });
    await expectError(await handle(await signed(offerBody())), "CAMPAIGN_NOT_FOUND");
    campaignKnown = true;
    const { status, body } = await answer(await handle(await signed(offerBody())));
    expect([status, body.duplicate]).toEqual([200, undefined]);
    expect(offerSent).toHaveBeenCalledTimes(2);
  });

  it("createWebhookHandler(...) coalesces concurrent deliveries of one id: the handler never runs twice at once", async () => {
    let running = 0;
    let maxRunning = 0;
    const offerSent = vi.fn(async () => {
      maxRunning = Math.max(maxRunning, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return results.offer_sent;
    });
    const handle = receiver({ offer_sent: offerSent });
    const answers = await Promise.all([1, 2, 3].map(async () => answer(await handle(await signed(offerBody())))));
    expect(offerSent).toHaveBeenCalledTimes(1);
    expect(maxRunning).toBe(1);
    expect(answers.map((each) => each.status)).toEqual([200, 200, 200]);
    expect(answers.filter((each) => each.body.duplicate === true)).toHaveLength(2);
  });

  it("createWebhookHandler(...) runs the handler again for a concurrent retry after the first attempt failed", async () => {
    let calls = 0;
    const offerSent = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (++calls === 1) throw new ContractError("CAMPAIGN_NOT_FOUND", "not yet");
      return results.offer_sent;
    });
    const handle = receiver({ offer_sent: offerSent });
    const [first, second] = await Promise.all([handle(await signed(offerBody())), handle(await signed(offerBody()))]);
    expect([first!.status, second!.status]).toEqual([404, 200]);
    expect(offerSent).toHaveBeenCalledTimes(2);
  });

  it("createWebhookHandler(...) answers duplicateResult(...) with 200 and duplicate: true", async () => {
    const handle = receiver({ offer_sent: () => duplicateResult(results.offer_sent) });
    const { status, body } = await answer(await handle(await signed(offerBody())));
    expect([status, body]).toEqual([200, { success: true, eventId: events.offer_sent.example.id, result: results.offer_sent, duplicate: true }]);
  });

  it("createWebhookHandler(...) recognises a duplicate result marked by another copy of the SDK", async () => {
    const foreign = { [Symbol.for("@dttracker-dobbletap/sdk/duplicate-result")]: true, result: results.offer_sent };
    const handle = receiver({ offer_sent: () => foreign as never });
    expect((await answer(await handle(await signed(offerBody())))).body.duplicate).toBe(true);
  });

  it("createWebhookHandler(...) answers 409 INVALID_STATE when a processed id comes back as another event", async () => {
    const store = createMemoryDedupStore({ now: () => nowMs });
    const handle = receiver({ offer_sent: () => results.offer_sent, activation_cancelled: vi.fn(() => results.activation_cancelled) }, { dedupStore: store });
    expect((await handle(await signed(offerBody()))).status).toBe(200);
    const cancel = { ...example("activation_cancelled"), id: events.offer_sent.example.id };
    await expectError(await handle(await signed(JSON.stringify(cancel))), "INVALID_STATE");
  });

  it("createWebhookHandler({ dedupStore }) uses the store's claim/complete/release, and answers 500 when the claim fails", async () => {
    const seen = new Map<string, StoredAnswer>();
    const released: string[] = [];
    const store: DedupStore = {
      transactional: false,
      claim: async (id): Promise<Claim> => {
        const found = seen.get(id);
        if (found) return { status: "done", answer: found };
        return {
          status: "claimed",
          lease: { tx: undefined, complete: async (stored) => void seen.set(id, stored), release: async () => void released.push(id) },
        };
      },
    };
    let fail = false;
    const handle = receiver(
      {
        offer_sent: () => {
          if (fail) throw new ContractError("CAMPAIGN_NOT_FOUND", "not yet");
          return results.offer_sent;
        },
      },
      { dedupStore: store },
    );
    expect((await handle(await signed(offerBody()))).status).toBe(200);
    expect(seen.get(events.offer_sent.example.id)).toEqual({
      event: "offer_sent",
      body: { success: true, eventId: events.offer_sent.example.id, result: results.offer_sent },
      digest: expect.stringMatching(/^sha256:[A-Za-z0-9_-]{43}$/),
    });
    expect((await answer(await handle(await signed(offerBody())))).body.duplicate).toBe(true);
    fail = true;
    await expectError(await handle(await signed(offerWithId(crypto.randomUUID()))), "CAMPAIGN_NOT_FOUND");
    expect(released).toHaveLength(1);

    const onError = vi.fn();
    const broken = receiver(
      { offer_sent: () => results.offer_sent },
      { onError, dedupStore: { transactional: false, claim: () => Promise.reject(new Error("store down")) } },
    );
    await expectError(await broken(await signed(offerBody())), "INTERNAL");
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it("createWebhookHandler({ dedupStore }) replays an answer stored by an earlier release (its digest format) for the same data, and 409s other data", async () => {
    const stored = (data: unknown): StoredAnswer => ({
      event: "offer_sent",
      body: { success: true, eventId: events.offer_sent.example.id, result: results.offer_sent },
      digest: legacyDigestOf(data),
    });
    const remembered = (answer: StoredAnswer): DedupStore => ({ transactional: false, claim: async () => ({ status: "done", answer }) });
    const offerSent = vi.fn(() => results.offer_sent);
    const same = receiver({ offer_sent: offerSent }, { dedupStore: remembered(stored(example("offer_sent").data)) });
    const replayed = await answer(await same(await signed(offerBody())));
    expect(replayed).toEqual({ status: 200, body: { success: true, eventId: events.offer_sent.example.id, result: results.offer_sent, duplicate: true } });
    const changed = { ...example("offer_sent").data, offer: { ...offer, amount: { ...offer.amount, amountMinor: 1 } } };
    const reused = receiver({ offer_sent: offerSent }, { dedupStore: remembered(stored(changed)) });
    await expectError(await reused(await signed(offerBody())), "INVALID_STATE");
    expect(offerSent).not.toHaveBeenCalled();
  });

  it("createWebhookHandler({ dedupStore }) refuses a v0 get/set store: it cannot stop concurrent copies", () => {
    expect(() => receiver({ offer_sent: () => results.offer_sent }, { dedupStore: { get: () => undefined, set: () => {} } as never })).toThrow(/claim/);
  });

  it("createWebhookHandler({ dedupStore }) still answers 200 when remembering fails (not transactional), and reports it", async () => {
    const onError = vi.fn();
    const store: DedupStore = {
      transactional: false,
      claim: async () => ({
        status: "claimed",
        lease: { tx: undefined, complete: () => Promise.reject(new Error("store down")), release: async () => {} },
      }),
    };
    const handle = receiver({ offer_sent: () => results.offer_sent }, { onError, dedupStore: store });
    expect((await handle(await signed(offerBody()))).status).toBe(200);
    expect(onError).toHaveBeenCalledWith(expect.any(Error), { event: "offer_sent", id: events.offer_sent.example.id });
  });

  it("createWebhookHandler(...) answers a copy that waited past duplicateWaitMs with 500 INTERNAL and Retry-After, running nothing", async () => {
    let release!: () => void;
    const offerSent = vi.fn(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return results.offer_sent;
    });
    const handle = receiver({ offer_sent: offerSent }, { duplicateWaitMs: 30 });
    const first = handle(await signed(offerBody()));
    const copy = await handle(await signed(offerBody()));
    expect(copy.status).toBe(500);
    expect(copy.headers.get("retry-after")).toBe("1");
    expect((await copy.json()).error.message).toMatch(/still being processed/);
    release();
    expect((await first).status).toBe(200);
    expect(offerSent).toHaveBeenCalledTimes(1);
  });

  it("createWebhookHandler({ handlerTimeoutMs }) answers a handler that never finishes with 500 INTERNAL and releases the id", async () => {
    const onError = vi.fn();
    let hang = true;
    const offerSent = vi.fn(() => (hang ? new Promise<never>(() => {}) : results.offer_sent));
    const handle = receiver({ offer_sent: offerSent }, { handlerTimeoutMs: 50, onError });
    const started = performance.now();
    await expectError(await handle(await signed(offerBody())), "INTERNAL");
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(onError.mock.calls[0]![0].message).toMatch(/did not finish within handlerTimeoutMs \(50 ms\)/);
    hang = false;
    const retry = await answer(await handle(await signed(offerBody())));
    expect([retry.status, retry.body.duplicate]).toEqual([200, undefined]);
    expect(offerSent).toHaveBeenCalledTimes(2);
  });

  it("createWebhookHandler(...) defaults the handler bound well under Supabase's 150 s", async () => {
    const { DEFAULT_HANDLER_TIMEOUT_MS } = await import("./exactly-once.js");
    expect(DEFAULT_HANDLER_TIMEOUT_MS).toBeLessThanOrEqual(60_000);
  });

  it("createWebhookHandler({ transactional: true }) refuses a store without transactions, and bad bounds", () => {
    const handlers = { offer_sent: () => results.offer_sent };
    expect(() => receiver(handlers, { transactional: true as never })).toThrow(/transactional: true needs a dedupStore/);
    expect(() => receiver(handlers, { handlerTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => receiver(handlers, { duplicateWaitMs: -1 })).toThrow(RangeError);
  });

  it("createWebhookHandler({ transactional: true }) gives handlers the lease's tx; a throw releases, a success completes", async () => {
    const tx = { name: "tx" };
    const calls: string[] = [];
    const store: DedupStore<typeof tx> & { transactional: true } = {
      transactional: true,
      claim: async () => ({
        status: "claimed",
        lease: { tx, complete: async () => void calls.push("complete"), release: async () => void calls.push("release") },
      }),
    };
    let seen: unknown;
    let fail = true;
    const handle = createWebhookHandler({
      secrets: secret,
      now: () => nowMs,
      dedupStore: store,
      transactional: true,
      endpoint: "dobbletap.webhooks",
      handlers: {
        ...otherDobbletapHandlers,
        offer_sent: (_event, context) => {
          seen = context.tx;
          if (fail) throw new Error("boom");
          return results.offer_sent;
        },
      },
      onError: () => {},
    });
    await expectError(await handle(await signed(offerBody())), "INTERNAL");
    fail = false;
    expect((await handle(await signed(offerBody()))).status).toBe(200);
    expect(seen).toBe(tx);
    expect(calls).toEqual(["release", "complete"]);
  });

  it("createWebhookHandler({ transactional: true }) answers 500 when the commit fails: the handler's writes are gone", async () => {
    const store: DedupStore<null> & { transactional: true } = {
      transactional: true,
      claim: async () => ({
        status: "claimed",
        lease: { tx: null, complete: () => Promise.reject(new Error("could not serialize")), release: async () => {} },
      }),
    };
    const handle = createWebhookHandler({
      secrets: secret,
      now: () => nowMs,
      dedupStore: store,
      transactional: true,
      endpoint: "dobbletap.webhooks",
      handlers: { ...otherDobbletapHandlers, offer_sent: () => results.offer_sent },
      onError: () => {},
    });
    await expectError(await handle(await signed(offerBody())), "INTERNAL");
  });

  it("createWebhookHandler(...) without transactional gives handlers no tx", async () => {
    let context: object | undefined;
    const handle = receiver({
      offer_sent: (_event, given) => {
        context = given;
        return results.offer_sent;
      },
    });
    await handle(await signed(offerBody()));
    expect(context).toBeDefined();
    expect("tx" in context!).toBe(false);
  });
});

describe("createWebhookHandler(...) handler outcomes", () => {
  it.each([
    ["CAMPAIGN_NOT_FOUND", 404],
    ["CREATOR_NOT_FOUND", 404],
    ["OFFER_NOT_FOUND", 404],
    ["INVALID_STATE", 409],
  ] as const)("createWebhookHandler(...) answers a thrown ContractError(%s) with status %i and its message", async (code, status) => {
    const handle = receiver({
      offer_sent: () => {
        throw new ContractError(code, `Refused with ${code}.`);
      },
    });
    const error = await expectError(await handle(await signed(offerBody())), code, status);
    expect(error.message).toBe(`Refused with ${code}.`);
  });

  it("createWebhookHandler(...) passes a ContractError's issues through", async () => {
    const issues = [{ path: "data.offer.deadline", message: "must be after the campaign starts" }];
    const handle = receiver({
      offer_sent: () => {
        throw new ContractError("VALIDATION_FAILED", "Deadline before the campaign.", { issues });
      },
    });
    expect((await expectError(await handle(await signed(offerBody())), "VALIDATION_FAILED")).issues).toEqual(issues);
  });

  it("createWebhookHandler(...) answers an unexpected throw with a 500 INTERNAL that reveals nothing, and reports it to onError", async () => {
    const thrown = new Error("connect ECONNREFUSED db.internal:5432 password=hunter2");
    const onError = vi.fn();
    const handle = receiver(
      {
        offer_sent: () => {
          throw thrown;
        },
      },
      { onError },
    );
    const response = await handle(await signed(offerBody()));
    const text = await response.clone().text();
    const error = await expectError(response, "INTERNAL");
    expect(error.message).toMatch(/Retry later with the same webhook-id/);
    expect(text).not.toMatch(/ECONNREFUSED|hunter2|db\.internal/);
    expect(onError).toHaveBeenCalledWith(thrown, { event: "offer_sent", id: events.offer_sent.example.id });
  });

  it("createWebhookHandler(...) logs an unexpected throw as one console.error line with the error's name only", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const handle = createWebhookHandler({
      secrets: secret,
      now: () => nowMs,
      endpoint: "dobbletap.webhooks",
      handlers: {
        ...otherDobbletapHandlers,
        offer_sent: () => {
          throw new TypeError("connect ECONNREFUSED postgres://app:pw@db.internal:5432/prod");
        },
      },
    });
    expect((await handle(await signed(offerBody()))).status).toBe(500);
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0]![0]);
    expect(line).toMatch(/offer_sent a7e3c9d1-5b2f-4e8a-9c6d-3f1b7e5a9c2d failed with 500 INTERNAL \(TypeError\)/);
    // A thrown message can quote credentials: the default log carries the error's name only.
    expect(line).not.toContain("postgres://");
    expect(line).not.toContain("\n");
  });

  it("createWebhookHandler(...) answers with the contract's status for a ContractError, whatever status it carries", async () => {
    const handle = receiver({
      offer_sent: () => {
        // e.g. a handler rethrowing a remote error: its status is the other side's, or wrong.
        throw new ContractError("CAMPAIGN_NOT_FOUND", "Send campaign_created first.", { status: 200 });
      },
    });
    const answered = await answer(await handle(await signed(offerBody())));
    expect(answered.status).toBe(404);
    expect(answered.body.error.code).toBe("CAMPAIGN_NOT_FOUND");
  });

  it("createWebhookHandler(...) answers 500 INTERNAL when a creators_synced result does not map every creator sent", async () => {
    const onError = vi.fn();
    const handle = receiver({ creators_synced: () => ({ synced: [], failed: [] }) }, { onError });
    const response = await handle(await signed(JSON.stringify(example("creators_synced"))));
    expect(response.status).toBe(500);
    expect(String(onError.mock.calls[0]?.[0])).toMatch(/maps no outcome for creator 29f99241-53d1-4f78-b9b0-2169f4a15a49/);
  });

  it("createWebhookHandler(...) answers 500 INTERNAL, not 200, when the handler's result breaks the contract", async () => {
    const onError = vi.fn();
    const offerSent = vi.fn(() => ({ type: "offer", id: "not-a-uuid", status: "ok" }) as never);
    const handle = receiver({ offer_sent: offerSent }, { onError });
    await expectError(await handle(await signed(offerBody())), "INTERNAL");
    const [error] = onError.mock.calls[0]!;
    expect(isInvalidAnswerError(error)).toBe(true);
    expect((error as InvalidAnswerError).event).toBe("offer_sent");
    expect((error as InvalidAnswerError).issues.map((issue) => issue.path).sort()).toEqual(["result.id", "result.status"]);
    // Not remembered: the retry runs the (fixed) handler again.
    await expectError(await handle(await signed(offerBody())), "INTERNAL");
    expect(offerSent).toHaveBeenCalledTimes(2);
  });

  it("createWebhookHandler(...)'s default log names each field of a result that breaks the contract and what it expected", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const handle = createWebhookHandler({
      secrets: secret,
      now: () => nowMs,
      endpoint: "dobbletap.webhooks",
      handlers: { ...otherDobbletapHandlers, offer_sent: () => ({ type: "offer", id: offer.id, status: "accepted" }) as never },
    });
    await expectError(await handle(await signed(offerBody())), "INTERNAL");
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0]![0]);
    expect(line).toContain(`offer_sent ${events.offer_sent.example.id} failed with 500 INTERNAL (InvalidAnswerError)`);
    // The field, and what the contract expected there.
    expect(line).toMatch(/result\.status: .*"offered"/);
    expect(line).not.toContain("\n");
  });

  it("createWebhookHandler(...) answers 500 for a handler that returns nothing", async () => {
    const handle = receiver({ offer_sent: () => undefined as never });
    await expectError(await handle(await signed(offerBody())), "INTERNAL");
  });

  it("createWebhookHandler({ onOutcome }) reports each request once, with status, code, event, id, duplicate and ms", async () => {
    const outcomes: RequestOutcome[] = [];
    const handle = receiver({ offer_sent: () => results.offer_sent }, { onOutcome: (outcome) => outcomes.push(outcome) });
    await handle(await signed(offerBody()));
    await handle(await signed(offerBody()));
    await handle(new Request(URL_));
    const id = events.offer_sent.example.id;
    expect(outcomes).toEqual([
      { status: 200, event: "offer_sent", id, ms: expect.any(Number), result: results.offer_sent },
      { status: 200, event: "offer_sent", id, duplicate: true, ms: expect.any(Number), result: results.offer_sent },
      { status: 405, code: "METHOD_NOT_ALLOWED", ms: expect.any(Number) },
    ]);
  });

  it("createWebhookHandler({ onOutcome }) names the verified delivery id of a body that breaks the contract", async () => {
    const outcomes: RequestOutcome[] = [];
    const handle = receiver({ offer_sent: () => results.offer_sent }, { onOutcome: (outcome) => outcomes.push(outcome) });
    const broken = example("offer_sent");
    broken.data.offer.amount.amountMinor = 750.5;
    const response = await handle(await signed(JSON.stringify(broken)));
    expect(response.status).toBe(422);
    expect(outcomes).toEqual([{ status: 422, code: "VALIDATION_FAILED", id: broken.id, ms: expect.any(Number) }]);
  });

  it("createWebhookHandler({ onOutcome, onError }) still answers when the hooks throw", async () => {
    const handle = receiver(
      {
        offer_sent: () => {
          throw new Error("boom");
        },
      },
      {
        onError: () => {
          throw new Error("logger down");
        },
        onOutcome: () => {
          throw new Error("metrics down");
        },
      },
    );
    await expectError(await handle(await signed(offerBody())), "INTERNAL");
  });
});

describe("createWebhookHandler({ bearer })", () => {
  const token = `test-token-${crypto.randomUUID()}`;

  it("createWebhookHandler({ bearer }) requires Authorization: Bearer in addition to a valid signature", async () => {
    const handle = receiver({ offer_sent: () => results.offer_sent }, { bearer: { token } });
    const error = await expectError(await handle(await signed(offerBody())), "UNAUTHORIZED");
    expect(error.message).toMatch(/Authorization: Bearer/);
    await expectError(await handle(await signed(offerBody(), { headers: { authorization: "Bearer wrong" } })), "UNAUTHORIZED");
    await expectError(await handle(await signed(offerBody(), { headers: { authorization: token } })), "UNAUTHORIZED");
    expect((await handle(await signed(offerBody(), { headers: { authorization: `Bearer ${token}` } }))).status).toBe(200);
    // The right bearer without a signature is not enough in the default mode.
    const unsigned = new Request(URL_, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: offerBody(),
    });
    await expectError(await handle(unsigned), "UNAUTHORIZED");
  });

  it("createWebhookHandler({ bearer: { mode: 'bearer-only' } }) accepts the right bearer without signature headers, and warns once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const handle = receiver({ offer_sent: () => results.offer_sent }, { bearer: { token, mode: "bearer-only" } });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/not proof of authenticity/);
    const unsigned = (authorization: string, extra: Record<string, string> = {}) =>
      new Request(URL_, {
        method: "POST",
        headers: { "content-type": "application/json", authorization, ...extra },
        body: offerBody(),
      });
    expect((await handle(unsigned(`Bearer ${token}`))).status).toBe(200);
    await expectError(await handle(unsigned("Bearer nope")), "UNAUTHORIZED");
    // A request that carries a signature is still verified.
    await expectError(await handle(unsigned(`Bearer ${token}`, { "webhook-signature": "v1,AAAA" })), "UNAUTHORIZED");
    // And webhook-id, when sent, must still match the envelope.
    await expectError(await handle(unsigned(`Bearer ${token}`, { "webhook-id": crypto.randomUUID() })), "VALIDATION_FAILED");
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe("createWebhookHandler(...) creation", () => {
  it("createWebhookHandler(...) throws at creation for an unknown event, no handlers or a malformed secret", () => {
    const endpoint = "dobbletap.webhooks";
    const typo = { ...otherDobbletapHandlers, offer_sent: () => results.offer_sent, offer_snet: () => results.offer_sent };
    expect(() => createWebhookHandler({ endpoint, secrets: secret, handlers: typo as never })).toThrow(/handlers.offer_snet is not an event/);
    expect(() => createWebhookHandler({ endpoint, secrets: secret, handlers: {} as never })).toThrow(/Missing handlers: /);
    const broken = "whsec_short";
    expect(() => receiver({ offer_sent: () => results.offer_sent }, { secrets: broken })).toThrow(/whsec_ followed by base64/);
    expect(() => receiver({ offer_sent: () => results.offer_sent }, { secrets: broken })).not.toThrow(/whsec_short/);
  });
});

describe("every error code of the contract", () => {
  // One scenario per code, so that adding a code to the contract without a receiver path fails here.
  const scenarios: Record<ErrorCode, () => Promise<Response>> = {
    MALFORMED_JSON: async () => dobbletap()(await signed("[", { id: crypto.randomUUID() })),
    UNAUTHORIZED: async () => dobbletap()(await signed(offerBody(), { secrets: generateSecret() })),
    CAMPAIGN_NOT_FOUND: async () => receiver({ offer_sent: () => Promise.reject(new ContractError("CAMPAIGN_NOT_FOUND", "x")) })(await signed(offerBody())),
    CREATOR_NOT_FOUND: async () => receiver({ offer_sent: () => Promise.reject(new ContractError("CREATOR_NOT_FOUND", "x")) })(await signed(offerBody())),
    OFFER_NOT_FOUND: async () =>
      receiver({ offer_accepted: () => Promise.reject(new ContractError("OFFER_NOT_FOUND", "x")) })(await signed(JSON.stringify(example("offer_accepted")))),
    INVALID_STATE: async () => receiver({ offer_sent: () => Promise.reject(new ContractError("INVALID_STATE", "x")) })(await signed(offerBody())),
    PAYLOAD_TOO_LARGE: async () => dobbletap()(await signed(offerBody() + " ".repeat(MAX_BODY_BYTES))),
    UNSUPPORTED_MEDIA_TYPE: async () => dobbletap()(await signed(offerBody(), { headers: { "content-type": "text/plain" } })),
    VALIDATION_FAILED: async () => dobbletap()(await signed(JSON.stringify({ ...example("offer_sent"), data: {} }))),
    UNKNOWN_EVENT: async () => dobbletap()(await signed(JSON.stringify(example("creators_synced")))),
    INTERNAL: async () => receiver({ offer_sent: () => Promise.reject(new Error("x")) })(await signed(offerBody())),
    // The receiver serves one endpoint and does no routing: an unknown path is the router's answer
    // (the mock server's, the integrator's); a handler can still answer it with the contract's status.
    NOT_FOUND: async () => receiver({ offer_sent: () => Promise.reject(new ContractError("NOT_FOUND", "x")) })(await signed(offerBody())),
    METHOD_NOT_ALLOWED: async () => dobbletap()(new Request("http://127.0.0.1/webhooks/dttracker", { method: "GET" })),
  };

  it.each(errorCodeList)("createWebhookHandler(...) can answer %s with its contract status", async (code) => {
    await expectError(await scenarios[code](), code);
  });
});

describe("no secret leaks", () => {
  it("createWebhookHandler(...) never writes a secret or bearer token into a Response body or a log line", async () => {
    const secrets = [generateSecret(), generateSecret()];
    const token = `test-token-${crypto.randomUUID()}`;
    const lines: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const outputs: string[] = [];
    const handlers = {
      ...otherDobbletapHandlers,
      offer_sent: () => {
        throw new Error("unexpected");
      },
    };
    const endpoint = "dobbletap.webhooks";
    const handles = [
      createWebhookHandler({ endpoint, secrets, handlers, now: () => nowMs, bearer: { token } }),
      createWebhookHandler({ endpoint, secrets, handlers, now: () => nowMs, bearer: { token, mode: "bearer-only" } }),
      createWebhookHandler({ endpoint, secrets, handlers: { ...otherDobbletapHandlers, offer_sent: () => ({}) as never }, now: () => nowMs }),
    ];
    const auth = { authorization: `Bearer ${token}` };
    const requests = async () => [
      await signed(offerBody(), { secrets, headers: auth }),
      await signed(offerBody(), { secrets: generateSecret(), headers: auth }),
      await signed(offerBody(), { secrets, headers: { authorization: `Bearer ${token}x` } }),
      await signed(offerBody(), { secrets, at: nowMs - 600_000, headers: auth }),
      await signed("{", { secrets, id: crypto.randomUUID(), headers: auth }),
      new Request(URL_, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: offerBody() }),
    ];
    for (const handle of handles) for (const request of await requests()) outputs.push(await (await handle(request)).text());
    expect(() => createWebhookHandler({ endpoint, secrets: "whsec_AAAA", handlers })).toThrow();

    const haystack = [...outputs, ...lines].join("\n");
    expect(outputs.length).toBe(18);
    expect(lines.length).toBeGreaterThan(0);
    for (const value of [...secrets, token]) {
      expect(haystack).not.toContain(value);
      // Nor a recognisable part of one (the base64 without its prefix, or the token's random part).
      expect(haystack).not.toContain(value.slice(6, 26));
      expect(haystack).not.toContain(value.slice(-16));
    }
  });
});
