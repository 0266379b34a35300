/**
 * One receiver instance, as a separate process (run by exactly-once.test.ts): node:http, the SDK's
 * transactional receiver on postgresDedupStore over a pg pool, and an offer_sent handler that
 * inserts one row into `effects` through its `tx`. SLOW_MS makes the handler wait after its insert
 * (a wider window for races); HOLD=1 makes it insert, print `HOLDING <id>` and never finish (a
 * process to SIGKILL with its transaction open).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { fromPg } from "../../src/postgres/adapters.js";
import { postgresDedupStore } from "../../src/postgres/dedup-store.js";
import { createWebhookReceiver } from "../../src/receiver/create-webhook-handler.js";
import { toNodeListener } from "../../src/receiver/node.js";

const url = process.env.DATABASE_URL;
const secret = process.env.WEBHOOK_SECRET;
if (!url || !secret) throw new Error("DATABASE_URL and WEBHOOK_SECRET must be set");
const slowMs = Number(process.env.SLOW_MS ?? "0");
const hold = process.env.HOLD === "1";

const db = fromPg(new pg.Pool({ connectionString: url, max: 20 }));
const receiver = createWebhookReceiver({
  secrets: secret,
  dedupStore: postgresDedupStore({ db }),
  transactional: true,
  duplicateWaitMs: 10_000,
  endpoint: "dobbletap.webhooks",
  handlers: {
    // This receiver is about offer_sent; the endpoint's other events succeed.
    campaign_created: ({ data }) => ({ type: "campaign", id: data.campaign.id, status: "active" }),
    activation_updated: ({ data }) => ({ type: "campaign", id: data.campaignId, status: "active" }),
    activation_cancelled: ({ data }) => ({ type: "campaign", id: data.campaignId, status: "cancelled" }),
    offer_sent: async ({ id, data: { offer } }, { tx }) => {
      await tx.query("INSERT INTO effects (offer_id, pid) VALUES ($1, $2)", [offer.id, process.pid]);
      if (hold) {
        process.stdout.write(`HOLDING ${id}\n`);
        await new Promise(() => {});
      }
      if (slowMs > 0) await new Promise((resolve) => setTimeout(resolve, slowMs));
      return { type: "offer", id: offer.id, status: "offered" };
    },
  },
  onError: (error) => process.stderr.write(`receiver error: ${error instanceof Error ? error.message : String(error)}\n`),
});

const server = createServer(toNodeListener(receiver));
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
