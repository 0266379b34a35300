/**
 * DTTracker's `send-offer-to-activation`, for real: in ONE transaction, deduct the offer's amount
 * from the brand's balance and put `campaign_created` and `offer_sent` in the outbox (same ordering
 * key, the campaign id, so the campaign is delivered first). Either both the deduction and the offer
 * commit, or neither does; a dispatcher (cron-invoked or a worker) delivers what committed.
 *
 *   npm start    # PGlite in memory and a mock Dobbletap on a free port: no set-up
 *
 * This module is also what the Supabase function imports (supabase/functions/…): the flow itself
 * needs only a `Database` from the SDK's adapters, never Node.
 */
import type { EventDataInput } from "@dttracker-dobbletap/contracts";
import { createOutbox, migrate, type Database, type EnqueueResult, type Outbox } from "@dttracker-dobbletap/sdk/postgres";

/** Dobbletap's id for the creator `wickhed7` (in real life: `dobbletapId` from creators_synced). */
export const WICKHED7_DOBBLETAP_ID = "29f99241-53d1-4f78-b9b0-2169f4a15a49";

type Campaign = EventDataInput<"campaign_created">["campaign"];
type Offer = EventDataInput<"offer_sent">["offer"];

/** The brand had less than the offer's amount: nothing was deducted and nothing was enqueued. */
export class InsufficientBalanceError extends Error {
  constructor(
    readonly brandId: string,
    readonly balanceMinor: number,
    readonly amountMinor: number,
  ) {
    super(`Brand ${brandId} has ${balanceMinor} (minor units) and the offer costs ${amountMinor}: top up the balance, then send the offer again.`);
    this.name = "InsufficientBalanceError";
  }
}

/** The outbox's tables (`migrate`) and this example's own `brands` table. Idempotent. */
export async function setUp(db: Database): Promise<void> {
  await migrate(db);
  await db.query("CREATE TABLE IF NOT EXISTS brands (id uuid PRIMARY KEY, name text NOT NULL, balance_minor bigint NOT NULL)");
}

export async function addBrand(db: Database, name: string, balanceMinor: number): Promise<string> {
  const id = crypto.randomUUID();
  await db.query("INSERT INTO brands (id, name, balance_minor) VALUES ($1, $2, $3)", [id, name, balanceMinor]);
  return id;
}

export async function balanceOf(db: Database, brandId: string): Promise<number> {
  const { rows } = await db.query<{ balance_minor: string | number }>("SELECT balance_minor FROM brands WHERE id = $1", [brandId]);
  if (rows[0] === undefined) throw new Error(`No brand ${brandId}.`);
  return Number(rows[0].balance_minor);
}

export interface SendOfferInput {
  brandId: string;
  campaign: Campaign;
  offer: Offer;
}

export interface SendOfferResult {
  campaignEventId: string;
  offerEventId: string;
  /** What the brand sees: `{ synced: false, error: null, retryQueued: true }`. */
  syncStatus: EnqueueResult["syncStatus"];
  balanceMinor: number;
}

/** Deducts and enqueues in one transaction; throws `InsufficientBalanceError` (nothing committed) when the balance is short. */
export async function sendOfferToActivation(db: Database, outbox: Outbox, { brandId, campaign, offer }: SendOfferInput): Promise<SendOfferResult> {
  return db.transaction(async (tx) => {
    const amount = offer.amount.amountMinor;
    // FOR UPDATE: two offers of one brand at once cannot both spend the same balance.
    const { rows } = await tx.query<{ balance_minor: string | number }>("SELECT balance_minor FROM brands WHERE id = $1 FOR UPDATE", [brandId]);
    if (rows[0] === undefined) throw new Error(`No brand ${brandId}: create it before sending offers.`);
    const balance = Number(rows[0].balance_minor);
    const { rows: updated } = await tx.query<{ balance_minor: string | number }>(
      "UPDATE brands SET balance_minor = balance_minor - $1 WHERE id = $2 RETURNING balance_minor",
      [amount, brandId],
    );
    const created = await outbox.enqueue(tx, "campaign_created", { campaign }, { orderingKey: campaign.id });
    const sent = await outbox.enqueue(tx, "offer_sent", { offer }, { orderingKey: campaign.id });
    // Checked after the writes on purpose: the throw must roll back the deduction AND the enqueues.
    if (balance < amount) throw new InsufficientBalanceError(brandId, balance, amount);
    return { campaignEventId: created.eventId, offerEventId: sent.eventId, syncStatus: sent.syncStatus, balanceMinor: Number(updated[0]!.balance_minor) };
  });
}

/** A campaign and a ₦75,000 offer to wickhed7 on it, with fresh ids. */
export function newActivation(brandId: string, amountMinor = 7_500_000): { campaign: Campaign; offer: Offer } {
  const campaignId = crypto.randomUUID();
  return {
    campaign: { id: campaignId, brand: { id: brandId, name: "Glow Cosmetics" }, title: "Naija Summer Vibes", platforms: ["tiktok"], visibility: "public" },
    offer: { id: crypto.randomUUID(), campaignId, creatorId: WICKHED7_DOBBLETAP_ID, amount: { currency: "NGN", amountMinor } },
  };
}

/** `npm start`: the whole flow on PGlite against a mock Dobbletap this process starts. */
async function main(): Promise<void> {
  const [{ PGlite }, { startMockServer }, { createDobbletapClient }, { createDispatcher, fromPGlite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@dttracker-dobbletap/mock-server"),
    import("@dttracker-dobbletap/sdk"),
    import("@dttracker-dobbletap/sdk/postgres"),
  ]);
  const mock = await startMockServer({ as: "dobbletap", port: 0 });
  const lite = new PGlite();
  try {
    const db = fromPGlite(lite);
    await setUp(db);
    const outbox = createOutbox({ db });
    const brandId = await addBrand(db, "Glow Cosmetics", 10_000_000);
    console.log(`mock Dobbletap at ${mock.url}; brand balance ₦${(await balanceOf(db, brandId)) / 100}`);

    const { campaign, offer } = newActivation(brandId);
    const sent = await sendOfferToActivation(db, outbox, { brandId, campaign, offer });
    console.log(`1. one transaction: balance now ₦${sent.balanceMinor / 100}, offer ${offer.id} enqueued, brand sees ${JSON.stringify(sent.syncStatus)}`);

    const tooBig = newActivation(brandId, 50_000_000);
    await sendOfferToActivation(db, outbox, { brandId, ...tooBig }).catch((error: Error) =>
      console.log(`2. a ₦500,000 offer: ${error.message} (balance still ₦${sent.balanceMinor / 100})`),
    );

    const dispatcher = createDispatcher({ db, clients: { dobbletap: createDobbletapClient({ baseUrl: mock.url, secret: mock.secret!, retry: false }) } });
    const run = await dispatcher.runOnce({ limit: 100, deadlineMs: 20_000 });
    console.log(`3. dispatcher.runOnce: ${run.delivered} delivered, ${run.retried} to retry, ${run.dead} dead`);

    const status = await outbox.status(sent.offerEventId);
    const synced = status?.state === "delivered";
    console.log(
      `4. outbox.status: ${status?.state}; the brand now sees ${JSON.stringify({ synced, error: null, retryQueued: !synced })}; Dobbletap's record ${JSON.stringify(status?.result)}`,
    );
    console.log(`   Dobbletap holds the offer: ${mock.state.offers.get(offer.id)?.status}; the ₦500,000 one: ${mock.state.offers.has(tooBig.offer.id)}`);
    if (!synced) process.exitCode = 1;
  } finally {
    await lite.close();
    await mock.close();
  }
}

// Deno sets import.meta.main (false when the Supabase function imports this file); Node compares paths.
const deno = (import.meta as { main?: boolean }).main;
const isMain = deno ?? import.meta.url === (await import("node:url")).pathToFileURL(process.argv[1] ?? "").href;
if (isMain) await main();
