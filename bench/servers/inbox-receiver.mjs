// A receiver with one store, for the inbox bench: node:http + the SDK's built dist. STORE=memory
// uses createMemoryDedupStore(); STORE=postgres uses postgresDedupStore over a pg pool on
// DATABASE_URL with transactional: true. The handler does the same (no writes of its own) in both,
// so the difference is the cost of the store: claim, remember, commit.
// Usage: STORE=… WEBHOOK_SECRET=… [DATABASE_URL=…] node bench/servers/inbox-receiver.mjs <port>
import { createServer } from "node:http";
import pg from "pg";
import { createMemoryDedupStore, createWebhookHandler } from "../../packages/sdk/dist/index.js";
import { toNodeListener } from "../../packages/sdk/dist/node.js";
import { fromPg, postgresDedupStore } from "../../packages/sdk/dist/postgres.js";

const store = process.env.STORE;
const handler = (event) => ({ type: "offer", id: event.data.offer.id, status: "offered" });
const options =
  store === "postgres"
    ? {
        dedupStore: postgresDedupStore({ db: fromPg(new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 60 })) }),
        transactional: true,
      }
    : { dedupStore: createMemoryDedupStore() };
const handle = createWebhookHandler({ secrets: process.env.WEBHOOK_SECRET, handlers: { offer_sent: handler }, ...options });
const server = createServer(toNodeListener(handle));
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1");
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
