/**
 * Supabase Edge Function `send-offer-to-activation` (Deno): the brand sends an offer. Deducts the
 * balance and enqueues campaign_created + offer_sent in one transaction (send-offer.ts), then
 * answers at once with `retryQueued: true`; the `outbox-dispatcher` function delivers. It never calls
 * Dobbletap itself, so a slow or down Dobbletap never fails or loses the brand's offer.
 *
 * POST { "brandId": "…", "campaign": { …campaign_created.data.campaign }, "offer": { …offer_sent.data.offer } }
 */
import { createOutbox, fromPostgresJs } from "@dttracker-dobbletap/sdk/postgres";
import postgres from "postgres";
import { InsufficientBalanceError, sendOfferToActivation, type SendOfferInput } from "../../../send-offer.ts";

interface DenoApi {
  env: { get(name: string): string | undefined };
  serve(handler: (request: Request) => Promise<Response>): unknown;
}
const Deno: DenoApi = (globalThis as unknown as { Deno: DenoApi }).Deno;

// Supabase sets SUPABASE_DB_URL; use its transaction pooler (port 6543) with prepare: false.
const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 2, prepare: false, onnotice: () => {} });
const db = fromPostgresJs(sql);
const outbox = createOutbox({ db });

Deno.serve(async (request) => {
  if (request.method !== "POST") return Response.json({ error: "POST a JSON body { brandId, campaign, offer }." }, { status: 405 });
  let input: SendOfferInput;
  try {
    input = (await request.json()) as SendOfferInput;
  } catch {
    return Response.json({ error: "The body is not JSON: send { brandId, campaign, offer }." }, { status: 400 });
  }
  try {
    const sent = await sendOfferToActivation(db, outbox, input);
    return Response.json({ offerEventId: sent.offerEventId, syncStatus: sent.syncStatus, balanceMinor: sent.balanceMinor }, { status: 202 });
  } catch (error) {
    if (error instanceof InsufficientBalanceError) return Response.json({ error: error.message }, { status: 402 });
    // A RequestValidationError lists each issue; nothing was written.
    if (error instanceof Error && error.name === "RequestValidationError") return Response.json({ error: error.message }, { status: 422 });
    throw error;
  }
});
