/**
 * Supabase Edge Function `outbox-dispatcher` (Deno), invoked every minute by pg_cron through pg_net
 * (the SQL is in the README): delivers what the outbox holds that is due, within the function's
 * time budget, and answers with what it did. Several invocations at once are safe: each claims
 * different rows (`FOR UPDATE SKIP LOCKED`), and one that dies has its rows reclaimed after the lease.
 */
import { createDobbletapClient } from "@dttracker-dobbletap/sdk";
import { createDispatcher, fromPostgresJs } from "@dttracker-dobbletap/sdk/postgres";
import postgres from "postgres";

interface DenoApi {
  env: { get(name: string): string | undefined };
  serve(handler: (request: Request) => Promise<Response>): unknown;
}
const Deno: DenoApi = (globalThis as unknown as { Deno: DenoApi }).Deno;

const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 4, prepare: false, onnotice: () => {} });
const dispatcher = createDispatcher({
  db: fromPostgresJs(sql),
  clients: {
    // retry: false — the outbox owns the schedule; timeoutMs × 1 attempt stays well inside leaseMs.
    dobbletap: createDobbletapClient({
      baseUrl: Deno.env.get("DOBBLETAP_URL")!,
      secret: Deno.env.get("DOBBLETAP_WEBHOOK_SECRET")!,
      retry: false,
      timeoutMs: 10_000,
    }),
  },
});

Deno.serve(async () => {
  // Claim nothing new after 40 s: the sends in flight (≤ 10 s each) finish inside a 60 s budget.
  const report = await dispatcher.runOnce({ limit: 200, deadlineMs: 40_000 });
  return Response.json(report);
});
