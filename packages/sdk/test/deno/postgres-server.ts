/**
 * A receiver as a Supabase Edge Function that keeps its state in Postgres: Deno.serve, postgres.js
 * (what Supabase recommends on Deno), postgresDedupStore and a transactional handler whose insert
 * commits with the remembered answer. Run by postgres.test.ts under the real deno binary; the
 * tables were migrated by the test. A handler whose offer message is "fail once" inserts its row,
 * then throws the first time (the retry succeeds).
 */
import { ContractError, createWebhookHandler } from "@dttracker-dobbletap/sdk";
import { fromPostgresJs, postgresDedupStore } from "@dttracker-dobbletap/sdk/postgres";
import postgres from "postgres";

// The workspace's tsc (Node types) also checks this file and knows no `Deno` global.
interface DenoApi {
  env: { get(name: string): string | undefined };
  exit(code: number): never;
  serve(
    options: { hostname: string; port: number; onListen(address: { hostname: string; port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
}
const Deno: DenoApi = (globalThis as unknown as { Deno: DenoApi }).Deno;

const secret = Deno.env.get("WEBHOOK_SECRET");
const url = Deno.env.get("DATABASE_URL");
if (!secret || !url) {
  console.error("Set WEBHOOK_SECRET and DATABASE_URL.");
  Deno.exit(1);
}

const db = fromPostgresJs(postgres(url, { max: 10, onnotice: () => {} }));
const failed = new Set<string>();
const handle = createWebhookHandler({
  secrets: secret,
  dedupStore: postgresDedupStore({ db }),
  transactional: true,
  endpoint: "dobbletap.webhooks",
  handlers: {
    // This receiver is about offer_sent; the endpoint's other events succeed.
    campaign_created: ({ data }) => ({ type: "campaign", id: data.campaign.id, status: "active" }),
    activation_updated: ({ data }) => ({ type: "campaign", id: data.campaignId, status: "active" }),
    activation_cancelled: ({ data }) => ({ type: "campaign", id: data.campaignId, status: "cancelled" }),
    offer_sent: async ({ id, data: { offer } }, { tx }) => {
      await tx.query("INSERT INTO effects (offer_id) VALUES ($1)", [offer.id]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (offer.message === "fail once" && !failed.has(id)) {
        failed.add(id);
        throw new ContractError("CAMPAIGN_NOT_FOUND", `Campaign ${offer.campaignId} is not known here yet.`);
      }
      return { type: "offer", id: offer.id, status: "offered" };
    },
  },
  onOutcome: ({ status, code, event, id, duplicate }) =>
    console.log(`outcome ${status} ${code ?? "-"} ${event ?? "-"} ${id ?? "-"}${duplicate ? " duplicate" : ""}`),
});

Deno.serve(
  {
    hostname: "127.0.0.1",
    port: Number(Deno.env.get("PORT") ?? "0"),
    onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
  },
  handle,
);
