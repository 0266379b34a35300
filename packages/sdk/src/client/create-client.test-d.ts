/**
 * The client's types are the product: each party's methods come from the event map, each takes
 * exactly its event's data, and an event the party does not receive does not compile.
 */
import { events, type EventDataInput, type EventResult } from "@dttracker-dobbletap/contracts";
import { describe, expectTypeOf, it } from "vitest";
import { createClient, createDobbletapClient, createDttrackerClient } from "./create-client.js";
import type { DobbletapClient, DttrackerClient, PartyClient, SendResult } from "./types.js";
import { createMemoryRetryQueue } from "./retry-queue.js";

const options = { baseUrl: "http://127.0.0.1:4010", secret: "whsec_…" };
const dobbletap = createDobbletapClient(options);
const dttracker = createDttrackerClient(options);
const offer = events.offer_sent.example.data.offer;

describe("createDobbletapClient(options)", () => {
  it("has exactly campaignCreated, activationUpdated, activationCancelled, offerSent and send", () => {
    expectTypeOf(dobbletap).toEqualTypeOf<DobbletapClient>();
    expectTypeOf<keyof DobbletapClient>().toEqualTypeOf<"campaignCreated" | "activationUpdated" | "activationCancelled" | "offerSent" | "send">();
  });

  it("offerSent takes exactly offer_sent's data and resolves to its SendResult", () => {
    expectTypeOf(dobbletap.offerSent).parameter(0).toEqualTypeOf<EventDataInput<"offer_sent">>();
    expectTypeOf(dobbletap.offerSent).returns.resolves.toEqualTypeOf<SendResult<"offer_sent">>();
    expectTypeOf<SendResult<"offer_sent">["result"]>().toEqualTypeOf<EventResult<"offer_sent"> | undefined>();

    void dobbletap.offerSent({ offer });
    // @ts-expect-error a field offer_sent does not have
    void dobbletap.offerSent({ offer: { ...offer, price: 75000 } });
    // @ts-expect-error amount is Money, never a bare number
    void dobbletap.offerSent({ offer: { ...offer, amount: 75000 } });
    // @ts-expect-error another event's data
    void dobbletap.offerSent(events.campaign_created.example.data);
  });

  it("send(event, data, options) accepts only Dobbletap's events, each with its own data", () => {
    void dobbletap.send("offer_sent", { offer }, { id: crypto.randomUUID(), occurredAt: new Date() });
    void dobbletap.send("activation_cancelled", { campaignId: offer.campaignId });
    // @ts-expect-error creators_synced goes to DTTracker, not Dobbletap
    void dobbletap.send("creators_synced", events.creators_synced.example.data);
    // @ts-expect-error the data of another event
    void dobbletap.send("offer_sent", { campaignId: offer.campaignId });
  });
});

describe("createDttrackerClient(options)", () => {
  it("has creatorsSynced, offerAccepted, offerDeclined and send, and no offerSent", () => {
    expectTypeOf(dttracker).toEqualTypeOf<DttrackerClient>();
    expectTypeOf<keyof DttrackerClient>().toEqualTypeOf<"creatorsSynced" | "offerAccepted" | "offerDeclined" | "send">();
    expectTypeOf(dttracker).not.toHaveProperty("offerSent");
    // @ts-expect-error DTTracker does not receive offer_sent
    void dttracker.offerSent({ offer });
    expectTypeOf(dttracker.creatorsSynced).parameter(0).toEqualTypeOf<EventDataInput<"creators_synced">>();
    // @ts-expect-error a single creator object instead of creators[] (production failure #2)
    void dttracker.creatorsSynced({ creators: events.creators_synced.example.data.creators[0]! });
    // @ts-expect-error 'pending' is not a creator status (production failure #3)
    void dttracker.creatorsSynced({ creators: [{ ...events.creators_synced.example.data.creators[0]!, status: "pending" }] });
  });
});

describe("createClient(party, options)", () => {
  it("returns the party's client", () => {
    expectTypeOf(createClient("dobbletap", options)).toEqualTypeOf<PartyClient<"dobbletap">>();
    expectTypeOf(createClient("dttracker", options)).toEqualTypeOf<PartyClient<"dttracker">>();
    // @ts-expect-error only the two parties exist
    createClient("brand", options);
  });

  it("either client can drain a memory retry queue", () => {
    const queue = createMemoryRetryQueue();
    void queue.drain(dobbletap);
    void queue.drain(dttracker);
  });
});
