// The handler map is typed from the contract's event map: `endpoint` decides the exact handler
// keys, each handler's `event` is inferred from its key, and returning the wrong result, or reading
// a field that does not exist, does not compile.
import type { EventEnvelope, EventResult } from "@dttracker-dobbletap/contracts";
import { describe, expectTypeOf, it } from "vitest";
import type {
  CryptoOptions,
  Delivery,
  DeliveryAnswer,
  MemoryDedupStoreOptions,
  VerifyOptions,
  WebhookReceiver,
  WebhookHandlerOptions as PublicOptions,
} from "../index.js";
import type { NodeListener } from "../node.js";
import { toNodeListener } from "../node.js";
import {
  createWebhookHandler,
  createWebhookReceiver,
  duplicateResult,
  type DuplicateResult,
  type EventHandler,
  type HandlerContext,
  type HandlerResult,
  type WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookHandlers,
} from "./create-webhook-handler.js";
import { createMemoryDedupStore } from "./memory-dedup-store.js";

declare const secret: string;
const otherDobbletap = {
  campaign_created: ({ data }: EventEnvelope<"campaign_created">) => ({ type: "campaign", id: data.campaign.id, status: "active" }) as const,
  activation_updated: ({ data }: EventEnvelope<"activation_updated">) => ({ type: "campaign", id: data.campaignId, status: "active" }) as const,
  activation_cancelled: ({ data }: EventEnvelope<"activation_cancelled">) => ({ type: "campaign", id: data.campaignId, status: "cancelled" }) as const,
};
const offerDeclined = ({ data }: EventEnvelope<"offer_declined">) => ({ type: "offer", id: data.offerId, status: "declined" }) as const;

describe("createWebhookHandler({ endpoint, handlers }): the endpoint decides the handler keys", () => {
  it("compiles with exactly the endpoint's handlers", () => {
    const handle = createWebhookHandler({
      endpoint: "dttracker.webhooks",
      secrets: secret,
      handlers: { offer_accepted: ({ data }) => ({ type: "offer", id: data.offerId, status: "accepted" }), offer_declined: offerDeclined },
    });
    expectTypeOf(handle).toEqualTypeOf<WebhookHandler>();
  });

  it("refuses a missing handler", () => {
    createWebhookHandler({
      endpoint: "dttracker.webhooks",
      secrets: secret,
      // @ts-expect-error offer_declined is missing: it would be answered 422 for ever
      handlers: { offer_accepted: ({ data }) => ({ type: "offer", id: data.offerId, status: "accepted" }) },
    });
  });

  it("refuses a handler of another endpoint's event", () => {
    createWebhookHandler({
      endpoint: "dttracker.webhooks",
      secrets: secret,
      handlers: {
        offer_accepted: ({ data }) => ({ type: "offer", id: data.offerId, status: "accepted" }),
        offer_declined: offerDeclined,
        // @ts-expect-error offer_sent goes to dobbletap.webhooks, not here
        offer_sent: ({ data }) => ({ type: "offer", id: data.offer.id, status: "offered" }),
      },
    });
  });

  it("refuses options without an endpoint", () => {
    const withoutEndpoint = {
      secrets: secret,
      handlers: { offer_accepted: () => ({ type: "offer", id: "x", status: "accepted" }) as const, offer_declined: offerDeclined },
    };
    // @ts-expect-error endpoint is required
    createWebhookHandler(withoutEndpoint);
    expectTypeOf<WebhookHandlerOptions<"dttracker.webhooks">["endpoint"]>().toEqualTypeOf<"dttracker.webhooks">();
    expectTypeOf<keyof WebhookHandlerOptions<"dttracker.webhooks">["handlers"]>().toEqualTypeOf<"offer_accepted" | "offer_declined">();
  });

  it("createWebhookReceiver gives receive and fetch, and toNodeListener takes the receiver or a handler", () => {
    const receiver = createWebhookReceiver({
      endpoint: "dttracker.creator-sync",
      secrets: secret,
      handlers: {
        creators_synced: ({ data }) => ({ synced: data.creators.map((c) => ({ dobbletapId: c.dobbletapId, dttrackerId: c.dobbletapId })), failed: [] }),
      },
    });
    expectTypeOf(receiver).toEqualTypeOf<WebhookReceiver>();
    expectTypeOf(receiver.receive).parameter(0).toEqualTypeOf<Delivery>();
    expectTypeOf(receiver.receive).returns.toEqualTypeOf<Promise<DeliveryAnswer>>();
    expectTypeOf(receiver.fetch).toEqualTypeOf<WebhookHandler>();
    expectTypeOf(toNodeListener(receiver)).toEqualTypeOf<NodeListener>();
    expectTypeOf(toNodeListener(receiver.fetch)).toEqualTypeOf<NodeListener>();
  });

  it("exports every type its public signatures use", () => {
    expectTypeOf<PublicOptions<"dttracker.webhooks">>().toEqualTypeOf<WebhookHandlerOptions<"dttracker.webhooks">>();
    expectTypeOf<VerifyOptions>().toHaveProperty("toleranceSeconds");
    expectTypeOf<CryptoOptions>().toHaveProperty("backend");
    expectTypeOf(createMemoryDedupStore).parameter(0).toEqualTypeOf<MemoryDedupStoreOptions | undefined>();
  });
});

describe("createWebhookHandler's types", () => {
  it("infers each handler's event from its key", () => {
    const handle = createWebhookHandler({
      endpoint: "dobbletap.webhooks",
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
        campaign_created: otherDobbletap.campaign_created,
        activation_updated: otherDobbletap.activation_updated,
      },
    });
    expectTypeOf(handle).toEqualTypeOf<WebhookHandler>();
  });

  it("accepts duplicateResult(...) of the event's result", () => {
    createWebhookHandler({
      endpoint: "dttracker.webhooks",
      secrets: secret,
      handlers: {
        offer_accepted: ({ data }) => duplicateResult({ type: "offer", id: data.offerId, status: "accepted" }),
        offer_declined: offerDeclined,
      },
    });
    expectTypeOf<HandlerResult<"offer_sent">>().toEqualTypeOf<EventResult<"offer_sent"> | DuplicateResult<EventResult<"offer_sent">>>();
    expectTypeOf<Date>().not.toExtend<HandlerResult<"offer_sent">>();
    expectTypeOf<{ type: "offer"; id: string; status: "accepted" }>().not.toExtend<HandlerResult<"offer_sent">>();
  });

  it("refuses a wrong result type", () => {
    createWebhookHandler({
      endpoint: "dobbletap.webhooks",
      secrets: secret,
      handlers: {
        ...otherDobbletap,
        // @ts-expect-error offer_sent answers with an offer record, not a campaign
        offer_sent: async (event) => ({ type: "campaign", id: event.data.offer.campaignId, status: "active" }),
      },
    });
    createWebhookHandler({
      endpoint: "dobbletap.webhooks",
      secrets: secret,
      handlers: {
        ...otherDobbletap,
        // @ts-expect-error "ok" names no record (production failure #5)
        offer_sent: () => "ok",
      },
    });
    createWebhookHandler({
      endpoint: "dobbletap.webhooks",
      secrets: secret,
      handlers: {
        ...otherDobbletap,
        // @ts-expect-error "pending" is not an offer status
        offer_sent: (event) => ({ type: "offer", id: event.data.offer.id, status: "pending" }),
      },
    });
    createWebhookHandler({
      endpoint: "dttracker.webhooks",
      secrets: secret,
      handlers: {
        offer_declined: offerDeclined,
        // @ts-expect-error an offer_accepted result must say accepted
        offer_accepted: ({ data }) => duplicateResult({ type: "offer", id: data.offerId, status: "declined" }),
      },
    });
  });

  it("refuses a field the event does not have", () => {
    createWebhookHandler({
      endpoint: "dobbletap.webhooks",
      secrets: secret,
      handlers: {
        ...otherDobbletap,
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
      endpoint: "dobbletap.webhooks",
      secrets: secret,
      handlers: {
        ...otherDobbletap,
        offer_sent: ({ data }) => ({ type: "offer", id: data.offer.id, status: "offered" }),
        // @ts-expect-error offer_snet is a typo
        offer_snet: () => ({ type: "offer", id: "x", status: "offered" }),
      },
    });
  });

  it("EventHandler and WebhookHandlers compose from the event map", () => {
    const offerDeclined: EventHandler<"offer_declined"> = ({ data }) => ({ type: "offer", id: data.offerId, status: "declined" });
    const handlers: WebhookHandlers<"offer_declined"> = { offer_declined: offerDeclined };
    expectTypeOf(handlers.offer_declined).parameter(0).toEqualTypeOf<EventEnvelope<"offer_declined">>();
    expectTypeOf<WebhookHandlers<"offer_sent" | "offer_accepted">>().toHaveProperty("offer_accepted");
  });
});
