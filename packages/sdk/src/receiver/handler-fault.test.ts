// A handler's fault never becomes the wrong answer: a ContractError whose code is not a contract
// code (a JavaScript caller's typo: constructor, __proto__, toString, …) is a 500 INTERNAL, never a
// 200 and never a crash through toNodeListener; issues holding a circular object or a BigInt still
// serialise; a handler's message is scrubbed of this receiver's secrets, its bearer token and keys.
import { endpointFor, resultOf } from "../../test/support/endpoint-handlers.js";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { errorCodes, events, type ErrorCode } from "@dttracker-dobbletap/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { ContractError } from "../errors/index.js";
import { createSigner, generateSecret } from "../signing/index.js";
import { createWebhookHandler, type WebhookHandler } from "./create-webhook-handler.js";
import { toNodeListener } from "./node.js";

const secret = generateSecret();
const token = `tok_${crypto.randomUUID()}`;
const NOT_CODES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf", "nope"];

async function signed(url = "http://127.0.0.1/webhooks/dttracker"): Promise<Request> {
  const example = { ...structuredClone(events.offer_sent.example), id: crypto.randomUUID() };
  const body = JSON.stringify(example);
  const headers = await createSigner(secret).headers(example.id, new TextEncoder().encode(body));
  return new Request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

function throwing(thrown: () => unknown): WebhookHandler {
  return createWebhookHandler({
    secrets: secret,
    ...endpointFor({
      offer_sent: () => {
        throw thrown();
      },
    }),
    onError: () => undefined,
  });
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe("a handler's ContractError with a code that is not an error code is a 500 INTERNAL", () => {
  it.each(NOT_CODES)("in process: new ContractError(%j) answers 500 INTERNAL, never a 200", async (code) => {
    const handle = throwing(() => new ContractError(code as ErrorCode, "typo"));
    const response = await handle(await signed());
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ success: false, error: { code: "INTERNAL" } });
  });

  it.each(NOT_CODES)("over a loopback socket through toNodeListener: ContractError(%j) is a 500 and the server keeps serving", async (code) => {
    server = createServer(toNodeListener(throwing(() => new ContractError(code as ErrorCode, "typo"))));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/dttracker`;
    for (let round = 0; round < 2; round++) {
      const request = await signed(url);
      const response = await fetch(url, { method: "POST", headers: request.headers, body: await request.text(), signal: AbortSignal.timeout(5_000) });
      expect(response.status).toBe(500);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("INTERNAL");
    }
  });

  it("a real code still answers with its status from the contract's table", async () => {
    const handle = throwing(() => new ContractError("CAMPAIGN_NOT_FOUND", "no such campaign"));
    expect((await handle(await signed())).status).toBe(errorCodes.CAMPAIGN_NOT_FOUND.status);
  });
});

describe("a handler's ContractError always serialises", () => {
  it("issues holding a circular object, a BigInt and a throwing getter: handle() resolves with the code's status and JSON", async () => {
    const circular: Record<string, unknown> = { path: "data", message: "bad" };
    circular.self = circular;
    const getter = Object.defineProperty({}, "message", {
      get() {
        throw new Error("boom");
      },
    });
    const issues = [circular, { path: "data.amount", message: "too big", value: 10n }, { path: 10n, message: {} }, null];
    const handle = throwing(() => new ContractError("VALIDATION_FAILED", "bad data", { issues: issues as never }));
    const response = await handle(await signed());
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { issues: unknown[] } };
    expect(body.error.issues).toEqual([
      { path: "data", message: "bad" },
      { path: "data.amount", message: "too big" },
      { path: "", message: "is not valid" },
    ]);
    const withGetter = throwing(() => new ContractError("VALIDATION_FAILED", "bad", { issues: [getter] as never }));
    const second = await withGetter(await signed());
    expect([422, 500]).toContain(second.status);
    expect(() => JSON.parse(JSON.stringify(second.status))).not.toThrow();
    await second.json();
  });

  it("a ContractError whose message is not a string still answers its code", async () => {
    const error = new ContractError("INVALID_STATE", "x");
    Object.defineProperty(error, "message", { value: 10n });
    const response = await throwing(() => error)(await signed());
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "INVALID_STATE" } });
  });
});

describe("a handler's message reveals no secret", () => {
  it("the receiver's secret, its base64 part, its bearer token, a JWT and a connection-string password are scrubbed", async () => {
    const jwt = `eyJ${"a".repeat(20)}.eyJ${"b".repeat(30)}.${"c".repeat(40)}`;
    const password = crypto.randomUUID();
    const message = `cannot use ${secret} / ${secret.slice(6)} / Bearer ${token} / ${jwt} / postgres://app:${password}@db:5432/x`;
    const handle = createWebhookHandler({
      secrets: secret,
      bearer: { token },
      ...endpointFor({
        offer_sent: () => {
          throw new ContractError("INVALID_STATE", message, { issues: [{ path: "x", message }] });
        },
      }),
    });
    const request = await signed();
    request.headers.set("authorization", `Bearer ${token}`);
    const response = await handle(request);
    const text = await response.text();
    expect(response.status).toBe(409);
    for (const leaked of [secret, secret.slice(6), token, jwt, password]) expect(text).not.toContain(leaked);
    expect(text).toContain("cannot use");
  });
});

describe("createWebhookHandler({ handlerTimeoutMs }) bounds a handler that never settles", () => {
  it("answers 500 INTERNAL after handlerTimeoutMs and tells onError with a HandlerTimeoutError", async () => {
    const errors: unknown[] = [];
    const handle = createWebhookHandler({
      secrets: secret,
      ...endpointFor({ offer_sent: () => new Promise<never>(() => undefined) }),
      handlerTimeoutMs: 100,
      onError: (error) => errors.push(error),
    });
    const started = performance.now();
    const response = await handle(await signed());
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { code: "INTERNAL" } });
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).name).toBe("HandlerTimeoutError");
  });

  it("refuses a handlerTimeoutMs that is not a whole number of milliseconds ≥ 1", () => {
    for (const handlerTimeoutMs of [0, -1, 1.5, Number.NaN]) {
      expect(() => createWebhookHandler({ secrets: secret, ...endpointFor({ offer_sent: () => resultOf("offer_sent") }), handlerTimeoutMs })).toThrow(
        RangeError,
      );
    }
  });
});
