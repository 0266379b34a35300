/**
 * Receiver cost per delivery, in process, on CPU time: one ~1 KB signed `offer_sent` through what
 * users run — `receive()` on bytes + headers (what `toNodeListener` and the mock call; reached
 * through lib/receiver-entry.ts) and `createWebhookHandler` on a Web `Request` (what Deno and
 * Supabase run, Request construction included) — next to the raw floor (node:crypto HMAC verify in
 * constant time + JSON.parse + the JSON answer, no validation) and to `standardwebhooks`' bare
 * verify. The receivers use a dedup store that forgets everything (the `DedupStore` contract, no
 * state), so every call does the whole work: claim, handler, digest, complete.
 *
 * Then the growth in body size: `creators_synced` of 1, 10 and 100 creators (the contract's cap)
 * through `receive()`, and the creator-sync answer check (`parseSuccessAnswer` with the data, what
 * the sender and the receiver run on every sync) at 100 and 1,000 creators — past the cap on
 * purpose: the check's order in the batch size shows there.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { offerSentEnvelope, secretBytes, signHeaders, type OfferSentEnvelope } from "./lib/fixtures.js";
import { contractsDist, importDist, importFromSdk, sdkDist } from "./lib/paths.js";
import { runInterleaved, type TimedTask } from "./lib/interleaved.js";
import { dobbletapHandlers, receiveEntry } from "./lib/receiver-entry.js";
import { formatInt, formatMicros, formatRatioSpread } from "./lib/table.js";
import type { Measurement, Row } from "./lib/types.js";

type Sdk = typeof import("../packages/sdk/src/index.js");
type Contracts = typeof import("../packages/contracts/src/index.js");
/** The reference library's API as used here (it is the SDK's devDependency, not the root's). */
type StandardWebhooks = { Webhook: new (secret: string) => { verify(payload: string, headers: Record<string, string>): unknown } };

/** Deliveries per task call: keeps each timed sample far above the timer's resolution. */
const BATCH = 64;
const TOLERANCE_SECONDS = 300;

/** Awaits only what is a promise: a synchronous receiver is not charged for awaits it does not make. */
const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === "function";

/** A dedup store that remembers nothing: every delivery is claimed and completed, none is a duplicate. */
const forgetfulStore = {
  transactional: false as const,
  claim: async () => ({ status: "claimed" as const, lease: { tx: undefined, complete: async () => {}, release: async () => {} } }),
};

function creators(count: number, updatedAt: string) {
  return Array.from({ length: count }, (_, index) => ({
    dobbletapId: randomUUID(),
    handle: `creator_${index}`,
    displayName: `Creator ${index}`,
    platforms: [
      { platform: "tiktok", handle: `creator_${index}`, followers: 1000 + index },
      { platform: "instagram", handle: `creator_${index}`, followers: 500 + index },
    ],
    status: "active",
    updatedAt,
  }));
}

export async function measureReceiver(options: { timeMs: number; rounds: number; growthRounds: number; growthTimeMs: number }): Promise<Measurement> {
  const sdk = await importDist<Sdk>(sdkDist);
  const contracts = await importDist<Contracts>(contractsDist);
  const { Webhook } = await importFromSdk<StandardWebhooks>("standardwebhooks");

  const secret = sdk.generateSecret();
  const key = secretBytes(secret);
  const example = contracts.events.offer_sent.example as OfferSentEnvelope;
  const body = JSON.stringify(offerSentEnvelope(example));
  const headers = signHeaders(key, example.id, body);
  const bytes = new TextEncoder().encode(body);

  // The floor: what any correct receiver must at least do (verify the MAC in constant time, parse,
  // answer in JSON).
  const rawFloor = () => {
    const id = headers["webhook-id"]!;
    const timestamp = headers["webhook-timestamp"]!;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) throw new Error("stale");
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
    const given = Buffer.from(headers["webhook-signature"]!.slice(3), "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("bad signature");
    const event = JSON.parse(body) as OfferSentEnvelope;
    return { event, answer: JSON.stringify({ success: true, eventId: event.id, result: { type: "offer", id: event.data.offer.id, status: "offered" } }) };
  };

  const offerSentSchema = contracts.events.offer_sent.envelope;
  const wh = new Webhook(secret);
  const handlerOptions = {
    secrets: secret,
    dedupStore: forgetfulStore,
    ...dobbletapHandlers(contracts as never, (event) => ({ type: "offer", id: event.data.offer.id, status: "offered" })),
  };
  const entry = receiveEntry(sdk as unknown as Record<string, unknown>, handlerOptions);
  const handle = sdk.createWebhookHandler(handlerOptions as never);
  const url = "http://127.0.0.1/functions/v1/make-server-8061e72e/webhooks/dttracker";

  // Every path must answer the delivery with a 200 before anything is timed.
  const first = await entry.receive(bytes, headers);
  if (first.status !== 200) throw new Error(`receive(): status ${first.status}: ${String(first.body)}`);

  const tasks: TimedTask[] = [
    {
      name: "raw floor",
      batch: BATCH,
      fn: () => {
        for (let index = 0; index < BATCH; index++) rawFloor();
      },
    },
    {
      name: "raw floor + zod",
      batch: BATCH,
      fn: () => {
        for (let index = 0; index < BATCH; index++) {
          if (!offerSentSchema.safeParse(rawFloor().event).success) throw new Error("invalid");
        }
      },
    },
    {
      name: "standardwebhooks verify",
      batch: BATCH,
      fn: () => {
        for (let index = 0; index < BATCH; index++) wh.verify(body, headers);
      },
    },
    {
      name: "receive()",
      batch: BATCH,
      fn: async () => {
        for (let index = 0; index < BATCH; index++) {
          let answer = entry.receive(bytes, headers);
          if (isPromise(answer)) answer = await answer;
          if (answer.status !== 200) throw new Error(`receive(): status ${answer.status}`);
        }
      },
    },
    {
      name: "createWebhookHandler(Request)",
      batch: BATCH,
      fn: async () => {
        for (let index = 0; index < BATCH; index++) {
          const response = await handle(new Request(url, { method: "POST", headers, body }));
          if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
          await response.text();
        }
      },
    },
  ];
  const measured = await runInterleaved(tasks, { rounds: options.rounds, timeMs: options.timeMs });
  const [FLOOR, FLOOR_ZOD, REFERENCE, RECEIVE, HANDLER] = [0, 1, 2, 3, 4] as const;
  const ops = (task: number) => `${formatInt(measured.median(task))} ops/s`;
  const receiveVsFloor = measured.ratio(RECEIVE, FLOOR);
  const receiveVsReference = measured.ratio(RECEIVE, REFERENCE);
  const handlerVsFloor = measured.ratio(HANDLER, FLOOR);
  const group = "receiver (1 KB offer_sent, CPU time)";
  const rows: Row[] = [
    { group, name: "raw floor: node:crypto HMAC verify + JSON.parse + JSON answer", value: ops(FLOOR) },
    { group, name: "raw floor + zod validation (reference)", value: ops(FLOOR_ZOD), ratio: `${formatRatioSpread(measured.ratio(FLOOR_ZOD, FLOOR))} floor` },
    { group, name: "standardwebhooks' bare verify", value: ops(REFERENCE), ratio: `${formatRatioSpread(measured.ratio(REFERENCE, FLOOR))} floor` },
    {
      group,
      name: "receive() on bytes + headers, vs floor",
      value: ops(RECEIVE),
      ratio: `${formatRatioSpread(receiveVsFloor)} floor`,
      target: "≥ 0.45× floor",
      pass: receiveVsFloor.median >= 0.45,
    },
    {
      group,
      name: "receive() vs standardwebhooks' verify",
      value: "",
      ratio: `${formatRatioSpread(receiveVsReference)} sw`,
      target: "≥ 2.00× sw",
      pass: receiveVsReference.median >= 2,
    },
    {
      group,
      name: "createWebhookHandler(new Request(…)) → Response",
      value: ops(HANDLER),
      ratio: `${formatRatioSpread(handlerVsFloor)} floor`,
      target: "≥ 0.20× floor",
      pass: handlerVsFloor.median >= 0.2,
    },
  ];
  const notes = [
    `Receiver: tinybench on a CPU-time clock (process.cpuUsage: user + system of every thread of the bench process), ${options.rounds} interleaved rounds of ` +
      `${options.timeMs} ms per task, ${BATCH} deliveries per timed call, one ~${bytes.length} B signed offer_sent; ops/s = deliveries per CPU-second; ` +
      "medians over rounds, ratios taken inside each round (median and IQR of the per-round ratios). " +
      `receive() is reached as ${entry.via}; a synchronous answer is not awaited. The receivers' dedup store forgets everything, so every call claims, runs the handler and completes. ` +
      "The createWebhookHandler row includes building the Request and reading the Response.",
  ];

  // Growth in body size.
  const secretForGrowth = secret;
  const syncEntry = receiveEntry(sdk as unknown as Record<string, unknown>, {
    endpoint: "dttracker.creator-sync",
    secrets: secretForGrowth,
    dedupStore: forgetfulStore,
    handlers: {
      creators_synced: (event: { data: { creators: Array<{ dobbletapId: string }> } }) => ({
        synced: event.data.creators.map((creator) => ({ dobbletapId: creator.dobbletapId, dttrackerId: creator.dobbletapId })),
        failed: [],
      }),
    },
  });
  const syncExample = contracts.events.creators_synced.example;
  const signedSync = (count: number) => {
    const envelope = { ...syncExample, id: randomUUID(), data: { creators: creators(count, syncExample.data.creators[0]!.updatedAt) } };
    const text = JSON.stringify(envelope);
    return { bytes: new TextEncoder().encode(text), headers: signHeaders(key, envelope.id, text), size: text.length };
  };
  const bodySizes = [1, 10, 100] as const;
  const syncDeliveries = bodySizes.map(signedSync);
  for (const [index, delivery] of syncDeliveries.entries()) {
    const answer = await syncEntry.receive(delivery.bytes, delivery.headers);
    if (answer.status !== 200) throw new Error(`receive() of creators_synced × ${bodySizes[index]}: status ${answer.status}: ${String(answer.body)}`);
  }
  const answerSizes = [100, 1000] as const;
  const answerChecks = answerSizes.map((count) => {
    const data = { creators: creators(count, syncExample.data.creators[0]!.updatedAt) };
    const answer = {
      success: true,
      eventId: randomUUID(),
      result: { synced: data.creators.map((creator) => ({ dobbletapId: creator.dobbletapId, dttrackerId: randomUUID() })), failed: [] },
    };
    return { data, answer };
  });
  for (const check of answerChecks) {
    const parsed = contracts.parseSuccessAnswer("creators_synced", check.answer, check.data as never);
    if (!parsed.success) throw new Error(`the answer check refused a complete answer: ${JSON.stringify(parsed.issues[0])}`);
  }
  const growthTasks: TimedTask[] = [
    ...syncDeliveries.map((delivery, index) => ({
      name: `receive creators_synced × ${bodySizes[index]}`,
      batch: 8,
      fn: async () => {
        for (let repeat = 0; repeat < 8; repeat++) {
          let answer = syncEntry.receive(delivery.bytes, delivery.headers);
          if (isPromise(answer)) answer = await answer;
          if (answer.status !== 200) throw new Error(`status ${answer.status}`);
        }
      },
    })),
    ...answerChecks.map((check, index) => ({
      name: `answer check × ${answerSizes[index]}`,
      batch: 4,
      fn: () => {
        for (let repeat = 0; repeat < 4; repeat++) contracts.parseSuccessAnswer("creators_synced", check.answer, check.data as never);
      },
    })),
  ];
  const growth = await runInterleaved(growthTasks, { rounds: options.growthRounds, timeMs: options.growthTimeMs });
  const micros = (task: number) => 1e6 / growth.median(task);
  const growthGroup = "growth: body size (CPU time)";
  bodySizes.forEach((count, index) => {
    rows.push({
      group: growthGroup,
      name: `receive() creators_synced × ${count} (${formatInt(syncDeliveries[index]!.size)} B)`,
      value: `${formatMicros(micros(index))}/delivery`,
      ratio: `${formatMicros(micros(index) / count)}/creator`,
    });
  });
  const perCreator = answerSizes.map((count, index) => micros(bodySizes.length + index) / count);
  // Linear: the cost per creator stays about flat from 100 to 1,000; quadratic would multiply it by
  // ~10. The bound is 3×, not 1.5×: a linear check over 10× the data still slows per item as its
  // arrays and sets outgrow the CPU caches (measured: ~1.4× at 1,000 and ~1.9× at 10,000 per creator).
  // ops(×100) / ops(×1,000) = time(×1,000) / time(×100), per round; per creator: × 100 / 1,000.
  const answerGrowth = growth.ratio(bodySizes.length, bodySizes.length + 1);
  const scale = answerSizes[0] / answerSizes[1];
  const perCreatorGrowth = { median: answerGrowth.median * scale, q1: answerGrowth.q1 * scale, q3: answerGrowth.q3 * scale };
  answerSizes.forEach((count, index) => {
    rows.push({
      group: growthGroup,
      name: `creator-sync answer check × ${formatInt(count)}${count > 100 ? " (past the cap, to show the order)" : ""}`,
      value: `${formatMicros(micros(bodySizes.length + index))}/check`,
      ratio: `${formatMicros(perCreator[index]!)}/creator`,
      ...(index === answerSizes.length - 1 ? { target: "linear: per creator ×1,000 ≤ 3× ×100 (quadratic: ~10×)", pass: perCreatorGrowth.median <= 3 } : {}),
    });
  });
  notes.push(
    `Body-size growth: the same clock and method, ${options.growthRounds} interleaved rounds of ${options.growthTimeMs} ms per size; creators with two platforms each. ` +
      'The answer check is parseSuccessAnswer("creators_synced", answer, data), whose relation check maps every sent creator to an outcome; its per-creator cost from ×100 to ×1,000 ' +
      `is ${formatRatioSpread(perCreatorGrowth)} (1.0× is linear, 10× quadratic).`,
  );
  return { rows, notes };
}
