/**
 * Prototype of the receiver-core changes recommended in bench/analysis.md, measured against the SDK
 * as built and the raw floor, interleaved, in CPU time: (1) the HMAC key prepared once as a
 * node:crypto KeyObject instead of raw bytes on every createHmac, (2) a synchronous verify on Node
 * (no Promise per delivery), then the same parseEventJson. Usage: tsx bench/profile/receiver-prototype.ts
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { contractsDist, importDist, sdkDist } from "../lib/paths.js";
import { offerSentEnvelope, secretBytes, signHeaders, type OfferSentEnvelope } from "../lib/fixtures.js";
import { runInterleaved } from "../lib/interleaved.js";

type Sdk = typeof import("../../packages/sdk/src/index.js");
type Contracts = typeof import("../../packages/contracts/src/index.js");

const sdk = await importDist<Sdk>(sdkDist);
const contracts = await importDist<Contracts>(contractsDist);
const secret = sdk.generateSecret();
const key = secretBytes(secret);
const keyObject: KeyObject = createSecretKey(key);
const example = contracts.events.offer_sent.example as OfferSentEnvelope;
const body = JSON.stringify(offerSentEnvelope(example));
const headers = signHeaders(key, example.id, body);
const bytes = new TextEncoder().encode(body);
const verifier = sdk.createVerifier(secret);
const accept = { accept: ["offer_sent" as const] };
const BATCH = 64;

function floor(hmacKey: Buffer | KeyObject) {
  const id = headers["webhook-id"]!;
  const timestamp = headers["webhook-timestamp"]!;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) throw new Error("stale");
  const expected = createHmac("sha256", hmacKey).update(`${id}.${timestamp}.`).update(body).digest();
  const given = Buffer.from(headers["webhook-signature"]!.slice(3), "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("bad signature");
  return JSON.parse(body) as unknown;
}

/** What the SDK's verify does, synchronously, with a prepared KeyObject. */
function verifySync(record: Record<string, string>, raw: Uint8Array): string {
  const id = record["webhook-id"];
  const timestamp = record["webhook-timestamp"];
  const signature = record["webhook-signature"];
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) throw new Error("bad headers");
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > 300) throw new Error("stale");
  const expected = createHmac("sha256", keyObject).update(`${id}.${timestamp}.`).update(raw).digest();
  for (const part of signature.split(" ")) {
    if (!part.startsWith("v1,")) continue;
    const given = Buffer.from(part.slice(3), "base64");
    if (given.length === 32 && timingSafeEqual(given, expected)) return id;
  }
  throw new Error("no valid signature");
}

const result = await runInterleaved(
  [
    {
      name: "raw floor",
      batch: BATCH,
      fn: () => {
        for (let i = 0; i < BATCH; i++) floor(key);
      },
    },
    {
      name: "raw floor, KeyObject",
      batch: BATCH,
      fn: () => {
        for (let i = 0; i < BATCH; i++) floor(keyObject);
      },
    },
    {
      name: "SDK core as built",
      batch: BATCH,
      fn: async () => {
        for (let i = 0; i < BATCH; i++) {
          await verifier.verify(headers, bytes);
          contracts.parseEventJson(body, accept);
        }
      },
    },
    {
      name: "prototype: KeyObject + sync verify + parseEventJson",
      batch: BATCH,
      fn: () => {
        for (let i = 0; i < BATCH; i++) {
          verifySync(headers, bytes);
          contracts.parseEventJson(body, accept);
        }
      },
    },
    {
      name: "parseEventJson alone",
      batch: BATCH,
      fn: () => {
        for (let i = 0; i < BATCH; i++) contracts.parseEventJson(body, accept);
      },
    },
  ],
  { rounds: 7, timeMs: 200 },
);
const names = ["raw floor", "raw floor, KeyObject", "SDK core as built", "prototype (KeyObject + sync verify)", "parseEventJson alone"];
names.forEach((name, index) => {
  console.log(
    `${name.padEnd(40)} ${Math.round(result.median(index)).toLocaleString("en-US").padStart(9)} ops/s  ${result.medianRatio(index, 0).toFixed(2)}× floor`,
  );
});
