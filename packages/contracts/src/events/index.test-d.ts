import { describe, expectTypeOf, it } from "vitest";
import type { EventData, EventEnvelope, EventName, EventResult, EventsAt, EventsTo } from "./index.js";

describe("the event map's types", () => {
  it("EventData gives each event's exact data type", () => {
    expectTypeOf<EventData<"offer_sent">["offer"]["amount"]>().toEqualTypeOf<{ currency: string; amountMinor: number }>();
    expectTypeOf<EventData<"creators_synced">["creators"][number]["status"]>().toEqualTypeOf<"active" | "inactive">();
    expectTypeOf<EventData<"activation_cancelled">["creatorId"]>().toEqualTypeOf<string | undefined>();
    // A wrong field is a compile error.
    // @ts-expect-error offers have no `price`; money is `amount`
    expectTypeOf<EventData<"offer_sent">["offer"]["price"]>();
    type Status = EventData<"creators_synced">["creators"][number]["status"];
    // @ts-expect-error 'pending' is not a creator status (production failure #3)
    const pending: Status = "pending";
    void pending;
  });

  it("EventEnvelope narrows on `event`", () => {
    const narrow = (envelope: EventEnvelope) => (envelope.event === "offer_declined" ? envelope.data.reason : undefined);
    expectTypeOf(narrow).returns.toEqualTypeOf<string | undefined>();
  });

  it("EventResult names the record type", () => {
    expectTypeOf<EventResult<"offer_sent">["type"]>().toEqualTypeOf<"offer">();
    expectTypeOf<EventResult<"activation_cancelled">["type"]>().toEqualTypeOf<"campaign" | "assignment">();
  });

  it("endpoints and parties select their events", () => {
    expectTypeOf<EventsAt<"dttracker.webhooks">>().toEqualTypeOf<"offer_accepted" | "offer_declined">();
    expectTypeOf<EventsTo<"dobbletap">>().toEqualTypeOf<"campaign_created" | "activation_updated" | "activation_cancelled" | "offer_sent">();
    expectTypeOf<EventName>().toEqualTypeOf<EventsTo<"dobbletap"> | EventsTo<"dttracker">>();
  });
});
