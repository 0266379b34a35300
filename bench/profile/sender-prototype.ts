/**
 * Prototype of the sender change recommended in bench/analysis.md: the SDK's send without ky — the
 * same validation (parseEventData), envelope, signature (createSigner) and answer check
 * (parseSuccessAnswer), but one plain fetch per attempt (headers as a plain object, the body as the
 * pre-encoded bytes, AbortSignal.timeout) instead of ky's Request construction, clone, merged options
 * and signal plumbing. Measured interleaved against the SDK as built and a bare fetch, same server.
 * Usage (after `pnpm build`): tsx bench/profile/sender-prototype.ts
 */
import { bareServerScript, contractsDist, importDist, sdkDist } from "../lib/paths.js";
import { startChildServer } from "../lib/child-server.js";
import { offerSentEnvelope, type OfferSentEnvelope } from "../lib/fixtures.js";
import { median } from "../lib/interleaved.js";

type Sdk = typeof import("../../packages/sdk/src/index.js");
type Contracts = typeof import("../../packages/contracts/src/index.js");

const sdk = await importDist<Sdk>(sdkDist);
const contracts = await importDist<Contracts>(contractsDist);
const server = await startChildServer(process.execPath, (port) => [bareServerScript, String(port)]);
const secret = sdk.generateSecret();
const example = contracts.events.offer_sent.example as OfferSentEnvelope;
const data = offerSentEnvelope(example).data;
const bareBody = JSON.stringify(offerSentEnvelope(example));
const url = `${server.url}/webhooks/dttracker`;
const client = sdk.createDobbletapClient({ baseUrl: server.url, secret });
const signer = sdk.createSigner(secret);
const encoder = new TextEncoder();

async function sendWithoutKy(): Promise<boolean> {
  const checked = contracts.parseEventData("offer_sent", data);
  if (!checked.success) throw new Error(checked.error.message);
  const id = crypto.randomUUID();
  const body = encoder.encode(JSON.stringify({ id, event: "offer_sent", occurredAt: new Date().toISOString(), data: checked.data }));
  // One attempt shown; a retry loop would repeat from here with a fresh signature.
  const signed = await signer.headers(id, body);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...signed },
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status < 200 || response.status >= 300) return false;
  const answer = contracts.parseSuccessAnswer("offer_sent", JSON.parse(text));
  return answer.success && answer.answer.eventId === id;
}

const tasks: Array<[string, () => Promise<unknown>]> = [
  ["bare fetch", async () => (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: bareBody })).text()],
  ["SDK as built (ky)", () => client.offerSent(data)],
  ["prototype: SDK steps, plain fetch", sendWithoutKy],
];
const CALLS = 250;
const perRound: number[][] = tasks.map(() => []);
for (let round = 0; round < 8; round++) {
  for (const [index, [, task]] of tasks.entries()) {
    const started = performance.now();
    for (let call = 0; call < CALLS; call++) await task();
    if (round > 0) perRound[index]!.push((performance.now() - started) / CALLS);
  }
}
for (const [index, [name]] of tasks.entries()) {
  const ratio = median(perRound[index]!.map((ms, round) => ms / perRound[0]![round]!));
  console.log(
    `${name.padEnd(36)} ${Math.round(median(perRound[index]!) * 1000)
      .toString()
      .padStart(6)} µs/call  ${ratio.toFixed(2)}× bare`,
  );
}
await server.stop();
