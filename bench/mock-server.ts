/**
 * HTTP figures over loopback, servers pinned to one core and the load generator (autocannon in
 * the bench process) to the other (lib/pinning.ts):
 *
 * - the SDK receiver as Node users run it, `toNodeListener(createWebhookHandler(…))` with the
 *   default in-memory dedup store, next to the raw floor as a server (bench/servers/floor-server.mjs);
 * - the mock server CLI (`mock-server --as dobbletap`, its defaults, per-request log lines to a
 *   discarded stdout) next to a bare node:http server, fastify, and Prism's mock of our own OpenAPI
 *   (`prism mock openapi/dobbletap.yaml`, its defaults).
 *
 * Every request to a verifying server is a *new* delivery — a fresh envelope id and offer id,
 * signed with node:crypto before the run — so it does the whole job (verify, parse, validate, the
 * state's rules, store, log), never a dedup hit. The figures: server CPU µs per request (from
 * /proc, the target's unit) and requests per second with p50/p99.
 */
import { join } from "node:path";
import { startPinnedServer, type ChildServer } from "./lib/child-server.js";
import { presign, secretBytes, type OfferSentEnvelope } from "./lib/fixtures.js";
import { bareServerScript, contractsDist, importDist, mockCli, repoRoot } from "./lib/paths.js";
import { describePinning, pinningWorks } from "./lib/pinning.js";
import { compareServers, cpuResolutionNote, roundRatio, type ServerFigures, type ServerUnderLoad } from "./lib/server-load.js";
import { formatInt, formatMicros, formatRatioSpread } from "./lib/table.js";
import type { Measurement, Row } from "./lib/types.js";

type Contracts = typeof import("../packages/contracts/src/index.js");

const MOCK_PATH = "/functions/v1/make-server-8061e72e/webhooks/dttracker";
// Prism serves the OpenAPI's paths under its own origin (the servers' base path is not part of them).
const PRISM_PATH = "/webhooks/dttracker";
const prismCli = join(repoRoot, "node_modules/@stoplight/prism-cli/dist/index.js");

interface Options {
  rounds: number;
  seconds: number;
  connections: number;
  secret: string;
}

function figureRow(group: string, name: string, figures: ServerFigures, extra: Partial<Row> = {}): Row {
  return {
    group,
    name,
    value: `${formatMicros(figures.median("cpuMicrosPerRequest"))} CPU/req`,
    ratio: `${formatInt(figures.median("requestsPerSecond"))} req/s; p50 ${figures.median("p50")} ms, p99 ${figures.median("p99")} ms`,
    ...extra,
  };
}

function failures(figures: ServerFigures): number {
  return figures.rounds.reduce((sum, run) => sum + run.notOk + run.errors, 0);
}

/** Starts Prism, or says why it could not (then its rows say "not run"). */
async function startPrism(): Promise<ChildServer | string> {
  try {
    return await startPinnedServer(process.execPath, (port) => [
      prismCli,
      "mock",
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      join(repoRoot, "openapi/dobbletap.yaml"),
    ]);
  } catch (error) {
    return `Prism did not start: ${(error as Error).message.split("\n")[0]}`;
  }
}

export async function measureHttp(options: Options): Promise<Measurement> {
  const contracts = await importDist<Contracts>(contractsDist);
  const example = contracts.events.offer_sent.example as OfferSentEnvelope;
  const key = secretBytes(options.secret);
  const servers: ChildServer[] = [];
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    const env = { WEBHOOK_SECRET: options.secret };
    const start = async (script: string, extraEnv: Record<string, string> = {}) => {
      const server = await startPinnedServer(process.execPath, (port) => [script, String(port)], { ...env, ...extraEnv });
      servers.push(server);
      return server;
    };
    const fresh = (count: number) => presign(example, key, count);
    // Servers that do not verify get the same kind of request; a small pool of them is enough.
    const pool = presign(example, key, 1_000);
    const reused = () => pool;
    // Enough fresh deliveries for a run at ~25k req/s; beyond, they repeat (counted, and noted).
    const prepare = Math.ceil(options.seconds * 25_000);

    // 1. The SDK receiver over node:http.
    const floor = await start(join(repoRoot, "bench/servers/floor-server.mjs"));
    const sdkReceiver = await start(join(repoRoot, "bench/servers/inbox-receiver.mjs"), { STORE: "memory" });
    const receiverFigures = await compareServers(
      [
        { name: "floor", server: floor, path: MOCK_PATH, requests: fresh, prepare },
        { name: "toNodeListener", server: sdkReceiver, path: MOCK_PATH, requests: fresh, prepare },
      ],
      options,
    );
    const [floorFigures, listenerFigures] = receiverFigures as [ServerFigures, ServerFigures];
    const listenerCpu = roundRatio(floorFigures, listenerFigures, "cpuMicrosPerRequest");
    const receiverGroup = "receiver over loopback HTTP (server CPU)";
    rows.push(
      figureRow(receiverGroup, "raw floor as a node:http server", floorFigures),
      figureRow(receiverGroup, "toNodeListener(createWebhookHandler(…)), in-memory dedup", listenerFigures, {
        ratio: `${formatRatioSpread(listenerCpu)} floor (CPU); ${formatInt(listenerFigures.median("requestsPerSecond"))} req/s; p99 ${listenerFigures.median("p99")} ms`,
      }),
    );
    await Promise.all(servers.splice(0).map((server) => server.stop()));

    // 2. The mock server and the reference servers.
    const bare = await startPinnedServer(process.execPath, (port) => [bareServerScript, String(port)]);
    servers.push(bare);
    const fastify = await start(join(repoRoot, "bench/servers/fastify-server.mjs"));
    const mock = await startPinnedServer(process.execPath, (port) => [mockCli, "--as", "dobbletap", "--port", String(port)], env);
    servers.push(mock);
    const prism = await startPrism();
    if (typeof prism !== "string") servers.push(prism);
    const targets: ServerUnderLoad[] = [
      { name: "bare", server: bare, path: MOCK_PATH, requests: reused, prepare: 1_000 },
      { name: "fastify", server: fastify, path: MOCK_PATH, requests: reused, prepare: 1_000 },
      { name: "mock", server: mock, path: MOCK_PATH, requests: fresh, prepare },
      ...(typeof prism === "string" ? [] : [{ name: "prism", server: prism, path: PRISM_PATH, requests: reused, prepare: 1_000 }]),
    ];
    const figures = await compareServers(targets, options);
    const byName = (name: string) => figures.find((figure) => figure.name === name);
    const [bareFigures, fastifyFigures, mockFigures] = [byName("bare")!, byName("fastify")!, byName("mock")!];
    const prismFigures = byName("prism");
    const mockFailures = failures(mockFigures);
    const mockCpu = mockFigures.median("cpuMicrosPerRequest");
    const vsBare = (figure: ServerFigures) => roundRatio(figure, bareFigures, "requestsPerSecond");
    const group = "mock server (signed offer_sent, loopback)";
    rows.push(
      figureRow(group, "bare node:http (reads the body, answers 200)", bareFigures),
      figureRow(group, "fastify 5 (JSON body parser + serializer)", fastifyFigures, {
        ratio: `${formatInt(fastifyFigures.median("requestsPerSecond"))} req/s, ${formatRatioSpread(vsBare(fastifyFigures))} bare; p99 ${fastifyFigures.median("p99")} ms`,
      }),
      prismFigures
        ? figureRow(group, "Prism 5 mock of openapi/dobbletap.yaml", prismFigures, {
            ratio: `${formatInt(prismFigures.median("requestsPerSecond"))} req/s, ${formatRatioSpread(vsBare(prismFigures))} bare; p99 ${prismFigures.median("p99")} ms`,
          })
        : { group, name: "Prism 5 mock of openapi/dobbletap.yaml", value: "not run", ratio: prism as string },
      figureRow(group, "mock-server CLI: CPU per signed delivery", mockFigures, {
        ratio: `${formatInt(mockFigures.median("requestsPerSecond"))} req/s, ${formatRatioSpread(vsBare(mockFigures))} bare; p99 ${mockFigures.median("p99")} ms`,
        target: "≤ 100 µs CPU/req",
        pass: mockCpu <= 100 && mockFailures === 0,
      }),
    );
    const repeats = [...receiverFigures, ...figures]
      .filter((figure) => figure.name === "toNodeListener" || figure.name === "mock" || figure.name === "floor")
      .reduce((sum, figure) => sum + figure.rounds.reduce((total, run) => total + run.repeats, 0), 0);
    const coarse = cpuResolutionNote([...receiverFigures, ...figures]);
    const prismAnswers = prismFigures ? prismFigures.rounds.reduce((sum, run) => sum + run.notOk, 0) : 0;
    notes.push(
      `HTTP: autocannon, ${options.connections} connections, ${options.rounds} interleaved rounds of ${options.seconds} s per server (after a 1 s warm-up each); ${describePinning()}. ` +
        "Server CPU per request = the server process's utime + stime (/proc/<pid>/stat, every thread) over the run ÷ requests answered; ratios taken inside each round (median, IQR). " +
        `Every request to the floor, the SDK receiver and the mock is a new signed delivery (${repeats === 0 ? "none repeated" : `${formatInt(repeats)} repeated when a run outlasted the prepared ones`}); ` +
        `bare, fastify and Prism get requests of the same kind and size. ${mockFailures === 0 ? "Every mock answer was 200" : `${mockFailures} mock answers were not 200 (its row fails)`}` +
        `${prismFigures ? `; Prism answered ${prismAnswers === 0 ? "200 to every request" : `${prismAnswers} requests with another status`} (it validates the request against the OpenAPI and answers the example)` : ""}. ` +
        `${pinningWorks ? "" : "Without pinning the CPU figures include contention. "}${coarse ? `${coarse}. ` : ""}` +
        "Prism is @stoplight/prism-cli from npm, run offline on the generated OpenAPI; the mock's and Prism's request logging is on (their defaults), to a discarded stdout.",
    );
    return { rows, notes };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
