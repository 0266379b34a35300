/**
 * A receiver built with the SDK exactly as a Supabase Edge Function would be: `Deno.serve` and
 * `createWebhookHandler`, nothing Node-specific. Run by deno.test.ts under the real deno binary.
 *
 * The SDK is its built `dist` (mapped in deno.json); `@dttracker-dobbletap/contracts` and its
 * dependency zod resolve from the workspace's node_modules ("nodeModulesDir": "manual"), so Deno
 * fetches nothing. The secret comes from the environment; the port is picked by the OS (PORT=0).
 */
import { ContractError, createWebhookHandler } from "@dttracker-dobbletap/sdk";

// The workspace's tsc (Node types) also checks this file and knows no `Deno` global; this names the
// three calls used, without redeclaring the global that `deno check` knows.
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
if (!secret) {
  console.error("Set WEBHOOK_SECRET to a whsec_… secret.");
  Deno.exit(1);
}

// v1.1: a migrating receiver trusts the sender's whpk_ public key (v1a) as well as the v1 secret.
const verifyKey = Deno.env.get("WEBHOOK_VERIFY_KEY");

const campaigns = new Set(["5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f"]);

const handle = createWebhookHandler({
  secrets: secret,
  ...(verifyKey ? { publicKeys: [verifyKey] } : {}),
  endpoint: "dobbletap.webhooks",
  handlers: {
    // This receiver is about offer_sent; the endpoint's other events succeed.
    campaign_created: ({ data }) => ({ type: "campaign", id: data.campaign.id, status: "active" }),
    activation_updated: ({ data }) => ({ type: "campaign", id: data.campaignId, status: "active" }),
    activation_cancelled: ({ data }) => ({ type: "campaign", id: data.campaignId, status: "cancelled" }),
    offer_sent: ({ data: { offer } }) => {
      if (!campaigns.has(offer.campaignId)) {
        throw new ContractError("CAMPAIGN_NOT_FOUND", `Campaign ${offer.campaignId} is not known here. Send campaign_created first.`);
      }
      return { type: "offer", id: offer.id, status: "offered" };
    },
  },
  onOutcome: ({ status, code, event, id }) => console.log(`outcome ${status} ${code ?? "-"} ${event ?? "-"} ${id ?? "-"}`),
});

Deno.serve(
  {
    hostname: "127.0.0.1",
    port: Number(Deno.env.get("PORT") ?? "0"),
    onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
  },
  handle,
);
