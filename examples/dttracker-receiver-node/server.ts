/**
 * DTTracker's two receiving endpoints on plain `node:http`, one SDK handler each:
 *
 *   POST /functions/v1/creator-sync-from-dobbletap   creators_synced
 *   POST /functions/v1/dobbletap-webhooks            offer_accepted, offer_declined
 *   POST /functions/v1/__pact/states                 Pact provider states, only when enabled
 *
 * Each handler accepts only its own events (anything else is 422 UNKNOWN_EVENT) and checks the
 * signature, size, content type and schema before your code runs.
 *
 *   WEBHOOK_SECRET=whsec_… PORT=4021 npm start
 *   (PACT_PROVIDER_STATES=on as well on a test deployment, to verify it with dttracker-dobbletap-verify)
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createMemoryDedupStore, createProviderStates, createWebhookReceiver } from "@dttracker-dobbletap/sdk";
import { toNodeListener } from "@dttracker-dobbletap/sdk/node";
import { createStore, creatorSyncHandlers, offerStatusHandlers, providerStateHandlers, type DttrackerStore } from "./store.js";

export interface DttrackerServerOptions {
  secret: string;
  store?: DttrackerStore;
  port?: number;
  log?: (line: string) => void;
  /** Mount the Pact provider-state route (a test deployment only). */
  providerStates?: boolean;
}

/** Starts DTTracker's receivers; resolves with the functions base URL and a close(). */
export async function startDttrackerServer({ secret, store = createStore(), port = 0, log, providerStates = false }: DttrackerServerOptions) {
  const onOutcome = log
    ? ({ event, id, status, code }: { event?: string; id?: string; status: number; code?: string }) =>
        log(`${event ?? "-"} ${id ?? "-"} → ${status}${code ? ` ${code}` : ""}`)
    : undefined;
  // One memory of processed ids for both endpoints; the provider-state route forgets the pacts' ids in it.
  const dedupStore = createMemoryDedupStore();
  const states = createProviderStates({ party: "dttracker", enabled: providerStates, secret, dedupStore, handlers: providerStateHandlers(store) });
  const routes = new Map([
    [
      "/functions/v1/creator-sync-from-dobbletap",
      toNodeListener(
        createWebhookReceiver({ endpoint: "dttracker.creator-sync", secrets: secret, handlers: creatorSyncHandlers(store), dedupStore, onOutcome }),
      ),
    ],
    [
      "/functions/v1/dobbletap-webhooks",
      toNodeListener(createWebhookReceiver({ endpoint: "dttracker.webhooks", secrets: secret, handlers: offerStatusHandlers(store), dedupStore, onOutcome })),
    ],
    ["/functions/v1/__pact/states", toNodeListener(states)],
  ]);
  const server: Server = createServer((req, res) => {
    const listener = routes.get(new URL(req.url ?? "/", "http://localhost").pathname);
    if (listener) return listener(req, res);
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "Not found" }));
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/functions/v1`,
    store,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

// `pnpm start`: DTTracker's receivers with the secret and port from the environment.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    console.error("Set WEBHOOK_SECRET to the whsec_… secret shared with Dobbletap.");
    process.exit(1);
  }
  // Seeded with the offer of the contract's example, so `mock-server trigger offer_accepted` finds it.
  const store = createStore([
    {
      id: "e4b8d2f6-9a1c-4e3b-8d5f-7c9a1e3b5d7f",
      campaignId: "5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f",
      creatorId: "29f99241-53d1-4f78-b9b0-2169f4a15a49",
    },
  ]);
  const server = await startDttrackerServer({
    secret,
    store,
    port: Number(process.env.PORT ?? 4021),
    log: console.log,
    providerStates: process.env.PACT_PROVIDER_STATES === "on",
  }).catch((error: NodeJS.ErrnoException) => {
    // One line, not a stack: the likely cause is the mock DTTracker (4011) or another copy.
    console.error(
      error.code === "EADDRINUSE" ? `Port ${process.env.PORT ?? 4021} is in use: stop what listens there, or set PORT to another one.` : error.message,
    );
    process.exit(1);
  });
  console.log(`DTTracker receivers at ${server.url}/creator-sync-from-dobbletap and ${server.url}/dobbletap-webhooks`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop).once("SIGTERM", stop);
}
