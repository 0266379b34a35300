/**
 * A focused loop for `node --cpu-prof`: SDK offerSent calls (or bare fetches, `bare`) to the bench's
 * bare server in a child process. Usage (after `pnpm build`):
 *   node --cpu-prof --cpu-prof-dir=.tmp/prof --import tsx bench/profile/sender.ts [sdk|bare|ky]
 */
import { bareServerScript, contractsDist, importDist, importFromSdk, sdkDist } from "../lib/paths.js";
import { startChildServer } from "../lib/child-server.js";
import { offerSentEnvelope, type OfferSentEnvelope } from "../lib/fixtures.js";

type Sdk = typeof import("../../packages/sdk/src/index.js");
type Contracts = typeof import("../../packages/contracts/src/index.js");

const mode = process.argv[2] ?? "sdk";
const sdk = await importDist<Sdk>(sdkDist);
const contracts = await importDist<Contracts>(contractsDist);
// ky is the SDK's dependency, not the root's: resolved through the SDK, typed by what is used here.
type Ky = { post(url: string, options: { body: string; headers: Record<string, string> }): { text(): Promise<string> } };
const { default: ky } = await importFromSdk<{ default: Ky }>("ky");
const server = await startChildServer(process.execPath, (port) => [bareServerScript, String(port)]);
const example = contracts.events.offer_sent.example as OfferSentEnvelope;
const data = offerSentEnvelope(example).data;
const body = JSON.stringify(offerSentEnvelope(example));
const client = sdk.createDobbletapClient({ baseUrl: server.url, secret: sdk.generateSecret() });
const url = `${server.url}/webhooks/dttracker`;
const CALLS = 4000;
const started = performance.now();
for (let index = 0; index < CALLS; index++) {
  if (mode === "sdk") await client.offerSent(data);
  else if (mode === "ky") await ky.post(url, { body, headers: { "content-type": "application/json" } }).text();
  else await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body })).text();
}
console.log(`${mode}: ${(((performance.now() - started) / CALLS) * 1000).toFixed(0)} µs/call`);
await server.stop();
