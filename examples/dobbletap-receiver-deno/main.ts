/**
 * Dobbletap's webhook receiver as a Supabase Edge Function: this file is what
 * `supabase/functions/make-server-8061e72e/index.ts` would hold. Supabase serves the function at
 * `https://<project-ref>.supabase.co/functions/v1/make-server-8061e72e`, so DTTracker posts to
 * `…/make-server-8061e72e/webhooks/dttracker`. Locally: `WEBHOOK_SECRET=… PORT=4020 npm start`.
 *
 * State lives in Postgres, shared by every instance: `DATABASE_URL` (on Supabase, the function's
 * `SUPABASE_DB_URL`) through postgres.js, or else a PGlite database in `./.data/dobbletap` (a file,
 * so a restart keeps it). The SDK's postgresDedupStore remembers each delivery in the same
 * transaction as the handler's rows (`transactional: true`).
 *
 * On a test deployment, `PACT_PROVIDER_STATES=on` also mounts Pact's provider states at
 * `…/make-server-8061e72e/__pact/states` (signed requests only), for dttracker-dobbletap-verify.
 */
import { createProviderStates, createWebhookHandler } from "@dttracker-dobbletap/sdk";
import { fromPGlite, fromPostgresJs, migrate, postgresDedupStore, type Database } from "@dttracker-dobbletap/sdk/postgres";
import { createHandlers, createTables, providerStateHandlers } from "./store.ts";

const secret = Deno.env.get("WEBHOOK_SECRET");
if (!secret) {
  console.error("Set WEBHOOK_SECRET to the whsec_… secret shared with DTTracker (e.g. `supabase secrets set`).");
  Deno.exit(1);
}

async function openDatabase(): Promise<Database> {
  const url = Deno.env.get("DATABASE_URL") ?? Deno.env.get("SUPABASE_DB_URL");
  if (url) {
    const { default: postgres } = await import("postgres");
    // prepare: false works through Supabase's transaction pooler (port 6543) too.
    return fromPostgresJs(postgres(url, { prepare: false, onnotice: () => {} }));
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const dir = Deno.env.get("PGLITE_DIR") ?? "./.data/dobbletap";
  // PGlite makes only the last folder of its path: make its parent.
  const parent = dir.replace(/\/+[^/]+\/*$/, "");
  if (parent !== "" && parent !== dir) Deno.mkdirSync(parent, { recursive: true });
  return fromPGlite(await PGlite.create(dir));
}

const db = await openDatabase();
await migrate(db); // the SDK's tables (webhook_kit.inbox, …); idempotent
await createTables(db); // Dobbletap's own tables
const dedupStore = postgresDedupStore({ db });
// Refused (404) unless enabled, and (401) unless signed with the receiver's key: safe to ship.
const states = createProviderStates({
  party: "dobbletap",
  enabled: Deno.env.get("PACT_PROVIDER_STATES") === "on",
  secret,
  dedupStore,
  handlers: providerStateHandlers(db),
});
const handle = createWebhookHandler({
  secrets: secret,
  dedupStore,
  transactional: true,
  endpoint: "dobbletap.webhooks",
  handlers: createHandlers(),
  // One line per delivery: event, id, outcome. Never the body, the headers or the secret.
  onOutcome: ({ event, id, status, code, duplicate, ms }) =>
    console.log(`${event ?? "-"} ${id ?? "-"} → ${status}${code ? ` ${code}` : ""}${duplicate ? " (duplicate)" : ""} ${ms.toFixed(1)} ms`),
});

const port = Number(Deno.env.get("PORT") ?? "4020");
try {
  serve();
} catch (error) {
  // One line, not a stack: the likely cause is the mock Dobbletap (4010) or another copy.
  if (!(error instanceof Deno.errors.AddrInUse)) throw error;
  console.error(`Port ${port} is in use: stop what listens there, or set PORT to another one.`);
  Deno.exit(1);
}

function serve() {
  Deno.serve(
    {
      hostname: "127.0.0.1",
      port,
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
}
