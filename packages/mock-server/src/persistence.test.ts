// The mock keeps its state in PGlite (--data-dir) or PostgreSQL (--database-url): an offer sent to
// one run is still there after a restart, and its delivery is still remembered (duplicate: true).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { events } from "@dttracker-dobbletap/contracts";
import { createDobbletapClient } from "@dttracker-dobbletap/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/support/postgres.js";
import { openPersistence, type PersistenceOptions } from "./persistence.js";
import { startMockServer } from "./server.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function where(kind: "pglite" | "postgres"): Promise<PersistenceOptions> {
  if (kind === "pglite") {
    const dataDir = mkdtempSync(join(tmpdir(), "mock-data-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    return { dataDir };
  }
  const database = await createTestDatabase("mock");
  cleanups.push(() => database.drop());
  return { databaseUrl: database.url };
}

describe.each(["pglite", "postgres"] as const)("startMockServer({ persistence }) on %s", (kind) => {
  it("an offer accepted before a restart is still there after it, and its delivery is still remembered", async () => {
    const options = await where(kind);
    const secret = (await import("@dttracker-dobbletap/sdk")).generateSecret();
    const offer = { ...events.offer_sent.example.data.offer, id: crypto.randomUUID() };
    const id = crypto.randomUUID();

    const first = await openPersistence(options);
    const mock = await startMockServer({ secret, persistence: first });
    const client = createDobbletapClient({ baseUrl: mock.url, secret, retry: false });
    const sent = await client.send("offer_sent", { offer }, { id });
    expect(sent.syncStatus.synced).toBe(true);
    await mock.close();
    await first.close();

    const second = await openPersistence(options);
    const again = await startMockServer({ secret, persistence: second });
    try {
      expect(again.state.offers.get(offer.id)?.status).toBe("offered");
      const resent = await createDobbletapClient({ baseUrl: again.url, secret, retry: false }).send("offer_sent", { offer }, { id });
      expect([resent.syncStatus.synced, resent.duplicate]).toEqual([true, true]);
    } finally {
      await again.close();
      await second.close();
    }
  });
});

it("openPersistence() needs exactly one of dataDir and databaseUrl", async () => {
  await expect(openPersistence({})).rejects.toThrow(/exactly one/);
});
