// The in-memory dedup store: remembers successes for a TTL, forgets the oldest beyond its bound.
import { events } from "@dttracker-dobbletap/contracts";
import { describe, expect, it } from "vitest";
import { createMemoryDedupStore, type StoredAnswer } from "./dedup-store.js";

const answer = (eventId: string): StoredAnswer => ({
  event: "offer_sent",
  body: { success: true, eventId, result: { type: "offer", id: events.offer_sent.example.data.offer.id, status: "offered" } },
});

describe("createMemoryDedupStore", () => {
  it("createMemoryDedupStore().get(id) returns what set(id, answer) stored", () => {
    const store = createMemoryDedupStore();
    expect(store.get("a")).toBeUndefined();
    store.set("a", answer("a"));
    expect(store.get("a")).toEqual(answer("a"));
  });

  it("createMemoryDedupStore() remembers an id for 7 days by default (v1.1's retention), then forgets it", () => {
    const day = 24 * 60 * 60 * 1000;
    let now = 0;
    const store = createMemoryDedupStore({ now: () => now });
    store.set("a", answer("a"));
    now = 7 * day - 1;
    expect(store.get("a")).toEqual(answer("a"));
    now = 7 * day;
    expect(store.get("a")).toBeUndefined();
  });

  it("createMemoryDedupStore({ ttlMs }) forgets an id once its time to live has passed", () => {
    let now = 0;
    const store = createMemoryDedupStore({ ttlMs: 1000, now: () => now });
    store.set("a", answer("a"));
    now = 999;
    expect(store.get("a")).toBeDefined();
    now = 1000;
    expect(store.get("a")).toBeUndefined();
  });

  it("createMemoryDedupStore({ maxEntries }) evicts the oldest first", () => {
    const store = createMemoryDedupStore({ maxEntries: 2 });
    store.set("a", answer("a"));
    store.set("b", answer("b"));
    store.set("c", answer("c"));
    expect([store.get("a"), store.get("b"), store.get("c")].map((found) => (found as StoredAnswer | undefined)?.body.eventId)).toEqual([undefined, "b", "c"]);
  });

  it("createMemoryDedupStore().set(id) again renews the id and moves it to the newest end", () => {
    let now = 0;
    const store = createMemoryDedupStore({ ttlMs: 1000, maxEntries: 2, now: () => now });
    store.set("a", answer("a"));
    store.set("b", answer("b"));
    now = 500;
    store.set("a", answer("a"));
    store.set("c", answer("c"));
    expect(store.get("b")).toBeUndefined();
    now = 1400;
    expect(store.get("a")).toBeDefined();
  });

  it("createMemoryDedupStore() sweeps expired ids as new ones arrive, so memory stays bounded by the TTL", () => {
    let now = 0;
    const store = createMemoryDedupStore({ ttlMs: 10, now: () => now });
    for (let index = 0; index < 1000; index++) {
      now = index;
      store.set(String(index), answer(String(index)));
    }
    now = 2000;
    store.set("last", answer("last"));
    // Only the fresh id is left; everything older was swept by set().
    expect(store.get("0")).toBeUndefined();
    expect(store.get("last")).toBeDefined();
  });

  it("createMemoryDedupStore({ ttlMs: 0 }) refuses options that would remember nothing", () => {
    expect(() => createMemoryDedupStore({ ttlMs: 0 })).toThrow(RangeError);
    expect(() => createMemoryDedupStore({ maxEntries: 0 })).toThrow(RangeError);
  });
});
