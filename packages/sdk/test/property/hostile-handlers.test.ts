/**
 * Hostile handlers: whatever a handler does — throws anything (a ContractError with any string as
 * its code, issues that are circular or hold BigInts, a message that quotes the secret), returns
 * anything, or never settles — the receiver answers within a bound, never a 2xx for a result that
 * breaks the contract, and a fault is a 500 INTERNAL that quotes nothing the handler said. Run
 * in-process (createWebhookHandler) and over a real loopback socket (toNodeListener), where no
 * request may end the process: the server still answers afterwards and nothing is left unhandled.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { errorCodeList, errorCodes, events, parseErrorAnswer, parseSuccessAnswer } from "@dttracker-dobbletap/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContractError, createSigner, createWebhookReceiver, generateSecret, type WebhookReceiver } from "../../src/index.js";
import { toNodeListener } from "../../src/node.js";
import { endpointFor } from "../support/endpoint-handlers.js";

const secret = generateSecret();
const HANDLER_TIMEOUT_MS = 150;
// Text a handler's message may quote; none of it may reach the sender.
const leaks = [secret, secret.slice("whsec_".length), `eyJ${"a".repeat(12)}.eyJ${"b".repeat(12)}.sig`];

type Behaviour =
  | { kind: "throw"; value: unknown }
  | { kind: "contract"; code: string; message: string; issues: unknown }
  | { kind: "return"; value: unknown }
  | { kind: "reject"; value: unknown }
  | { kind: "hang" }
  | { kind: "valid" };

const circular = (() => {
  const value: Record<string, unknown> = { path: "x", message: "y" };
  value.self = value;
  return value;
})();
const weird = fc.oneof(
  fc.anything(),
  fc.bigInt().map((value) => ({ value })),
  fc.constant(circular),
  fc.constant([circular]),
  fc.constant(Symbol("s")),
  fc.constant(() => undefined),
  fc.constant(Object.create(null) as object),
);
const leakyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(...leaks).map((leak) => `bad ${leak} here`),
);
const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  fc.record({
    kind: fc.constant("throw" as const),
    value: fc.oneof(
      weird,
      leakyText.map((text) => new Error(text)),
    ),
  }),
  fc.record({
    kind: fc.constant("contract" as const),
    code: fc.oneof(
      fc.constantFrom(...errorCodeList),
      fc.constantFrom("constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "propertyIsEnumerable"),
      fc.string({ maxLength: 12 }),
    ),
    message: leakyText,
    issues: fc.oneof(fc.constant(undefined), weird, fc.array(fc.record({ path: leakyText, message: fc.oneof(leakyText, weird) }), { maxLength: 3 })),
  }),
  fc.record({ kind: fc.constant("return" as const), value: weird }),
  fc.record({ kind: fc.constant("reject" as const), value: weird }),
  fc.constant({ kind: "hang" as const }),
  fc.constant({ kind: "valid" as const }),
);

const validResult = events.offer_sent.exampleResult;

function act(current: { behaviour: Behaviour }) {
  return (): unknown => {
    const b = current.behaviour;
    switch (b.kind) {
      case "throw":
        throw b.value;
      case "contract":
        throw new ContractError(b.code as never, b.message, { issues: b.issues as never });
      case "return":
        return b.value;
      case "reject":
        return Promise.reject(b.value);
      case "hang":
        return new Promise(() => undefined);
      case "valid":
        return validResult;
    }
  };
}

function receiverWith(current: { behaviour: Behaviour }): WebhookReceiver {
  return createWebhookReceiver({
    secrets: secret,
    ...endpointFor({ offer_sent: act(current) as never }),
    handlerTimeoutMs: HANDLER_TIMEOUT_MS,
    onError: () => undefined,
  });
}

async function signedParts(): Promise<{ headers: Record<string, string>; body: string; id: string }> {
  const envelope = { ...structuredClone(events.offer_sent.example), id: crypto.randomUUID() };
  const body = JSON.stringify(envelope);
  const headers = await createSigner(secret).headers(envelope.id, new TextEncoder().encode(body));
  return { headers: { "content-type": "application/json", ...headers }, body, id: envelope.id };
}

/** The invariants, for one answer to one behaviour. */
function checkAnswer(b: Behaviour, status: number, text: string, id: string, ms: number): void {
  // every wait is bounded: a handler that never settles is cut off at handlerTimeoutMs.
  expect(ms).toBeLessThan(HANDLER_TIMEOUT_MS + 2_000);
  for (const leak of leaks) expect(text).not.toContain(leak);
  const body: unknown = JSON.parse(text);
  if (status >= 200 && status < 300) {
    // synced only for a contract success: a 2xx only for a result the contract accepts.
    expect(b.kind).toBe("valid");
    const parsed = parseSuccessAnswer("offer_sent", body, events.offer_sent.example.data);
    expect(parsed.success).toBe(true);
    return;
  }
  const answer = parseErrorAnswer(body);
  expect(answer, "every failure carries the contract's error answer").toBeDefined();
  expect(status).toBe(errorCodes[answer!.error.code].status);
  const refusal = b.kind === "contract" && Object.hasOwn(errorCodes, b.code);
  if (refusal) {
    expect(answer!.error.code).toBe(b.code);
    return;
  }
  // a handler's fault is a 500 that reveals nothing: the generic INTERNAL answer, nothing of the fault.
  expect(status).toBe(500);
  expect(answer!.error.code).toBe("INTERNAL");
  expect(answer!.error.issues).toBeUndefined();
  expect(answer!.error.message).toBe("The receiver failed unexpectedly while processing this event. Retry later with the same webhook-id.");
  void id;
}

describe("property: a hostile handler, in process", () => {
  it("a handler's fault is a 500 that reveals nothing; a 2xx only for a contract success; every wait is bounded", async () => {
    const current: { behaviour: Behaviour } = { behaviour: { kind: "valid" } };
    const handle = receiverWith(current).fetch;
    await fc.assert(
      fc.asyncProperty(behaviour, async (b) => {
        current.behaviour = b;
        const { headers, body, id } = await signedParts();
        const started = performance.now();
        const response = await handle(new Request("http://127.0.0.1/webhooks/dttracker", { method: "POST", headers, body }));
        checkAnswer(b, response.status, await response.text(), id, performance.now() - started);
      }),
      { numRuns: 150 },
    );
  });
});

describe("property: a hostile handler, over a loopback socket through toNodeListener", () => {
  const current: { behaviour: Behaviour } = { behaviour: { kind: "valid" } };
  let server: Server;
  let url: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    server = createServer(toNodeListener(receiverWith(current)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/dttracker`;
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("no request can end the process; a fault is a 500 that reveals nothing; every wait is bounded", async () => {
    await fc.assert(
      fc.asyncProperty(behaviour, async (b) => {
        current.behaviour = b;
        const { headers, body, id } = await signedParts();
        const started = performance.now();
        const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(5_000) });
        checkAnswer(b, response.status, await response.text(), id, performance.now() - started);
      }),
      { numRuns: 120 },
    );
    // Still serving after every hostile handler, and nothing escaped as an unhandled rejection.
    current.behaviour = { kind: "valid" };
    const { headers, body } = await signedParts();
    expect((await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(5_000) })).status).toBe(200);
    expect(unhandled).toEqual([]);
  });
});
