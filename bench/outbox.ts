/**
 * Durable delivery (issue 10): `outbox.enqueue` throughput (one transaction per event) on PGlite
 * and on a real PostgreSQL server started for the run with fsync and synchronous commit on; and
 * delivery to the mock Dobbletap through 1 and 4 dispatchers (each with its own pg pool) against
 * the same events sent straight from the SDK client. Each event is a new `campaign_created` (its own
 * campaign, so its own ordering key). The mock runs in this process for every variant, so the
 * ratio compares like with like on 2 shared cores.
 */
import { join } from "node:path";
import pg from "pg";
import { startPostgresServer } from "../test/support/postgres-server.js";
import { importDist, mockServerDist, repoRoot, sdkDist, contractsDist } from "./lib/paths.js";
import { formatInt, formatRatio } from "./lib/table.js";
import type { Measurement, Row } from "./lib/types.js";

type Sdk = typeof import("../packages/sdk/src/index.js");
type Postgres = typeof import("../packages/sdk/src/postgres/index.js");
type Mock = typeof import("../packages/mock-server/src/index.js");
type Contracts = typeof import("../packages/contracts/src/index.js");

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export async function measureOutbox(options: { events: number }): Promise<Measurement> {
  const sdk = await importDist<Sdk>(sdkDist);
  const pgkit = await importDist<Postgres>(join(repoRoot, "packages/sdk/dist/postgres.js"));
  const { startMockServer } = await importDist<Mock>(mockServerDist);
  const { events } = await importDist<Contracts>(contractsDist);
  const { PGlite } = await import("@electric-sql/pglite");
  const n = options.events;
  const campaign = () => ({ campaign: { ...events.campaign_created.example.data.campaign, id: crypto.randomUUID() } });
  const rows: Row[] = [];
  const group = "outbox (durable delivery)";
  const server = await startPostgresServer({ durable: true });
  const mock = await startMockServer({ as: "dobbletap", eventLogCapacity: 100, log: false });
  const client = sdk.createDobbletapClient({ baseUrl: mock.url, secret: mock.secret, retry: false });
  const pools: pg.Pool[] = [];
  const newPool = () => {
    const p = new pg.Pool({ connectionString: server.url, max: 10 });
    pools.push(p);
    return p;
  };
  try {
    // Enqueue on PGlite: one connection, so one transaction at a time.
    const lite = pgkit.fromPGlite(await PGlite.create());
    await pgkit.migrate(lite);
    const liteOutbox = pgkit.createOutbox({ db: lite });
    let started = performance.now();
    for (let i = 0; i < n; i++) await lite.transaction((tx) => liteOutbox.enqueue(tx, "campaign_created", campaign()));
    const liteEnqueue = n / ((performance.now() - started) / 1000);
    rows.push({ group, name: "enqueue, PGlite (1 tx per event)", value: `${formatInt(liteEnqueue)} events/s` });

    // Delivery from PGlite through one dispatcher.
    started = performance.now();
    await pgkit.createDispatcher({ db: lite, clients: { dobbletap: client }, concurrency: 16 }).runOnce({ limit: n, deadlineMs: 600_000 });
    rows.push({ group, name: "delivery, PGlite, 1 dispatcher", value: `${formatInt(n / ((performance.now() - started) / 1000))} events/s` });

    // Enqueue on the real server: 8 transactions in flight.
    const db = pgkit.fromPg(newPool());
    await pgkit.migrate(db);
    const outbox = pgkit.createOutbox({ db });
    const measureEnqueue = async () => {
      const t0 = performance.now();
      await pool(Array.from({ length: n }, campaign), 8, (data) => db.transaction((tx) => outbox.enqueue(tx, "campaign_created", data)));
      return n / ((performance.now() - t0) / 1000);
    };
    const enqueueRate = await measureEnqueue();
    rows.push({
      group,
      name: "enqueue, PostgreSQL (durable), 8 in flight",
      value: `${formatInt(enqueueRate)} events/s`,
      target: "≥ 1,000 events/s",
      pass: enqueueRate >= 1000,
    });

    // Straight from the SDK client: the mock's own throughput for these events.
    started = performance.now();
    await pool(Array.from({ length: n }, campaign), 16, (data) => client.campaignCreated(data));
    const direct = n / ((performance.now() - started) / 1000);
    rows.push({ group, name: "SDK client → mock, 16 in flight (reference)", value: `${formatInt(direct)} events/s` });

    for (const count of [1, 4]) {
      // Each variant starts from a vacuumed table: the previous run's dead rows would slow its claims.
      await db.query("DELETE FROM webhook_kit.outbox");
      await db.query("VACUUM ANALYZE webhook_kit.outbox");
      await db.query("VACUUM ANALYZE webhook_kit.outbox_attempts");
      await measureEnqueue();
      await db.query("ANALYZE webhook_kit.outbox");
      const dispatchers = Array.from({ length: count }, (_, i) =>
        pgkit.createDispatcher({ db: pgkit.fromPg(newPool()), clients: { dobbletap: client }, concurrency: Math.ceil(16 / count), name: `bench-${i}` }),
      );
      started = performance.now();
      await Promise.all(dispatchers.map((d) => d.runOnce({ limit: n, deadlineMs: 600_000 })));
      const rate = n / ((performance.now() - started) / 1000);
      const left = Number((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_kit.outbox WHERE state <> 'delivered'")).rows[0]?.n);
      if (left !== 0) throw new Error(`${left} events not delivered by the ${count}-dispatcher run`);
      rows.push({
        group,
        name: `delivery, PostgreSQL, ${count} dispatcher${count > 1 ? "s" : ""} (16 in flight in all)`,
        value: `${formatInt(rate)} events/s`,
        ratio: `${formatRatio(rate / direct)} SDK client`,
        ...(count === 4 && { target: "≥ 0.50×", pass: rate / direct >= 0.5 }),
      });
    }
    return {
      rows,
      notes: [
        `Outbox: ${formatInt(n)} new campaign_created per variant; PostgreSQL started for the run with fsync and synchronous_commit on (commits wait for the WAL flush, which bounds enqueue/s); PGlite in memory.`,
        "Each delivery costs one claim statement (shared by a batch), one settle statement and one HTTP request; the mock runs in this process, so dispatchers and mock share the 2 cores.",
      ],
    };
  } finally {
    await Promise.all(pools.map((p) => p.end()));
    await mock.close();
    await server.stop();
  }
}
