// A transactional receiver's handlers get `tx` typed as the store's transaction; a plain one's do
// not; and `transactional: true` does not compile with a store that has no transactions.
import { describe, expectTypeOf, it } from "vitest";
import type { PostgresDedupStore } from "../postgres/dedup-store.js";
import type { Queryable } from "../postgres/database.js";
import { createWebhookHandler, type HandlerContext } from "./create-webhook-handler.js";
import { createMemoryDedupStore } from "./memory-dedup-store.js";

declare const secret: string;
declare const store: PostgresDedupStore;

describe("createWebhookHandler({ transactional: true })'s types", () => {
  it("gives each handler tx: Queryable from postgresDedupStore", () => {
    createWebhookHandler({
      endpoint: "dttracker.creator-sync",
      secrets: secret,
      dedupStore: store,
      transactional: true,
      handlers: {
        creators_synced: async ({ data: { creators } }, { tx, deliveryId }) => {
          expectTypeOf(tx).toEqualTypeOf<Queryable>();
          expectTypeOf(deliveryId).toEqualTypeOf<string>();
          await tx.query("select 1");
          return { synced: creators.map((creator) => ({ dobbletapId: creator.dobbletapId, dttrackerId: creator.dobbletapId })), failed: [] };
        },
      },
    });
  });

  it("gives a plain receiver's handlers a context with no tx", () => {
    createWebhookHandler({
      endpoint: "dttracker.creator-sync",
      secrets: secret,
      dedupStore: store,
      handlers: {
        creators_synced: ({ data: { creators } }, context) => {
          expectTypeOf(context).toEqualTypeOf<HandlerContext>();
          // @ts-expect-error: no tx without transactional: true
          void context.tx;
          return { synced: creators.map((creator) => ({ dobbletapId: creator.dobbletapId, dttrackerId: creator.dobbletapId })), failed: [] };
        },
      },
    });
  });

  it("refuses transactional: true with the in-memory store", () => {
    // @ts-expect-error: the in-memory store's claims carry no transaction
    createWebhookHandler({
      endpoint: "dttracker.webhooks",
      secrets: secret,
      dedupStore: createMemoryDedupStore(),
      transactional: true,
      handlers: {
        offer_accepted: ({ data }) => ({ type: "offer", id: data.offerId, status: "accepted" }),
        offer_declined: ({ data }) => ({ type: "offer", id: data.offerId, status: "declined" }),
      },
    });
  });
});
