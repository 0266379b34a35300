/**
 * One dispatcher as its own process, for the crash and multi-process soak tests: a Node worker
 * (`dispatcher.start`) on `pg`, delivering to the mock at MOCK_URL. Configuration comes from the
 * environment (the secret never in argv). CLOCK_SPEED > 1 runs the schedule faster than real time
 * (the clock starts at CLOCK_START, shared by every process), so a soak crosses many retries.
 */
import pg from "pg";
import { createDobbletapClient } from "../../src/index.js";
import { createDispatcher, fromPg } from "../../src/postgres/index.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const speed = Number(process.env.CLOCK_SPEED ?? "1");
const start = Number(process.env.CLOCK_START ?? Date.now());
const now = () => start + (Date.now() - start) * speed;

const pool = new pg.Pool({ connectionString: env("DATABASE_URL"), max: 8 });
const dispatcher = createDispatcher({
  db: fromPg(pool),
  name: env("DISPATCHER_NAME"),
  clients: { dobbletap: createDobbletapClient({ baseUrl: env("MOCK_URL"), secret: env("MOCK_SECRET"), retry: false, timeoutMs: 2_000 }) },
  // Longer than a send (2 s), in the scaled clock.
  leaseMs: 4_000 * speed,
  concurrency: 16,
  now,
});
const worker = dispatcher.start({ intervalMs: 20, onError: (error) => console.error("run failed:", error instanceof Error ? error.message : error) });
console.log("ready");
process.once("SIGTERM", () => {
  void worker
    .stop()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
