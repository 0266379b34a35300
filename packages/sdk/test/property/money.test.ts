/**
 * Money is never a float: the schema refuses every non-integer amount (fractions, NaN, infinities,
 * numbers in strings), the sender refuses to send one (before any request), and the receiver answers
 * 422 naming the field. Integers of minor units above zero pass unchanged.
 */
import fc from "fast-check";
import { Money, currencyCodes, type EventResult } from "@dttracker-dobbletap/contracts";
import { describe, expect, it } from "vitest";
import { createDobbletapClient, createWebhookHandler, generateSecret, isRequestValidationError, createSigner } from "../../src/index.js";
import { eventData, money } from "./arbitraries.js";
import { endpointFor } from "../support/endpoint-handlers.js";
import { resultFor } from "./handlers.js";

const nonInteger = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Number.isInteger(value)),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1, 7_500_000.5, 1e-7, -0.5),
);
const notANumber = fc.oneof(fc.integer({ min: 1 }).map(String), fc.constantFrom(null, true, "7500000", "75,000.00", [], {}));
const currency = fc.constantFrom(...currencyCodes);

describe("Money schema (property)", () => {
  it("refuses any amountMinor that is not an integer, naming amountMinor", () => {
    fc.assert(
      fc.property(currency, fc.oneof(nonInteger, notANumber), (code, amountMinor) => {
        const parsed = Money.safeParse({ currency: code, amountMinor });
        expect(parsed.success).toBe(false);
        expect(parsed.error!.issues.map((issue) => issue.path.join("."))).toContain("amountMinor");
      }),
      { numRuns: 500 },
    );
  });

  it("refuses zero and negative integers", () => {
    fc.assert(
      fc.property(currency, fc.integer({ max: 0 }), (code, amountMinor) => {
        expect(Money.safeParse({ currency: code, amountMinor }).success).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("accepts every positive safe integer of minor units, unchanged", () => {
    fc.assert(
      fc.property(money, (value) => {
        expect(Money.parse(value)).toEqual({ ...value });
      }),
      { numRuns: 500 },
    );
  });
});

describe("a non-integer amount through the SDK (property)", () => {
  const secret = generateSecret();
  const offers = eventData.offer_sent;

  it("dobbletap.offerSent(...) rejects it with a RequestValidationError before any request", async () => {
    let requests = 0;
    const client = createDobbletapClient({
      baseUrl: "http://receiver.invalid",
      secret,
      fetch: async () => {
        requests++;
        return new Response(null, { status: 500 });
      },
    });
    await fc.assert(
      fc.asyncProperty(offers, nonInteger, async (data, amountMinor) => {
        const broken = { offer: { ...data.offer, amount: { ...data.offer.amount, amountMinor } } };
        const error = await client.offerSent(broken).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(isRequestValidationError(error)).toBe(true);
        expect((error as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toContain("data.offer.amount.amountMinor");
      }),
      { numRuns: 100 },
    );
    expect(requests).toBe(0);
  });

  it("a signed offer_sent carrying one is answered 422 VALIDATION_FAILED naming data.offer.amount.amountMinor", async () => {
    let handled = 0;
    const handle = createWebhookHandler({
      secrets: secret,
      ...endpointFor({
        offer_sent: (event) => {
          handled++;
          return resultFor(event) as EventResult<"offer_sent">;
        },
      }),
    });
    const signer = createSigner(secret);
    // JSON cannot carry NaN or infinities (they become null); every finite non-integer can.
    const finiteNonInteger = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Number.isInteger(value));
    await fc.assert(
      fc.asyncProperty(offers, finiteNonInteger, fc.uuid({ version: 4 }), async (data, amountMinor, id) => {
        const envelope = {
          id,
          event: "offer_sent",
          occurredAt: new Date().toISOString(),
          data: { offer: { ...data.offer, amount: { ...data.offer.amount, amountMinor } } },
        };
        const body = JSON.stringify(envelope);
        const headers = { ...(await signer.headers(id, body)), "content-type": "application/json" };
        const response = await handle(new Request("http://receiver.invalid/webhooks/dttracker", { method: "POST", headers, body }));
        expect(response.status).toBe(422);
        const answer = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
        expect(answer.error.code).toBe("VALIDATION_FAILED");
        expect(answer.error.issues.map((issue) => issue.path)).toContain("data.offer.amount.amountMinor");
      }),
      { numRuns: 100 },
    );
    expect(handled).toBe(0);
  });
});
