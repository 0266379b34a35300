// The handler map is typed from the contract's event map: each handler's `event` is inferred from
// its key, and returning the wrong result, or reading a field that does not exist, does not compile.
import type { EventEnvelope, EventResult } from "@dttracker-dobbletap/contracts";
import { describe, expectTypeOf, it } from "vitest";
import {
  createWebhookHandler,
  duplicateResult,
  type EventHandler,
  type HandlerContext,
  type HandlerResult,
  type WebhookHandler,
  type WebhookHandlers,
} from "./create-webhook-handler.js";

declare const secret: string;

describe("createWebhookHandler's types", () => {
  it("infers each handler's event from its key", () => {
    const handle = createWebhookHandler({
      secrets: secret,
      handlers: {
        offer_sent: async (event, context) => {
          expectTypeOf(event).toEqualTypeOf<EventEnvelope<"offer_sent">>();
          expectTypeOf(event.event).toEqualTypeOf<"offer_sent">();
          expectTypeOf(event.data.offer.amount.amountMinor).toEqualTypeOf<number>();
          expectTypeOf(context).toEqualTypeOf<HandlerContext>();
          return { type: "offer", id: event.data.offer.id, status: "offered" };
        },
        activation_cancelled: (event) => {
          expectTypeOf(event.data.creatorId).toEqualTypeOf<string | undefined>();
          return event.data.creatorId
            ? { type: "assignment", id: event.data.creatorId, status: "cancelled" }
            : { type: "campaign", id: event.data.campaignId, status: "cancelled" };
        },
        creators_synced: ({ data }) => ({
          synced: data.creators.map((creator) => ({ dobbletapId: creator.dobbletapId, dttrackerId: creator.dobbletapId })),
          failed: [],
        }),
      },
    });
    expectTypeOf(handle).toEqualTypeOf<WebhookHandler>();
  });

  it("accepts duplicateResult(...) of the event's result", () => {
    createWebhookHandler({
      secrets: secret,
      handlers: {
        offer_accepted: ({ data }) => duplicateResult({ type: "offer", id: data.offerId, status: "accepted" }),
      },
    });
    expectTypeOf<HandlerResult<"offer_sent">>().toExtend<EventResult<"offer_sent"> | object>();
  });

  it("refuses a wrong result type", () => {
    createWebhookHandler({
      secrets: secret,
      handlers: {
        // @ts-expect-error offer_sent answers with an offer record, not a campaign
        offer_sent: async (event) => ({ type: "campaign", id: event.data.offer.campaignId, status: "active" }),
      },
    });
    createWebhookHandler({
      secrets: secret,
      handlers: {
        // @ts-expect-error "ok" names no record (production failure #5)
        offer_sent: () => "ok",
      },
    });
    createWebhookHandler({
      secrets: secret,
      handlers: {
        // @ts-expect-error "pending" is not an offer status
        offer_sent: (event) => ({ type: "offer", id: event.data.offer.id, status: "pending" }),
      },
    });
    createWebhookHandler({
      secrets: secret,
      handlers: {
        // @ts-expect-error an offer_accepted result must say accepted
        offer_accepted: ({ data }) => duplicateResult({ type: "offer", id: data.offerId, status: "declined" }),
      },
    });
  });

  it("refuses a field the event does not have", () => {
    createWebhookHandler({
      secrets: secret,
      handlers: {
        offer_sent: (event) => {
          // @ts-expect-error offers have no `price`; money is `amount`
          void event.data.offer.price;
          // @ts-expect-error offer_sent data has no creators
          void event.data.creators;
          return { type: "offer", id: event.data.offer.id, status: "offered" };
        },
      },
    });
  });

  it("refuses a key that is not an event of the contract", () => {
    createWebhookHandler({
      secrets: secret,
      // @ts-expect-error offer_snet is a typo
      handlers: { offer_snet: () => ({ type: "offer", id: "x", status: "offered" }) },
    });
  });

  it("EventHandler and WebhookHandlers compose from the event map", () => {
    const offerDeclined: EventHandler<"offer_declined"> = ({ data }) => ({ type: "offer", id: data.offerId, status: "declined" });
    const handlers: WebhookHandlers<"offer_declined"> = { offer_declined: offerDeclined };
    expectTypeOf(handlers.offer_declined).parameter(0).toEqualTypeOf<EventEnvelope<"offer_declined">>();
    expectTypeOf<WebhookHandlers<"offer_sent" | "offer_accepted">>().toHaveProperty("offer_accepted");
  });
});
