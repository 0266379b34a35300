/**
 * fast-check arbitraries that make *valid* data for each of the contract's seven events, written
 * from the schemas in packages/contracts (round-trip.test.ts checks every value they make against
 * those schemas, so they cannot drift into making invalid data unnoticed). Values are already in the
 * schema's output form (trimmed text, no undefined keys), so what a receiver hands its handler must
 * deep-equal what was generated.
 */
import fc from "fast-check";
import { currencyCodes, type EventDataInput, type EventName } from "@dttracker-dobbletap/contracts";

/** Any RFC 9562 UUID the contract accepts (versions 1-8). */
export const uuid = fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] });

/** An ISO-8601 UTC timestamp with milliseconds and a Z, years 1970-9999 (toISOString's plain form). */
export const isoDateTime = fc
  .date({ min: new Date("1970-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true })
  .map((date) => date.toISOString());

/**
 * Free text as `text(max)` accepts and outputs it: any Unicode (astral planes included), 1 to `max`
 * UTF-16 units, no surrounding whitespace. Mostly short; sometimes right at the ceiling.
 */
export function text(max: number): fc.Arbitrary<string> {
  const trimmed = (value: string) => value.trim() === value && value.length > 0 && value.length <= max;
  return fc.oneof(
    { weight: 9, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: Math.min(max, 60) }).filter(trimmed) },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 })
        .filter((c) => c.trim() !== "")
        .map((c) => c.repeat(max)),
    },
  );
}

export const platform = fc.constantFrom("tiktok", "instagram", "youtube", "x", "facebook");
const platforms = fc.uniqueArray(platform, { minLength: 1, maxLength: 5 });

/** Money: an ISO-4217-shaped code and a positive safe integer of minor units. */
export const money = fc.record({
  currency: fc.constantFrom(...currencyCodes),
  amountMinor: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
});

export const handle = fc.stringMatching(/^[A-Za-z0-9._]{1,100}$/);

/** startsAt ≤ endsAt whenever both are present (the contract refuses an end before the start). */
function withOrderedDates<T extends { startsAt?: string; endsAt?: string }>(value: T): T {
  if (value.startsAt !== undefined && value.endsAt !== undefined && value.endsAt < value.startsAt) {
    return { ...value, startsAt: value.endsAt, endsAt: value.startsAt };
  }
  return value;
}

const editable = {
  title: text(200),
  brief: text(5000),
  platforms,
  budget: money,
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  visibility: fc.constantFrom("public" as const, "private" as const),
};

const campaign = fc
  .record({ id: uuid, brand: fc.record({ id: uuid, name: text(200) }), ...editable }, { requiredKeys: ["id", "brand", "title", "platforms", "visibility"] })
  .map(withOrderedDates);

const creator = fc.record(
  {
    dobbletapId: uuid,
    handle,
    displayName: text(200),
    platforms: fc.array(fc.record({ platform, handle, followers: fc.nat() }, { requiredKeys: ["platform", "handle"] }), { maxLength: 10 }),
    status: fc.constantFrom("active" as const, "inactive" as const),
    updatedAt: isoDateTime,
  },
  { requiredKeys: ["dobbletapId", "handle", "platforms", "status", "updatedAt"] },
);

/** One arbitrary of valid `data` per event, typed by the event map. */
export const eventData: { [E in EventName]: fc.Arbitrary<EventDataInput<E>> } = {
  campaign_created: fc.record({ campaign }),
  activation_updated: fc.record({
    campaignId: uuid,
    changes: fc
      .record(editable, { requiredKeys: [] })
      .filter((changes) => Object.keys(changes).length > 0)
      .map(withOrderedDates),
  }),
  activation_cancelled: fc.record({ campaignId: uuid, creatorId: uuid, reason: text(500) }, { requiredKeys: ["campaignId"] }),
  offer_sent: fc.record({
    offer: fc.record(
      { id: uuid, campaignId: uuid, creatorId: uuid, amount: money, message: text(2000), deadline: isoDateTime },
      { requiredKeys: ["id", "campaignId", "creatorId", "amount"] },
    ),
  }),
  creators_synced: fc.record({ creators: fc.array(creator, { minLength: 1, maxLength: 5 }) }),
  offer_accepted: fc.record({ offerId: uuid, campaignId: uuid, creatorId: uuid }),
  offer_declined: fc.record({ offerId: uuid, campaignId: uuid, creatorId: uuid, reason: text(500) }, { requiredKeys: ["offerId", "campaignId", "creatorId"] }),
};
