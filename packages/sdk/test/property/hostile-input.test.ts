/**
 * Hostile input: whatever arrives — random bytes, random headers, garbled or missing signatures,
 * correctly signed garbage, valid events with one field broken — a receiver built with
 * createWebhookHandler answers with one of the contract's 4xx error answers, or 200 for exactly the
 * bodies the contract's own parser accepts. Never another 2xx, never a 500, never a rejected promise,
 * and the handler only ever sees valid events.
 */
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { eventsAt, parseErrorAnswer, parseEvent, statusOf, type EventEnvelope } from "@dttracker-dobbletap/contracts";
import { describe, expect, it } from "vitest";
import { createWebhookHandler, generateSecret } from "../../src/index.js";
import { eventData, uuid } from "./arbitraries.js";
import { resultFor } from "./handlers.js";

const NUM_RUNS = 200;
/** A small limit, so that oversize bodies are cheap to generate. */
const MAX_BODY_BYTES = 2048;
const URL = "http://receiver.invalid/functions/v1/make-server-8061e72e/webhooks/dttracker";
const accepted = eventsAt("dobbletap.webhooks");

/** A fresh receiver (fresh dedup store) that records what reached a handler and every 500-path error. */
function receiver(secret: string) {
  const handled: EventEnvelope[] = [];
  const errors: unknown[] = [];
  const handler = (event: EventEnvelope) => {
    handled.push(event);
    return resultFor(event);
  };
  const handle = createWebhookHandler({
    endpoint: "dobbletap.webhooks",
    secrets: secret,
    handlers: Object.fromEntries(accepted.map((name) => [name, handler])) as never,
    maxBodyBytes: MAX_BODY_BYTES,
    onError: (error) => errors.push(error),
  });
  return { handle, handled, errors };
}

function sign(secret: string, id: string, body: Uint8Array, timestamp = Math.floor(Date.now() / 1000)) {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${mac}` };
}

/** Asserts the answer is one of the contract's 4xx error answers, its status matching its code. */
async function expectContractRefusal(response: Response): Promise<string> {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  const answer = parseErrorAnswer(await response.json());
  expect(answer, "a 4xx must carry the contract's error answer").toBeDefined();
  expect(answer!.error.code).not.toBe("INTERNAL");
  expect(response.status).toBe(statusOf(answer!.error.code));
  return answer!.error.code;
}

// Header values Headers accepts (visible ASCII, spaces, tabs); names are HTTP tokens.
const headerValue = fc.string({ unit: fc.constantFrom(..." \t!\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~v1="), maxLength: 120 });
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const contentType = fc.oneof(
  fc.constantFrom("application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "text/plain", "", "APPLICATION/JSON"),
  headerValue,
);
const bodyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 256 }),
  fc.uint8Array({ minLength: MAX_BODY_BYTES - 16, maxLength: MAX_BODY_BYTES + 64 }),
  fc.jsonValue().map((value) => new TextEncoder().encode(JSON.stringify(value) ?? "null")),
  fc.string({ unit: "binary" }).map((text) => new TextEncoder().encode(text)),
);

describe("createWebhookHandler(...) under hostile input (property)", () => {
  it("random bytes with random or garbled headers: a contract 4xx answer, the handler never called", async () => {
    const secret = generateSecret();
    const { handle, handled, errors } = receiver(secret);
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        bodyBytes,
        contentType,
        fc.record(
          {
            "webhook-id": fc.oneof(uuid, headerValue),
            "webhook-timestamp": fc.oneof(fc.constant(String(Math.floor(Date.now() / 1000))), headerValue, fc.integer().map(String)),
            "webhook-signature": fc.oneof(
              headerValue,
              fc.base64String({ maxLength: 48 }).map((mac) => `v1,${mac}`),
            ),
          },
          { requiredKeys: [] },
        ),
        fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
        async (body, type, webhookHeaders, extra) => {
          const headers = new Headers({ ...extra, ...webhookHeaders, "content-type": type });
          const response = await handle(new Request(URL, { method: "POST", headers, body }));
          codes.add(await expectContractRefusal(response));
        },
      ),
      { numRuns: NUM_RUNS },
    );
    expect(handled).toEqual([]);
    expect(errors).toEqual([]);
    // The inputs reached each of the early checks (else this property would prove little).
    expect([...codes]).toEqual(expect.arrayContaining(["PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "UNAUTHORIZED"]));
  });

  it("correctly signed arbitrary bodies: 400, 413 or 422, never 401, 2xx or 500", async () => {
    const secret = generateSecret();
    const { handle, handled, errors } = receiver(secret);
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(bodyBytes, uuid, async (body, id) => {
        const headers = { ...sign(secret, id, body), "content-type": "application/json" };
        const code = await expectContractRefusal(await handle(new Request(URL, { method: "POST", headers, body })));
        expect(["MALFORMED_JSON", "PAYLOAD_TOO_LARGE", "VALIDATION_FAILED", "UNKNOWN_EVENT"]).toContain(code);
        codes.add(code);
      }),
      { numRuns: NUM_RUNS },
    );
    expect([...codes]).toEqual(expect.arrayContaining(["MALFORMED_JSON", "PAYLOAD_TOO_LARGE", "VALIDATION_FAILED"]));
    expect(handled).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("a signed valid event with one field broken, dropped or added: 200 exactly when the contract's parser accepts it", async () => {
    const secret = generateSecret();
    const event = fc.constantFrom(...accepted).chain((name) =>
      fc.record({
        id: uuid,
        event: fc.constant(name),
        occurredAt: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(2 ** 42) }).map((d) => d.toISOString()),
        data: eventData[name] as fc.Arbitrary<unknown>,
      }),
    );
    // A path into the envelope (chosen from the keys that exist) and what to do there.
    const mutation = fc.record({
      depth: fc.nat({ max: 4 }),
      pick: fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
      action: fc.constantFrom("delete", "replace", "add"),
      value: fc.jsonValue({ maxDepth: 2 }),
    });
    let acceptedCount = 0;
    let refusedCount = 0;
    await fc.assert(
      fc.asyncProperty(event, mutation, async (valid, { depth, pick, action, value }) => {
        const envelope = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
        let target: Record<string, unknown> = envelope;
        for (let level = 0; level < depth; level++) {
          const keys = Object.keys(target).filter((key) => typeof target[key] === "object" && target[key] !== null);
          if (keys.length === 0) break;
          target = target[keys[pick[level]! % keys.length]!] as Record<string, unknown>;
        }
        const keys = Object.keys(target);
        const key = action === "add" || keys.length === 0 ? `extra${pick[4]}` : keys[pick[4]! % keys.length]!;
        if (action === "delete") delete target[key];
        else target[key] = value;

        const { handle, handled, errors } = receiver(secret);
        const body = new TextEncoder().encode(JSON.stringify(envelope));
        const id = typeof envelope.id === "string" ? envelope.id : valid.id;
        const headers = { ...sign(secret, id, body), "content-type": "application/json" };
        const response = await handle(new Request(URL, { method: "POST", headers, body }));
        const oracle = body.byteLength <= MAX_BODY_BYTES ? parseEvent(envelope, { accept: accepted }) : undefined;
        if (oracle?.success) {
          expect(response.status, JSON.stringify(await response.clone().json())).toBe(200);
          expect(handled).toEqual([oracle.event]);
          acceptedCount++;
        } else {
          await expectContractRefusal(response);
          expect(handled).toEqual([]);
          refusedCount++;
        }
        expect(errors).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
    // Mutations both kept events valid (unknown keys, optional fields) and broke them.
    expect(acceptedCount).toBeGreaterThan(0);
    expect(refusedCount).toBeGreaterThan(0);
  });
});
