/**
 * Receiver cost per delivery: raw body + headers → a typed, validated `offer_sent`, next to the
 * reference library's `verify` alone and to the floor (node:crypto HMAC + timingSafeEqual +
 * JSON.parse, no validation at all). Every task handles the same ~1 KB signed delivery; nothing is
 * remembered between calls (no dedup), so every call does the whole work.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { offerSentEnvelope, secretBytes, signHeaders, type OfferSentEnvelope } from "./lib/fixtures.js";
import { contractsDist, importDist, importFromSdk, sdkDist } from "./lib/paths.js";
import { runInterleaved, type TimedTask } from "./lib/interleaved.js";
import { formatInt, formatRatio } from "./lib/table.js";
import type { Measurement } from "./lib/types.js";

type Sdk = typeof import("../packages/sdk/src/index.js");
type Contracts = typeof import("../packages/contracts/src/index.js");
/** The reference library's API as used here (it is the SDK's devDependency, not the root's). */
type StandardWebhooks = { Webhook: new (secret: string) => { verify(payload: string, headers: Record<string, string>): unknown } };

/** Deliveries per task call: keeps each timed sample far above the timer's resolution. */
const BATCH = 64;
const TOLERANCE_SECONDS = 300;

export async function measureReceiver(options: { timeMs: number; rounds: number }): Promise<Measurement> {
  const sdk = await importDist<Sdk>(sdkDist);
  const contracts = await importDist<Contracts>(contractsDist);
  const { Webhook } = await importFromSdk<StandardWebhooks>("standardwebhooks");

  const secret = sdk.generateSecret();
  const key = secretBytes(secret);
  const example = contracts.events.offer_sent.example as OfferSentEnvelope;
  const body = JSON.stringify(offerSentEnvelope(example));
  const headers = signHeaders(key, example.id, body);
  const bytes = new TextEncoder().encode(body);

  // The floor: what any correct receiver must at least do (verify the MAC in constant time, parse).
  const rawFloor = () => {
    const id = headers["webhook-id"]!;
    const timestamp = headers["webhook-timestamp"]!;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) throw new Error("stale");
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
    const given = Buffer.from(headers["webhook-signature"]!.slice(3), "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("bad signature");
    return JSON.parse(body) as unknown;
  };

  const offerSentSchema = contracts.events.offer_sent.envelope;
  const wh = new Webhook(secret);
  const verifier = sdk.createVerifier(secret);
  const accept = { accept: ["offer_sent" as const] };
  const handle = sdk.createWebhookHandler({
    secrets: secret,
    // Forgets everything, so each call runs the handler instead of answering a duplicate.
    dedupStore: {
      transactional: false,
      claim: async () => ({ status: "claimed", lease: { tx: undefined, complete: async () => {}, release: async () => {} } }),
    },
    handlers: { offer_sent: (event) => ({ type: "offer", id: event.data.offer.id, status: "offered" }) },
  });
  const url = "http://127.0.0.1/functions/v1/make-server-8061e72e/webhooks/dttracker";

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
          if (!offerSentSchema.safeParse(rawFloor()).success) throw new Error("invalid");
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
      name: "SDK core",
      batch: BATCH,
      fn: async () => {
        for (let index = 0; index < BATCH; index++) {
          await verifier.verify(headers, bytes);
          const parsed = contracts.parseEventJson(body, accept);
          if (!parsed.success) throw new Error(parsed.error.message);
        }
      },
    },
    {
      name: "SDK createWebhookHandler",
      batch: BATCH,
      fn: async () => {
        for (let index = 0; index < BATCH; index++) {
          const response = await handle(new Request(url, { method: "POST", headers, body }));
          if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
        }
      },
    },
  ];
  const measured = await runInterleaved(tasks, { rounds: options.rounds, timeMs: options.timeMs });
  const [FLOOR, FLOOR_ZOD, REFERENCE, CORE, HANDLER] = [0, 1, 2, 3, 4] as const;
  const [floor, floorZod, reference, core, handler] = [FLOOR, FLOOR_ZOD, REFERENCE, CORE, HANDLER].map(measured.median) as [
    number, number, number, number, number,
  ];
  const coreVsFloor = measured.medianRatio(CORE, FLOOR);
  const coreVsReference = measured.medianRatio(CORE, REFERENCE);
  const group = "receiver (1 KB offer_sent)";
  return {
    rows: [
      { group, name: "raw floor (HMAC + timingSafeEqual + JSON.parse)", value: `${formatInt(floor)} ops/s` },
      { group, name: "raw floor + zod (reference)", value: `${formatInt(floorZod)} ops/s`, ratio: `${formatRatio(measured.medianRatio(FLOOR_ZOD, FLOOR))} floor` },
      { group, name: "standardwebhooks verify alone", value: `${formatInt(reference)} ops/s`, ratio: `${formatRatio(measured.medianRatio(REFERENCE, FLOOR))} floor` },
      {
        group,
        name: "SDK core: verify + parse + validate",
        value: `${formatInt(core)} ops/s`,
        ratio: `${formatRatio(coreVsFloor)} floor`,
        target: "≥ 0.80× floor",
        pass: coreVsFloor >= 0.8,
      },
      {
        group,
        name: "SDK core vs standardwebhooks",
        value: "",
        ratio: `${formatRatio(coreVsReference)} sw`,
        target: "≥ 2.50× sw",
        pass: coreVsReference >= 2.5,
      },
      { group, name: "SDK createWebhookHandler (Request → Response)", value: `${formatInt(handler)} ops/s`, ratio: `${formatRatio(measured.medianRatio(HANDLER, FLOOR))} floor` },
    ],
    notes: [
      `Receiver: tinybench, ${options.rounds} interleaved rounds of ${options.timeMs} ms per task (medians; ratios taken within each round), ${BATCH} deliveries per timed call, one ~${bytes.length} B signed offer_sent; ` +
        "ops/s = deliveries per CPU-second of the bench process (CPU-time clock, so other processes' load does not count). The handler row includes building the Request and the Response and the dedup-store calls (a no-op store).",
    ],
  };
}
