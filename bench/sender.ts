/**
 * Sender cost per call: the SDK's signed `offerSent` (validate, envelope, sign, ky, judge the answer)
 * to a loopback node:http server, next to a bare `fetch` of the same body to the same server. Calls
 * are sequential (one in flight), so the figure is the latency a caller waits for; the server runs
 * in its own process and is the same for both.
 */
import { bareServerScript, contractsDist, importDist, sdkDist } from "./lib/paths.js";
import { startPinnedServer } from "./lib/child-server.js";
import { asLoadGenerator, describePinning } from "./lib/pinning.js";
import { offerSentEnvelope, type OfferSentEnvelope } from "./lib/fixtures.js";
import { median, spread } from "./lib/interleaved.js";
import { formatRatioSpread } from "./lib/table.js";
import type { Measurement } from "./lib/types.js";

type Sdk = typeof import("../packages/sdk/src/index.js");
type Contracts = typeof import("../packages/contracts/src/index.js");

const PATH = "/webhooks/dttracker";

interface PerCall {
  wallMs: number;
  cpuMs: number;
}

async function timeCalls(calls: number, call: () => Promise<void>): Promise<PerCall> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < calls; index++) await call();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs: wallMs / calls, cpuMs: (cpu.user + cpu.system) / 1000 / calls };
}

export async function measureSender(options: { rounds: number; callsPerRound: number }): Promise<Measurement> {
  const sdk = await importDist<Sdk>(sdkDist);
  const contracts = await importDist<Contracts>(contractsDist);
  const server = await startPinnedServer(process.execPath, (port) => [bareServerScript, String(port)]);
  try {
    const example = contracts.events.offer_sent.example as OfferSentEnvelope;
    const data = offerSentEnvelope(example).data;
    const body = JSON.stringify(offerSentEnvelope(example));
    const client = sdk.createDobbletapClient({ baseUrl: server.url, secret: sdk.generateSecret() });
    const url = server.url + PATH;

    const sdkSend = async () => {
      const sent = await client.offerSent(data);
      if (!sent.success) throw new Error(`SDK send failed: ${sent.syncStatus.error?.message}`);
    };
    const bareFetch = async () => {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      await response.text();
      if (response.status !== 200) throw new Error(`bare fetch: ${response.status}`);
    };

    const rounds: Array<{ sdk: PerCall; bare: PerCall }> = [];
    await asLoadGenerator(async () => {
      // Warm both paths (JIT, connection pool) before anything is timed.
      await timeCalls(options.callsPerRound, sdkSend);
      await timeCalls(options.callsPerRound, bareFetch);
      for (let round = 0; round < options.rounds; round++) {
        // Alternate which goes first, so neither always runs on a just-warmed connection.
        if (round % 2 === 0) {
          const sdkTimes = await timeCalls(options.callsPerRound, sdkSend);
          rounds.push({ sdk: sdkTimes, bare: await timeCalls(options.callsPerRound, bareFetch) });
        } else {
          const bareTimes = await timeCalls(options.callsPerRound, bareFetch);
          rounds.push({ bare: bareTimes, sdk: await timeCalls(options.callsPerRound, sdkSend) });
        }
      }
    });
    const sdkWall = median(rounds.map((round) => round.sdk.wallMs));
    const bareWall = median(rounds.map((round) => round.bare.wallMs));
    const sdkCpu = median(rounds.map((round) => round.sdk.cpuMs));
    const bareCpu = median(rounds.map((round) => round.bare.cpuMs));
    const wallRatio = spread(rounds.map((round) => round.sdk.wallMs / round.bare.wallMs));
    const cpuRatio = spread(rounds.map((round) => round.sdk.cpuMs / round.bare.cpuMs));
    const group = "sender (loopback, sequential)";
    const us = (ms: number) => `${Math.round(ms * 1000)} µs/call`;
    return {
      rows: [
        { group, name: "wall: bare fetch of the same body", value: us(bareWall) },
        {
          group,
          name: "wall: SDK offerSent (validate + sign + send + judge)",
          value: us(sdkWall),
          ratio: `${formatRatioSpread(wallRatio)} bare`,
          target: "≤ 1.40× bare",
          pass: wallRatio.median <= 1.4,
        },
        { group, name: "client CPU: bare fetch", value: us(bareCpu) },
        {
          group,
          name: "client CPU: SDK offerSent",
          value: us(sdkCpu),
          ratio: `${formatRatioSpread(cpuRatio)} bare`,
          target: "≤ 1.40× bare",
          pass: cpuRatio.median <= 1.4,
        },
      ],
      notes: [
        `Sender: ${options.rounds} interleaved rounds of ${options.callsPerRound} sequential calls each (after a warm-up), to the bare node:http server in a child process; ${describePinning()}. ` +
          "Wall = latency per call; client CPU = the sender process's own CPU time per call (process.cpuUsage), which isolates the SDK's work from the server's. " +
          "Ratios are taken inside each round (median, IQR over rounds).",
      ],
    };
  } finally {
    await server.stop();
  }
}
