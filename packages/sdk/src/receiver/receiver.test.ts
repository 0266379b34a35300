// createWebhookReceiver(...).receive: the receiver's seam for runtime adapters — raw bytes (or a
// stream, or a capped reader) and headers in, the answer to write out. The checks themselves are
// pinned through fetch in create-webhook-handler.test.ts; here, that receive answers the same and
// that no delivery makes it reject.
import { events } from "@dttracker-dobbletap/contracts";
import { describe, expect, it } from "vitest";
import { endpointFor, resultOf } from "../../test/support/endpoint-handlers.js";
import { createSigner, generateSecret } from "../signing/index.js";
import { createWebhookReceiver, type Delivery } from "./create-webhook-handler.js";

const secret = generateSecret();
const body = JSON.stringify(events.offer_sent.example);
const bytes = new TextEncoder().encode(body);
const notRead = () => {
  throw new Error("context.request was not read");
};

async function signedHeaders(payload = bytes): Promise<Record<string, string>> {
  return { "content-type": "application/json", ...(await createSigner(secret).headers(events.offer_sent.example.id, payload)) };
}

const receiver = () => createWebhookReceiver({ secrets: secret, ...endpointFor({ offer_sent: () => resultOf("offer_sent") }) });
const expected = { success: true, eventId: events.offer_sent.example.id, result: resultOf("offer_sent") };

describe("createWebhookReceiver(...).receive(delivery)", () => {
  it.each<[string, (headers: Record<string, string>) => Delivery["body"]]>([
    ["bytes", () => bytes],
    ["a stream", () => new Blob([bytes]).stream()],
    ["a capped reader", () => async (limit: number) => (bytes.byteLength > limit ? undefined : bytes)],
  ])("answers a signed offer_sent given as %s with the 200 contract answer and its JSON text", async (_, bodyOf) => {
    const headers = await signedHeaders();
    const answer = await receiver().receive({ method: "POST", headers, body: bodyOf(headers), request: notRead });
    expect(answer).toEqual({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(expected) });
  });

  it("answers the same as fetch for the same delivery", async () => {
    const headers = await signedHeaders();
    const one = receiver();
    const viaFetch = await one.fetch(new Request("http://127.0.0.1/webhooks/dttracker", { method: "POST", headers, body }));
    const viaReceive = await receiver().receive({ method: "POST", headers, body: bytes, request: notRead });
    expect([viaReceive.status, viaReceive.body]).toEqual([viaFetch.status, await viaFetch.text()]);
  });

  it("never rejects: a body reader that throws or rejects is 400 MALFORMED_JSON, a 405 carries Allow", async () => {
    const headers = await signedHeaders();
    const throwing = () => {
      throw new Error("socket gone");
    };
    for (const body of [throwing, () => Promise.reject(new Error("socket gone"))] as Delivery["body"][]) {
      const answer = await receiver().receive({ method: "POST", headers, body, request: notRead });
      expect([answer.status, JSON.parse(answer.body).error.code]).toEqual([400, "MALFORMED_JSON"]);
    }
    const get = await receiver().receive({ method: "GET", headers: {}, body: null, request: notRead });
    expect([get.status, get.headers.allow]).toEqual([405, "POST"]);
  });
});
