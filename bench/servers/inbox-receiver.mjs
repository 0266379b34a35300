// A receiver with one store, for the inbox bench: node:http + the SDK's built dist. STORE=memory
// uses createMemoryDedupStore(); STORE=postgres uses postgresDedupStore with transactional: true
// over DRIVER=pg (a pg.Pool, the default), DRIVER=postgres (postgres.js) or DRIVER=pg-prepared (a
// prototype that prepares its statements, below), POOL_MAX connections (default 60), on DATABASE_URL; SYNC_COMMIT=off passes
// synchronousCommit: "off". The handler does the same (no writes of its own) in every case, so the
// difference is the cost of the store: claim, remember, commit.
// Usage: STORE=… WEBHOOK_SECRET=… [DATABASE_URL=… DRIVER=… POOL_MAX=… SYNC_COMMIT=off] node bench/servers/inbox-receiver.mjs <port>
import { createServer } from "node:http";
import pg from "pg";
import postgres from "postgres";
import { eventsAt, events } from "../../packages/contracts/dist/index.js";
import { createMemoryDedupStore, createWebhookReceiver } from "../../packages/sdk/dist/index.js";
import { toNodeListener } from "../../packages/sdk/dist/node.js";
import { fromPg, fromPostgresJs, postgresDedupStore } from "../../packages/sdk/dist/postgres.js";

const env = process.env;
const handler = (event) => ({ type: "offer", id: event.data.offer.id, status: "offered" });
const max = Number(env.POOL_MAX ?? 60);
const database = () =>
  env.DRIVER === "postgres"
    ? fromPostgresJs(postgres(env.DATABASE_URL, { max, onnotice: () => undefined }))
    : env.DRIVER === "pg-prepared"
      ? preparedPg(new pg.Pool({ connectionString: env.DATABASE_URL, max }))
      : fromPg(new pg.Pool({ connectionString: env.DATABASE_URL, max }));

// A PROTOTYPE, not the SDK's adapter: a `Database` over a pg.Pool that names every parameterised
// statement, so pg prepares each once per connection (what fromPg would do if it opted in). It
// measures what prepared statements would give the store; it is not for production use (no
// PgBouncer transaction-mode safety, no bound on the names).
function preparedPg(pool) {
  const names = new Map();
  const nameOf = (text) => {
    let name = names.get(text);
    if (name === undefined) {
      name = `kit_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  const queryable = (client) => ({
    async query(text, params = []) {
      const result = params.length === 0 ? await client.query(text) : await client.query({ name: nameOf(text), text, values: params });
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(script) {
      await client.query(script);
    },
  });
  return {
    driver: "pg",
    ...queryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let clean = true;
      try {
        await client.query("BEGIN");
        let result;
        try {
          result = await fn(queryable(client));
        } catch (error) {
          await client.query("ROLLBACK").catch(() => (clean = false));
          throw error;
        }
        await client.query("COMMIT").catch((error) => {
          clean = false;
          throw error;
        });
        return result;
      } finally {
        client.release(clean ? undefined : true);
      }
    },
  };
}
const options =
  env.STORE === "postgres"
    ? {
        dedupStore: postgresDedupStore({ db: database(), ...(env.SYNC_COMMIT === "off" ? { synchronousCommit: "off" } : {}) }),
        transactional: true,
      }
    : { dedupStore: createMemoryDedupStore() };
// `endpoint` decides the handlers: every other event of it answers its contract example result.
const handlers = Object.fromEntries(eventsAt("dobbletap.webhooks").map((name) => [name, () => structuredClone(events[name].exampleResult)]));
const receiver = createWebhookReceiver({
  endpoint: "dobbletap.webhooks",
  secrets: env.WEBHOOK_SECRET,
  handlers: { ...handlers, offer_sent: handler },
  ...options,
});
const server = createServer(toNodeListener(receiver));
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1");
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
