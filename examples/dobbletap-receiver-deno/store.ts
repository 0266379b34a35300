/**
 * Dobbletap's side of the contract, in Postgres: campaigns, the creators Dobbletap knows, offers (its
 * `creator_campaigns` rows with status `offered`) and cancelled assignments. Every handler works
 * through `tx`, the transaction in which the SDK remembers the delivery's answer: its rows and the
 * answer commit together, or neither does. So "answered ok but created nothing" (failure #5) and a
 * double offer (two instances running one delivery) cannot happen. Each handler returns the record
 * it created or found, or throws a ContractError (404, 409) that the SDK answers with its code.
 */
import { events, Offer, type Campaign, type Creator } from "@dttracker-dobbletap/contracts";
import { ContractError, duplicateResult, type ProviderStateHandlers, type TransactionalWebhookHandlers } from "@dttracker-dobbletap/sdk";
import type { Queryable } from "@dttracker-dobbletap/sdk/postgres";

/** The creator `wickhed7`: Dobbletap's own user, so it is known before any event arrives. */
export const WICKHED7 = { dobbletapId: "29f99241-53d1-4f78-b9b0-2169f4a15a49", handle: "wickhed7" };

/** Dobbletap's own tables (idempotent), and its own creators. */
export async function createTables(db: Queryable, creators: Pick<Creator, "dobbletapId" | "handle">[] = [WICKHED7]): Promise<void> {
  for (const statement of [
    "CREATE TABLE IF NOT EXISTS campaigns (id uuid PRIMARY KEY, content jsonb NOT NULL, status text NOT NULL CHECK (status IN ('active', 'cancelled')))",
    "CREATE TABLE IF NOT EXISTS creators (dobbletap_id uuid PRIMARY KEY, handle text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS creator_campaigns (offer_id uuid PRIMARY KEY, campaign_id uuid NOT NULL REFERENCES campaigns, " +
      "creator_id uuid NOT NULL REFERENCES creators, content jsonb NOT NULL, status text NOT NULL CHECK (status IN ('offered', 'accepted', 'declined', 'cancelled')))",
    "CREATE TABLE IF NOT EXISTS cancelled_assignments (campaign_id uuid NOT NULL REFERENCES campaigns, creator_id uuid NOT NULL REFERENCES creators, " +
      "id uuid NOT NULL, PRIMARY KEY (campaign_id, creator_id))",
  ]) {
    await db.query(statement);
  }
  for (const creator of creators) {
    await db.query("INSERT INTO creators (dobbletap_id, handle) VALUES ($1, $2) ON CONFLICT DO NOTHING", [creator.dobbletapId, creator.handle]);
  }
}

/** Key-order-insensitive equality of two JSON values: "the same record sent again". */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => v !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** jsonb comes back parsed from pg, postgres.js and PGlite alike; text only from odd setups. */
const json = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

async function findCampaign(tx: Queryable, campaignId: string) {
  // FOR UPDATE: an offer and a cancellation of one campaign do not interleave.
  const { rows } = await tx.query<{ content: unknown; status: "active" | "cancelled" }>("SELECT content, status FROM campaigns WHERE id = $1 FOR UPDATE", [
    campaignId,
  ]);
  const campaign = rows[0];
  if (!campaign) {
    // Production failure #4: the offer arrived before its campaign. A 404 tells DTTracker to send
    // campaign_created and retry with the same webhook-id (failures are not remembered).
    throw new ContractError("CAMPAIGN_NOT_FOUND", `Campaign ${campaignId} is not known to Dobbletap. Send campaign_created first.`);
  }
  return { content: json<Campaign>(campaign.content), status: campaign.status };
}

async function creatorKnown(tx: Queryable, creatorId: string): Promise<boolean> {
  return (await tx.query("SELECT 1 FROM creators WHERE dobbletap_id = $1", [creatorId])).rows.length > 0;
}

/** One handler per event DTTracker sends to `POST …/webhooks/dttracker`. */
export function createHandlers(): TransactionalWebhookHandlers<"campaign_created" | "activation_updated" | "activation_cancelled" | "offer_sent", Queryable> {
  return {
    campaign_created: async ({ data: { campaign } }, { tx }) => {
      const inserted = await tx.query("INSERT INTO campaigns (id, content, status) VALUES ($1, $2::jsonb, 'active') ON CONFLICT (id) DO NOTHING", [
        campaign.id,
        JSON.stringify(campaign),
      ]);
      if (inserted.rowCount === 1) return { type: "campaign", id: campaign.id, status: "active" };
      const known = await findCampaign(tx, campaign.id);
      if (!sameJson(known.content, campaign)) {
        throw new ContractError("INVALID_STATE", `Campaign ${campaign.id} already exists with different content. Send activation_updated.`);
      }
      return duplicateResult({ type: "campaign" as const, id: campaign.id, status: known.status });
    },

    activation_updated: async ({ data: { campaignId, changes } }, { tx }) => {
      const campaign = await findCampaign(tx, campaignId);
      if (campaign.status === "cancelled") {
        throw new ContractError("INVALID_STATE", `Campaign ${campaignId} is cancelled; it takes no more updates.`);
      }
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      await tx.query("UPDATE campaigns SET content = content || $2::jsonb WHERE id = $1", [campaignId, JSON.stringify(defined)]);
      return { type: "campaign", id: campaignId, status: "active" };
    },

    activation_cancelled: async ({ data: { campaignId, creatorId } }, { tx }) => {
      await findCampaign(tx, campaignId);
      if (creatorId === undefined) {
        // Cancelling a cancelled campaign again is answered 200 with its cancelled status.
        await tx.query("UPDATE campaigns SET status = 'cancelled' WHERE id = $1", [campaignId]);
        await tx.query("UPDATE creator_campaigns SET status = 'cancelled' WHERE campaign_id = $1 AND status IN ('offered', 'accepted')", [campaignId]);
        return { type: "campaign", id: campaignId, status: "cancelled" };
      }
      if (!(await creatorKnown(tx, creatorId))) {
        throw new ContractError("CREATOR_NOT_FOUND", `Creator ${creatorId} is not known to Dobbletap.`);
      }
      const { rows } = await tx.query<{ id: string }>(
        "INSERT INTO cancelled_assignments (campaign_id, creator_id, id) VALUES ($1, $2, $3) " +
          "ON CONFLICT (campaign_id, creator_id) DO UPDATE SET id = cancelled_assignments.id RETURNING id",
        [campaignId, creatorId, crypto.randomUUID()],
      );
      await tx.query("UPDATE creator_campaigns SET status = 'cancelled' WHERE campaign_id = $1 AND creator_id = $2 AND status IN ('offered', 'accepted')", [
        campaignId,
        creatorId,
      ]);
      return { type: "assignment", id: rows[0]!.id, status: "cancelled" };
    },

    offer_sent: async ({ data: { offer } }, { tx }) => {
      const known = (await tx.query<{ content: unknown }>("SELECT content FROM creator_campaigns WHERE offer_id = $1", [offer.id])).rows[0];
      if (known) {
        // The same offer under a new envelope id: identical → the existing record, else a conflict.
        // Its result says `offered` whatever it became since: the contract's offer_sent result is always `offered`.
        if (!sameJson(json(known.content), offer)) {
          throw new ContractError("INVALID_STATE", `Offer ${offer.id} already exists with different content. Send a new offer id.`);
        }
        return duplicateResult({ type: "offer" as const, id: offer.id, status: "offered" as const });
      }
      // The contract names the event's subject first: the campaign before the creator.
      const campaign = await findCampaign(tx, offer.campaignId);
      if (campaign.status === "cancelled") {
        throw new ContractError("INVALID_STATE", `Campaign ${offer.campaignId} is cancelled; it takes no more offers.`);
      }
      if (!(await creatorKnown(tx, offer.creatorId))) {
        throw new ContractError("CREATOR_NOT_FOUND", `Creator ${offer.creatorId} is not known to Dobbletap. Use the dobbletapId from creators_synced.`);
      }
      const cancelled = await tx.query("SELECT 1 FROM cancelled_assignments WHERE campaign_id = $1 AND creator_id = $2", [offer.campaignId, offer.creatorId]);
      if (cancelled.rows.length > 0) {
        throw new ContractError("INVALID_STATE", `Campaign ${offer.campaignId} is cancelled for this creator; it takes no more offers.`);
      }
      await tx.query("INSERT INTO creator_campaigns (offer_id, campaign_id, creator_id, content, status) VALUES ($1, $2, $3, $4::jsonb, 'offered')", [
        offer.id,
        offer.campaignId,
        offer.creatorId,
        JSON.stringify(offer),
      ]);
      // Production failure #5: "ok" is not an answer. Name the record that now exists.
      return { type: "offer", id: offer.id, status: "offered" };
    },
  };
}

const text = (params: Record<string, unknown>, key: string) => {
  const value = params[key];
  if (typeof value !== "string") throw new Error(`params.${key} must be a string.`);
  return value;
};

/**
 * The provider states Dobbletap's pact uses, against these tables. Mounted with createProviderStates,
 * on test deployments only. Teardown undoes only what would leak into the next interaction: the
 * offer put in place.
 */
export function providerStateHandlers(db: Queryable): ProviderStateHandlers<"dobbletap"> {
  return {
    campaignExists: async ({ params, action }) => {
      if (action === "teardown") return;
      const id = text(params, "campaignId");
      const content = JSON.stringify({ ...events.campaign_created.example.data.campaign, id });
      await db.query(
        "INSERT INTO campaigns (id, content, status) VALUES ($1, $2::jsonb, 'active') ON CONFLICT (id) DO UPDATE SET content = $2::jsonb, status = 'active'",
        [id, content],
      );
      await db.query("DELETE FROM cancelled_assignments WHERE campaign_id = $1", [id]);
    },
    campaignMissing: async ({ params, action }) => {
      if (action === "teardown") return;
      const id = text(params, "campaignId");
      // Its offers and assignments go with it: nothing can refer to a campaign Dobbletap never saw.
      await db.query("DELETE FROM creator_campaigns WHERE campaign_id = $1", [id]);
      await db.query("DELETE FROM cancelled_assignments WHERE campaign_id = $1", [id]);
      await db.query("DELETE FROM campaigns WHERE id = $1", [id]);
    },
    creatorExists: async ({ params, action }) => {
      if (action === "teardown") return;
      await db.query("INSERT INTO creators (dobbletap_id, handle) VALUES ($1, $2) ON CONFLICT (dobbletap_id) DO UPDATE SET handle = $2", [
        text(params, "creatorId"),
        text(params, "handle"),
      ]);
    },
    offerExists: async ({ params, action }) => {
      const offer = Offer.parse(params);
      if (action === "teardown") {
        await db.query("DELETE FROM creator_campaigns WHERE offer_id = $1", [offer.id]);
        return;
      }
      await db.query(
        "INSERT INTO creator_campaigns (offer_id, campaign_id, creator_id, content, status) VALUES ($1, $2, $3, $4::jsonb, 'offered') " +
          "ON CONFLICT (offer_id) DO UPDATE SET content = $4::jsonb, status = 'offered'",
        [offer.id, offer.campaignId, offer.creatorId, JSON.stringify(offer)],
      );
    },
  };
}
