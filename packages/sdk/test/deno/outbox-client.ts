/**
 * A DTTracker Edge Function's two halves in one Deno run, on postgres.js: `migrate`, then
 * `outbox.enqueue` inside a committed transaction and inside one that rolls back, then
 * `dispatcher.runOnce` delivering to the mock Dobbletap the test started. Run by outbox.test.ts
 * under the real deno binary; prints one `result {…}` JSON line with the ids for the test to check.
 */
import { createDobbletapClient } from "@dttracker-dobbletap/sdk";
import { createDispatcher, createOutbox, fromPostgresJs, migrate } from "@dttracker-dobbletap/sdk/postgres";
import postgres from "postgres";

// The workspace's tsc (Node types) also checks this file and knows no `Deno` global.
interface DenoApi {
  env: { get(name: string): string | undefined };
  exit(code: number): never;
}
const Deno: DenoApi = (globalThis as unknown as { Deno: DenoApi }).Deno;

const url = Deno.env.get("DATABASE_URL");
const baseUrl = Deno.env.get("DOBBLETAP_URL");
const secret = Deno.env.get("WEBHOOK_SECRET");
if (!url || !baseUrl || !secret) {
  console.error("Set DATABASE_URL, DOBBLETAP_URL and WEBHOOK_SECRET.");
  Deno.exit(1);
}

const sql = postgres(url, { max: 4, onnotice: () => {} });
const db = fromPostgresJs(sql);
const migrated = await migrate(db);
const outbox = createOutbox({ db });

const campaignId = crypto.randomUUID();
const brandId = crypto.randomUUID();
const campaign = {
  id: campaignId,
  brand: { id: brandId, name: "Glow Cosmetics" },
  title: "Deno outbox",
  platforms: ["tiktok" as const],
  visibility: "public" as const,
};
const offer = {
  id: crypto.randomUUID(),
  campaignId,
  creatorId: "29f99241-53d1-4f78-b9b0-2169f4a15a49",
  amount: { currency: "NGN" as const, amountMinor: 7_500_000 },
};

const committed = await db.transaction(async (tx) => {
  const created = await outbox.enqueue(tx, "campaign_created", { campaign });
  const sent = await outbox.enqueue(tx, "offer_sent", { offer });
  return { campaignEventId: created.eventId, offerEventId: sent.eventId, syncStatus: sent.syncStatus };
});

// A second offer whose transaction fails after the enqueue: it must never be sent.
const rolledBackOffer = { ...offer, id: crypto.randomUUID() };
let rolledBackEventId = "";
const rollback = await db
  .transaction(async (tx) => {
    rolledBackEventId = (await outbox.enqueue(tx, "offer_sent", { offer: rolledBackOffer })).eventId;
    throw new Error("insufficient balance");
  })
  .then(
    () => "committed",
    (error: Error) => error.message,
  );

const dispatcher = createDispatcher({ db, clients: { dobbletap: createDobbletapClient({ baseUrl, secret, retry: false, timeoutMs: 5_000 }) } });
const runs = [await dispatcher.runOnce({ limit: 10, deadlineMs: 10_000 }), await dispatcher.runOnce({ limit: 10, deadlineMs: 10_000 })];

console.log(
  `result ${JSON.stringify({ migrated, campaignId, offerId: offer.id, ...committed, rolledBackOfferId: rolledBackOffer.id, rolledBackEventId, rollback, runs })}`,
);
await sql.end({ timeout: 5 });
