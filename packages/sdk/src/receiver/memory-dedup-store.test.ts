// The in-memory dedup store: the claim → complete/release contract within one process, the 7-day
// retention, and the size bound (oldest forgotten first, one log line when reached).
import { events } from "@dttracker-dobbletap/contracts";
import { describe, expect, it, vi } from "vitest";
import type { Claim, ClaimOptions, StoredAnswer } from "./dedup-store.js";
import { createMemoryDedupStore, MEMORY_DEDUP_MAX_ENTRIES } from "./memory-dedup-store.js";

const DAY = 24 * 60 * 60 * 1000;
const quick: ClaimOptions = { waitMs: 200, leaseMs: 10_000 };
const answer = (eventId: string): StoredAnswer => ({
  event: "offer_sent",
  digest: "d1",
  body: { success: true, eventId, result: { type: "offer", id: events.offer_sent.example.data.offer.id, status: "offered" } },
});

function claimed<T>(claim: Claim<T>) {
  if (claim.status !== "claimed") throw new Error(`expected a claim, got ${claim.status}`);
  return claim.lease;
}

async function remember(store: ReturnType<typeof createMemoryDedupStore>, id: string) {
  await claimed(await store.claim(id, quick)).complete(answer(id));
}

describe("createMemoryDedupStore", () => {
  it("claim(id) of a new id is claimed; after complete(answer) a claim answers done with it", async () => {
    const store = createMemoryDedupStore();
    const lease = claimed(await store.claim("a", quick));
    await lease.complete(answer("a"));
    expect(await store.claim("a", quick)).toEqual({ status: "done", answer: answer("a") });
  });

  it("claim(id) after release() is claimed again: failures are not remembered", async () => {
    const store = createMemoryDedupStore();
    await claimed(await store.claim("a", quick)).release();
    expect((await store.claim("a", quick)).status).toBe("claimed");
  });

  it("claim(id) while another holds it waits, then answers done with the holder's answer", async () => {
    const store = createMemoryDedupStore();
    const lease = claimed(await store.claim("a", quick));
    const second = store.claim("a", { waitMs: 5_000, leaseMs: 10_000 });
    setTimeout(() => void lease.complete(answer("a")), 20);
    expect(await second).toEqual({ status: "done", answer: answer("a") });
  });

  it("claim(id) while another holds it takes the id over once the holder releases", async () => {
    const store = createMemoryDedupStore();
    const lease = claimed(await store.claim("a", quick));
    const second = store.claim("a", { waitMs: 5_000, leaseMs: 10_000 });
    setTimeout(() => void lease.release(), 20);
    expect((await second).status).toBe("claimed");
  });

  it("claim(id) of 20 concurrent copies: exactly one is claimed, the others get its answer", async () => {
    const store = createMemoryDedupStore();
    const claims = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const claim = await store.claim("a", { waitMs: 5_000, leaseMs: 10_000 });
        if (claim.status === "claimed") {
          await new Promise((resolve) => setTimeout(resolve, 20));
          await claim.lease.complete(answer("a"));
        }
        return claim.status;
      }),
    );
    expect(claims.filter((status) => status === "claimed")).toHaveLength(1);
    expect(claims.filter((status) => status === "done")).toHaveLength(19);
  });

  it("claim(id, { waitMs }) answers busy when the holder takes longer than waitMs", async () => {
    const store = createMemoryDedupStore();
    claimed(await store.claim("a", quick));
    const started = performance.now();
    expect(await store.claim("a", { waitMs: 50, leaseMs: 10_000 })).toEqual({ status: "busy" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("claim(id) takes an id over whose lease ran out (a holder that never completed nor released)", async () => {
    const store = createMemoryDedupStore();
    claimed(await store.claim("a", { waitMs: 0, leaseMs: 30 }));
    expect((await store.claim("a", { waitMs: 2_000, leaseMs: 10_000 })).status).toBe("claimed");
  });

  it("complete() then release() of one lease: the second call does nothing", async () => {
    const store = createMemoryDedupStore();
    const lease = claimed(await store.claim("a", quick));
    await lease.complete(answer("a"));
    await lease.release();
    expect((await store.claim("a", quick)).status).toBe("done");
  });

  it("createMemoryDedupStore() remembers for 7 days by default (contract v1.1), then forgets", async () => {
    let now = 0;
    const store = createMemoryDedupStore({ now: () => now });
    await remember(store, "a");
    now = 7 * DAY - 1;
    expect((await store.claim("a", quick)).status).toBe("done");
    now = 7 * DAY;
    expect((await store.claim("a", quick)).status).toBe("claimed");
  });

  it("createMemoryDedupStore({ maxEntries }) forgets the oldest first and logs once that the bound was reached", async () => {
    const warn = vi.fn();
    const store = createMemoryDedupStore({ maxEntries: 2, warn });
    for (const id of ["a", "b", "c", "d"]) await remember(store, id);
    const statuses = [];
    for (const id of ["c", "d", "a", "b"]) statuses.push((await store.claim(id, quick)).status);
    expect(statuses).toEqual(["done", "done", "claimed", "claimed"]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/reached maxEntries \(2\).*postgresDedupStore/);
  });

  it("createMemoryDedupStore() is bounded by default at a week of 1 event/s", () => {
    expect(MEMORY_DEDUP_MAX_ENTRIES).toBeGreaterThanOrEqual(7 * 24 * 3600);
  });

  it("createMemoryDedupStore() sweeps expired ids as new ones arrive, so memory stays bounded by the retention", async () => {
    let now = 0;
    const warn = vi.fn();
    const store = createMemoryDedupStore({ retentionDays: 1, maxEntries: 1_000, now: () => now, warn });
    for (let index = 0; index < 1_000; index++) await remember(store, String(index));
    now = 2 * DAY;
    // 1 000 more: had the expired ones not been swept, the bound would be passed and logged.
    for (let index = 1_000; index < 2_000; index++) await remember(store, String(index));
    expect(warn).not.toHaveBeenCalled();
  });

  it("createMemoryDedupStore({ retentionDays: 0 }) refuses options that would remember nothing", () => {
    expect(() => createMemoryDedupStore({ retentionDays: 0 })).toThrow(RangeError);
    expect(() => createMemoryDedupStore({ maxEntries: 0 })).toThrow(RangeError);
  });
});
