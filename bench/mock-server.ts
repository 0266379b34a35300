/**
 * Mock server throughput: signed `offer_sent` deliveries to the built CLI (`mock-server --as
 * dobbletap`, its defaults, per-request log lines going to a discarded stdout), next to the bare
 * node:http server that only reads the body and answers 200, driven by the same autocannon load in
 * the same run, interleaved.
 *
 * What is measured: every request is a *new* delivery — a fresh envelope id and a fresh offer id,
 * signed with node:crypto just before each run (signatures are only valid for 5 minutes, and a
 * replayed id or offer would be answered from the dedup cache, which is not the cost of real
 * traffic). Runs are a fixed number of requests, each sent once; signing is outside the timing. So each mock request does the whole job: verify, parse, validate, check the
 * campaign and creator, store the offer, log. The bare server gets the exact same requests.
 */
import autocannon from "autocannon";
import { bareServerScript, contractsDist, importDist, mockCli } from "./lib/paths.js";
import { startChildServer, type ChildServer } from "./lib/child-server.js";
import { secretBytes, uniqueSignedDelivery, type OfferSentEnvelope } from "./lib/fixtures.js";
import { median } from "./lib/interleaved.js";
import { formatInt, formatRatio } from "./lib/table.js";
import type { Measurement } from "./lib/types.js";

type Contracts = typeof import("../packages/contracts/src/index.js");

const PATH = "/functions/v1/make-server-8061e72e/webhooks/dttracker";

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

/** Signs `count` fresh deliveries now, before the clock starts (a signature is valid for 5 minutes). */
export function presign(example: OfferSentEnvelope, key: Buffer, count: number): Delivery[] {
  return Array.from({ length: count }, () => uniqueSignedDelivery(example, key));
}

type Delivery = ReturnType<typeof uniqueSignedDelivery>;

/** Sends each delivery exactly once, over `connections` keep-alive connections. */
export function load(url: string, deliveries: Delivery[], connections: number): Promise<LoadResult> {
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        amount: deliveries.length,
        requests: [
          {
            method: "POST",
            path: PATH,
            // Hands out the next pre-signed delivery: every request is a different one.
            setupRequest: (request: Record<string, unknown>) => {
              const delivery = deliveries[next++ % deliveries.length]!;
              return { ...request, body: delivery.body, headers: delivery.headers };
            },
          },
        ],
      },
      (error: Error | null, result: autocannon.Result) => {
        if (error) return reject(error);
        resolve({
          requestsPerSecond: result.requests.total / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          total: result.requests.total,
        });
      },
    );
  });
}

export async function measureMockServer(options: { rounds: number; requestsPerRun: number; connections: number; secret: string }): Promise<Measurement> {
  const contracts = await importDist<Contracts>(contractsDist);
  const example = contracts.events.offer_sent.example as OfferSentEnvelope;
  const key = secretBytes(options.secret);
  const servers: ChildServer[] = [];
  try {
    const bare = await startChildServer(process.execPath, (port) => [bareServerScript, String(port)]);
    servers.push(bare);
    const mock = await startChildServer(process.execPath, (port) => [mockCli, "--as", "dobbletap", "--port", String(port)], {
      WEBHOOK_SECRET: options.secret,
    });
    servers.push(mock);

    // Warm-up (JIT, connection setup) for both, not counted.
    const warmCount = Math.ceil(options.requestsPerRun / 5);
    await load(bare.url, presign(example, key, warmCount), options.connections);
    const mockWarm = await load(mock.url, presign(example, key, warmCount), options.connections);
    if (mockWarm.non2xx > 0) throw new Error(`the mock answered ${mockWarm.non2xx} of ${mockWarm.total} warm-up deliveries with a non-2xx status`);

    const run = (server: ChildServer) => load(server.url, presign(example, key, options.requestsPerRun), options.connections);
    const rounds: Array<{ bare: LoadResult; mock: LoadResult }> = [];
    for (let round = 0; round < options.rounds; round++) {
      // Alternate which goes first, so that neither always runs after the other's load.
      if (round % 2 === 0) {
        const bareResult = await run(bare);
        rounds.push({ bare: bareResult, mock: await run(mock) });
      } else {
        const mockResult = await run(mock);
        rounds.push({ mock: mockResult, bare: await run(bare) });
      }
    }
    const failures = rounds.reduce((sum, round) => sum + round.mock.non2xx + round.mock.errors, 0);
    const pick = (side: "bare" | "mock", field: keyof LoadResult) => median(rounds.map((round) => round[side][field]));
    const ratio = median(rounds.map((round) => round.mock.requestsPerSecond / round.bare.requestsPerSecond));
    const group = "mock server (signed offer_sent)";
    return {
      rows: [
        {
          group,
          name: "bare node:http (reads body, answers 200)",
          value: `${formatInt(pick("bare", "requestsPerSecond"))} req/s`,
          ratio: `p50 ${pick("bare", "p50")} ms, p99 ${pick("bare", "p99")} ms`,
        },
        {
          group,
          name: "mock-server CLI (verify, validate, store, log)",
          value: `${formatInt(pick("mock", "requestsPerSecond"))} req/s`,
          ratio: `${formatRatio(ratio)} bare; p50 ${pick("mock", "p50")} ms, p99 ${pick("mock", "p99")} ms`,
          target: "≥ 0.50× bare",
          pass: ratio >= 0.5 && failures === 0,
        },
      ],
      notes: [
        `Mock server: autocannon, ${options.connections} connections, ${options.rounds} interleaved rounds of ${formatInt(options.requestsPerRun)} requests per server ` +
          "(after a warm-up each), servers in child processes, load generator in the bench process (2 cores: one each). " +
          "Every request is a new delivery (fresh envelope id and offer id, pre-signed just before each run), so the mock does the full work " +
          `for each; ${failures === 0 ? "every mock answer was 200" : `${failures} mock answers were not 200 (the row fails)`}. ` +
          "Both servers get the same kind of requests from the same generator.",
      ],
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
