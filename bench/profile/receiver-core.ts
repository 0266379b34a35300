/**
 * A focused loop for `node --cpu-prof`: the SDK's receiver core (verify + parseEventJson) on the
 * bench's 1 KB offer_sent, nothing else. Usage (after `pnpm build`):
 *   node --cpu-prof --cpu-prof-dir=.tmp/prof --import tsx bench/profile/receiver-core.ts [core|verify|parse|handler]
 *   tsx bench/profile/top-functions.ts .tmp/prof/<file>.cpuprofile
 */
import { contractsDist, importDist, sdkDist } from "../lib/paths.js";
import { offerSentEnvelope, secretBytes, signHeaders, type OfferSentEnvelope } from "../lib/fixtures.js";
import { dobbletapHandlers } from "../lib/receiver-entry.js";

type Sdk = typeof import("../../packages/sdk/src/index.js");
type Contracts = typeof import("../../packages/contracts/src/index.js");

const mode = process.argv[2] ?? "core";
const sdk = await importDist<Sdk>(sdkDist);
const contracts = await importDist<Contracts>(contractsDist);
const secret = sdk.generateSecret();
const example = contracts.events.offer_sent.example as OfferSentEnvelope;
const body = JSON.stringify(offerSentEnvelope(example));
const headers = signHeaders(secretBytes(secret), example.id, body);
const bytes = new TextEncoder().encode(body);
const verifier = sdk.createVerifier(secret);
const accept = { accept: ["offer_sent" as const] };
const handle = sdk.createWebhookHandler({
  secrets: secret,
  dedupStore: {
    transactional: false,
    claim: async () => ({ status: "claimed", lease: { tx: undefined, complete: async () => {}, release: async () => {} } }),
  },
  ...dobbletapHandlers(contracts as never, (event) => ({ type: "offer", id: event.data.offer.id, status: "offered" })),
} as never) as (request: Request) => Promise<Response>;

const ITERATIONS = 200_000;
const started = performance.now();
for (let index = 0; index < ITERATIONS; index++) {
  if (mode === "core" || mode === "verify") await verifier.verify(headers, bytes);
  if (mode === "core" || mode === "parse") contracts.parseEventJson(body, accept);
  if (mode === "handler") await handle(new Request("http://127.0.0.1/webhooks/dttracker", { method: "POST", headers, body }));
  if (mode === "handler" && index === 20_000) break;
}
console.log(`${mode}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
