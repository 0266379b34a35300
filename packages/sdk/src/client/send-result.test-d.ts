/**
 * What a send resolves to is a union on `success`: the SDK's own TSDoc pattern
 * `if (sent.success) console.log(sent.result.id)` compiles under strict, a failure carries its
 * error typed by role, and every type a public client signature uses is exported from the entry.
 */
import { events, type EventResult } from "@dttracker-dobbletap/contracts";
import { describe, expectTypeOf, it } from "vitest";
import {
  createDobbletapClient,
  createMemoryRetryQueue,
  isRetryableFailure,
  type AttemptHooks,
  type ClientOptions,
  type DeliveryHooks,
  type DrainReport,
  type InvalidAnswerError,
  type PartialFailure,
  type RemoteError,
  type ResendingClient,
  type RetryPolicy,
  type SendFailure,
  type SendFailureError,
  type SendResult,
  type SendSuccess,
  type SyncError,
  type TransportError,
  type UnexpectedResponseError,
  type WebhookKitError,
} from "../index.js";

const dobbletap = createDobbletapClient({ baseUrl: "http://127.0.0.1:4010", secret: "whsec_…" });
const data = events.offer_sent.example.data;

describe("SendResult", () => {
  it("narrows on success: result is the record on a success, failure the typed error on a failure", async () => {
    const sent = await dobbletap.offerSent(data);
    if (sent.success) {
      expectTypeOf(sent).toEqualTypeOf<SendSuccess<"offer_sent">>();
      // The TSDoc example of SendResult, verbatim.
      console.log(sent.result.id, sent.result.status);
      expectTypeOf(sent.result).toEqualTypeOf<EventResult<"offer_sent">>();
      expectTypeOf(sent.failure).toEqualTypeOf<undefined>();
      expectTypeOf(sent.syncStatus.error).toEqualTypeOf<PartialFailure | null>();
    } else {
      expectTypeOf(sent).toEqualTypeOf<SendFailure<"offer_sent">>();
      expectTypeOf(sent.failure).toEqualTypeOf<SendFailureError>();
      expectTypeOf(sent.syncStatus.error).toEqualTypeOf<SyncError>();
      // @ts-expect-error a failure has no record to name
      console.log(sent.result.id);
    }
    // Before narrowing, result may be absent.
    // @ts-expect-error result is possibly undefined
    console.log(sent.result.id);
  });

  it("a failure is one of the four roles, each with a literal name that narrows", async () => {
    expectTypeOf<SendFailureError>().toEqualTypeOf<RemoteError | InvalidAnswerError | UnexpectedResponseError | TransportError>();
    expectTypeOf<SendFailureError>().toExtend<WebhookKitError>();
    const sent = await dobbletap.offerSent(data);
    if (!sent.success && sent.failure.name === "RemoteError") {
      expectTypeOf(sent.failure).toEqualTypeOf<RemoteError>();
      expectTypeOf(sent.failure.status).toEqualTypeOf<number>();
    }
    if (!sent.success && sent.failure.name === "TransportError") expectTypeOf(sent.failure.code).toEqualTypeOf<"NETWORK_ERROR" | "TIMEOUT">();
    expectTypeOf<SendFailureError["name"]>().toEqualTypeOf<"RemoteError" | "InvalidAnswerError" | "UnexpectedResponseError" | "TransportError">();
  });

  it("SendResult is exactly the union of SendSuccess and SendFailure", () => {
    expectTypeOf<SendResult<"offer_sent">>().toEqualTypeOf<SendSuccess<"offer_sent"> | SendFailure<"offer_sent">>();
  });
});

describe("the types public client signatures use are exported", () => {
  it("hooks, options, the queue's drain and isRetryableFailure", async () => {
    expectTypeOf<DeliveryHooks>().toExtend<AttemptHooks>();
    expectTypeOf<ClientOptions["hooks"]>().toEqualTypeOf<DeliveryHooks | undefined>();
    expectTypeOf<ClientOptions["retry"]>().toEqualTypeOf<Partial<RetryPolicy> | false | undefined>();
    const queue = createMemoryRetryQueue();
    expectTypeOf(queue.drain).parameter(0).toEqualTypeOf<ResendingClient>();
    expectTypeOf(queue.drain).returns.resolves.toEqualTypeOf<DrainReport>();
    // The @example of isRetryableFailure, verbatim (outbox: anything with a save).
    const outbox = { save: async (_id: string) => {} };
    const sent = await dobbletap.offerSent(data);
    if (!sent.success && isRetryableFailure(sent.failure)) await outbox.save(sent.eventId);
  });
});
