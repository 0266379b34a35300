// The rules contract v1.1 added or changed, each pinned at the schema that owns it.
import { describe, expect, it } from "vitest";
import { clearableFields } from "./campaign.js";
import { MAX_CREATORS_PER_EVENT } from "./events/creators-synced.js";
import { events } from "./events/index.js";
import { errorCodes } from "./errors.js";
import { parseEvent, parseEventData } from "./parse.js";
import { currencyCodes, IsoDateTime, Money } from "./primitives.js";

const clone = <T>(value: T): T => structuredClone(value);

describe("timestamps (v1.1: offsets accepted and normalised, senders send Z)", () => {
  it("IsoDateTime.parse normalises a numeric offset to the same instant in Z", () => {
    expect(IsoDateTime.parse("2026-02-08T11:15:00+01:00")).toBe("2026-02-08T10:15:00.000Z");
    expect(IsoDateTime.parse("2026-02-08T10:15:00+00:00")).toBe("2026-02-08T10:15:00.000Z");
    expect(IsoDateTime.parse("2026-02-08T05:45:30.250-04:30")).toBe("2026-02-08T10:15:30.250Z");
  });

  it("IsoDateTime.parse keeps a Z timestamp as written", () => {
    expect(IsoDateTime.parse("2026-02-08T10:15:00Z")).toBe("2026-02-08T10:15:00Z");
    expect(IsoDateTime.parse("2026-02-08T10:15:00.123456Z")).toBe("2026-02-08T10:15:00.123456Z");
  });

  it("parseEvent accepts supabase-js's +00:00 everywhere a timestamp goes, and yields Z", () => {
    const body = clone(events.creators_synced.example);
    body.occurredAt = "2026-02-08T09:00:00+00:00";
    body.data.creators[0]!.updatedAt = "2026-02-08T09:55:00+01:00";
    const parsed = parseEvent(body);
    if (!parsed.success) throw new Error(parsed.error.message);
    expect(parsed.event.occurredAt).toBe("2026-02-08T09:00:00.000Z");
    expect((parsed.event.data as { creators: Array<{ updatedAt: string }> }).creators[0]!.updatedAt).toBe("2026-02-08T08:55:00.000Z");
  });

  it("endsAt before startsAt is refused across offsets (compared as instants)", () => {
    const body = clone(events.campaign_created.example);
    body.data.campaign.startsAt = "2026-03-01T10:00:00+02:00"; // 08:00Z
    body.data.campaign.endsAt = "2026-03-01T09:00:00+00:00"; // 09:00Z: after, though it reads earlier
    expect(parseEvent(body).success).toBe(true);
    body.data.campaign.endsAt = "2026-03-01T07:00:00Z";
    expect(parseEvent(body).success).toBe(false);
  });
});

describe("currency (v1.1: a code the platform knows)", () => {
  it("currencyCodes is Intl.supportedValuesOf('currency')", () => {
    expect([...currencyCodes]).toEqual([...Intl.supportedValuesOf("currency")].sort());
    expect(currencyCodes).toContain("NGN");
  });

  it("Money refuses three capitals that are no currency, saying so", () => {
    const result = Money.safeParse({ currency: "ABC", amountMinor: 100 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/ABC is not a currency code this platform knows/);
    expect(Money.safeParse({ currency: "ngn", amountMinor: 100 }).error?.issues[0]?.message).toMatch(/in capitals/);
    for (const currency of ["NGN", "USD", "EUR", "GHS", "KES"]) expect(Money.safeParse({ currency, amountMinor: 1 }).success).toBe(true);
  });

  it("parseEventData names the path of a made-up currency", () => {
    const data = clone(events.offer_sent.example.data);
    data.offer.amount.currency = "XYZ";
    const checked = parseEventData("offer_sent", data);
    expect(checked.success || checked.error.issues?.map((issue) => issue.path)).toEqual(["data.offer.amount.currency"]);
  });
});

describe("activation_updated (v1.1: null clears an optional field)", () => {
  const update = (changes: Record<string, unknown>) => {
    const body = clone(events.activation_updated.example) as { data: { changes: unknown } };
    body.data.changes = changes;
    return parseEvent(body);
  };

  it.each(clearableFields)("accepts %s: null as a change, and keeps the null", (field) => {
    const parsed = update({ [field]: null });
    if (!parsed.success) throw new Error(parsed.error.message);
    expect((parsed.event.data as { changes: Record<string, unknown> }).changes[field]).toBeNull();
  });

  it.each(["title", "platforms", "visibility"])("refuses %s: null (a required field can only be replaced)", (field) => {
    const parsed = update({ [field]: null });
    expect(parsed.success || parsed.error.issues?.map((issue) => issue.path)).toEqual([`data.changes.${field}`]);
  });

  it("a cleared startsAt does not conflict with a new endsAt", () => {
    expect(update({ startsAt: null, endsAt: "2026-01-01T00:00:00Z" }).success).toBe(true);
  });
});

describe("answers (v1.1)", () => {
  it("offer_sent's result status is offered only", () => {
    expect(events.offer_sent.result.safeParse({ type: "offer", id: crypto.randomUUID(), status: "offered" }).success).toBe(true);
    for (const status of ["accepted", "declined", "cancelled"]) {
      expect(events.offer_sent.result.safeParse({ type: "offer", id: crypto.randomUUID(), status }).success).toBe(false);
    }
  });

  it("NOT_FOUND is 404 and METHOD_NOT_ALLOWED 405 in the error table; INTERNAL is 500 only", () => {
    expect([errorCodes.NOT_FOUND.status, errorCodes.METHOD_NOT_ALLOWED.status, errorCodes.INTERNAL.status]).toEqual([404, 405, 500]);
    expect(errorCodes.METHOD_NOT_ALLOWED.description).toMatch(/Allow: POST/);
    const withStatus = (status: number) => Object.values(errorCodes).filter((entry) => entry.status === status);
    expect([502, 503, 504].flatMap(withStatus)).toEqual([]);
  });

  it(`creators_synced carries 1 to ${MAX_CREATORS_PER_EVENT} creators`, () => {
    expect(MAX_CREATORS_PER_EVENT).toBe(100);
  });
});
