/**
 * DTTracker's side of steps 1 and 3 of the flow: publish an activation (`campaign_created`) and send
 * a ₦75,000 offer (`offer_sent`) to Dobbletap, printing each `syncStatus`. It sends the offer first,
 * on purpose, to show production failure #4 ("offer before campaign") and how the sender reports it,
 * then publishes the campaign and resends the offer with the SAME event id: the retry that is safe.
 *
 *   npm run mock                                # at the repo root: mock Dobbletap on 127.0.0.1:4010
 *   npm start                                   # here, with the export line the mock printed pasted
 */
import { pathToFileURL } from "node:url";
import type { EventDataInput } from "@dttracker-dobbletap/contracts";
import { createDobbletapClient, type SendResult, type SyncStatus } from "@dttracker-dobbletap/sdk";

/** Dobbletap's id for the creator `wickhed7` (in real life: `dobbletapId` from creators_synced). */
export const WICKHED7_DOBBLETAP_ID = "29f99241-53d1-4f78-b9b0-2169f4a15a49";

export interface SendOfferFlowOptions {
  /** Dobbletap's function URL, e.g. https://<project-ref>.supabase.co/functions/v1/make-server-8061e72e */
  baseUrl: string;
  /** The shared whsec_… signing secret, from your secret store. */
  secret: string;
  /** Where the report lines go (default: console.log). */
  log?: (line: string) => void;
}

export interface SendOfferFlowReport {
  campaignId: string;
  offerId: string;
  /** Step 1: the offer sent before its campaign exists on Dobbletap. */
  offerBeforeCampaign: SendResult<"offer_sent">;
  /** Step 2: the activation published. */
  campaignCreated: SendResult<"campaign_created">;
  /** Step 3: the same offer event (same id) sent again. */
  offerResent: SendResult<"offer_sent">;
}

const show = (status: SyncStatus) => JSON.stringify(status);

/** Runs the three steps against Dobbletap (or the mock) and reports what each send resolved to. */
export async function runSendOfferFlow({ baseUrl, secret, log = console.log }: SendOfferFlowOptions): Promise<SendOfferFlowReport> {
  // Retries are for what can succeed later by itself (network, 5xx); a 404 is answered at once.
  const dobbletap = createDobbletapClient({ baseUrl, secret, timeoutMs: 5_000 });

  const campaign: EventDataInput<"campaign_created">["campaign"] = {
    id: crypto.randomUUID(),
    brand: { id: "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", name: "Glow Cosmetics" },
    title: "Harmattan Glow Challenge",
    brief: "A 30-second video of your harmattan skincare routine with Glow's SPF serum.",
    platforms: ["tiktok", "instagram"],
    budget: { currency: "NGN", amountMinor: 150_000_000 },
    visibility: "public",
  };
  const offer: EventDataInput<"offer_sent">["offer"] = {
    id: crypto.randomUUID(),
    campaignId: campaign.id,
    creatorId: WICKHED7_DOBBLETAP_ID,
    // Money is never a float: ₦75,000 is 7,500,000 kobo.
    amount: { currency: "NGN", amountMinor: 7_500_000 },
    message: "Loved your last skincare reel. Would you make one for our SPF serum?",
  };

  log(`1. offer_sent before the campaign is synced (offer ${offer.id})`);
  const offerBeforeCampaign = await dobbletap.offerSent({ offer });
  log(`   HTTP ${offerBeforeCampaign.status ?? "-"} syncStatus ${show(offerBeforeCampaign.syncStatus)}`);
  // This is the moment production lost offers: the brand's balance was deducted and nothing was
  // created. syncStatus.synced is false, so DTTracker keeps the offer pending and does not charge.

  log(`2. campaign_created (campaign ${campaign.id})`);
  const campaignCreated = await dobbletap.campaignCreated({ campaign });
  log(`   HTTP ${campaignCreated.status ?? "-"} syncStatus ${show(campaignCreated.syncStatus)} result ${JSON.stringify(campaignCreated.result)}`);

  log(`3. offer_sent again with the same event id ${offerBeforeCampaign.eventId}`);
  // Dobbletap remembers only successes, so the 404 left nothing behind: the same id now succeeds.
  const offerResent = await dobbletap.offerSent({ offer }, { id: offerBeforeCampaign.eventId });
  log(`   HTTP ${offerResent.status ?? "-"} syncStatus ${show(offerResent.syncStatus)} result ${JSON.stringify(offerResent.result)}`);

  return { campaignId: campaign.id, offerId: offer.id, offerBeforeCampaign, campaignCreated, offerResent };
}

// `pnpm start`: run against the URL and secret from the environment.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    console.error("Set WEBHOOK_SECRET to the secret the mock printed at start (or your real one, from your secret store).");
    process.exit(1);
  }
  const baseUrl = process.env.DOBBLETAP_URL ?? "http://127.0.0.1:4010/functions/v1/make-server-8061e72e";
  const report = await runSendOfferFlow({ baseUrl, secret });
  process.exit(report.offerResent.syncStatus.synced ? 0 : 1);
}
