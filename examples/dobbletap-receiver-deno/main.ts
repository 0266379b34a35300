/**
 * Dobbletap's webhook receiver as a Supabase Edge Function: this file is what
 * `supabase/functions/make-server-8061e72e/index.ts` would hold. Supabase serves the function at
 * `https://<project-ref>.supabase.co/functions/v1/make-server-8061e72e`, so DTTracker posts to
 * `…/make-server-8061e72e/webhooks/dttracker`. Locally: `WEBHOOK_SECRET=… PORT=8000 deno task start`.
 * On a test deployment, `PACT_PROVIDER_STATES=on` also mounts Pact's provider states at
 * `…/make-server-8061e72e/__pact/states` (signed requests only), for dttracker-dobbletap-verify.
 */
import { createMemoryDedupStore, createProviderStates, createWebhookHandler } from "@dttracker-dobbletap/sdk";
import { createHandlers, createStore, providerStateHandlers } from "./store.ts";

const secret = Deno.env.get("WEBHOOK_SECRET");
if (!secret) {
  console.error("Set WEBHOOK_SECRET to the whsec_… secret shared with DTTracker (e.g. `supabase secrets set`).");
  Deno.exit(1);
}

const store = createStore();
// In production this is a table shared by every instance; the provider states forget the pacts' ids in it.
const dedupStore = createMemoryDedupStore();
const states = createProviderStates({
  party: "dobbletap",
  enabled: Deno.env.get("PACT_PROVIDER_STATES") === "on",
  secret,
  dedupStore,
  handlers: providerStateHandlers(store),
});
const handle = createWebhookHandler({
  secrets: secret,
  handlers: createHandlers(store),
  dedupStore,
  // One line per delivery: event, id, outcome. Never the body, the headers or the secret.
  onOutcome: ({ event, id, status, code, duplicate, ms }) =>
    console.log(`${event ?? "-"} ${id ?? "-"} → ${status}${code ? ` ${code}` : ""}${duplicate ? " (duplicate)" : ""} ${ms.toFixed(1)} ms`),
});

Deno.serve(
  {
    hostname: "127.0.0.1",
    port: Number(Deno.env.get("PORT") ?? "8000"),
    onListen: ({ hostname, port }) => console.log(`Dobbletap receiver listening on http://${hostname}:${port}/functions/v1/make-server-8061e72e`),
  },
  (request) => {
    // Supabase routes every path under the function to this one handler; route it ourselves.
    const path = new URL(request.url).pathname;
    if (path.endsWith("/webhooks/dttracker")) return handle(request);
    if (path.endsWith("/__pact/states")) return states(request);
    return Response.json({ error: "Not found: POST …/webhooks/dttracker" }, { status: 404 });
  },
);
