// The mock's rules against a growing state, in a child process of its own (its heap grows to
// gigabytes at a million offers, and must not weigh on the other figures). The state grows through
// the rules themselves (offer_sent per offer, creators put once per step), to each size in turn;
// at each size every rule below is timed on this process's CPU clock and the median kept.
// Prints one JSON line: { sizes: [{ offers, kept, creators, heapMb, rules: { name: µs } }] }.
// Usage: node --max-old-space-size=8192 bench/servers/mock-growth.mjs 1000 10000 100000 1000000
import { randomUUID } from "node:crypto";
import { events } from "../../packages/contracts/dist/index.js";
import { MockState } from "../../packages/mock-server/dist/index.js";

const sizes = process.argv.slice(2).map(Number);
const CAMPAIGNS = 100;
// Creators grow with the offers (one per ten), so rules that walk the creators show it too.
const CREATORS_PER_OFFER = 0.1;

const cpuMicros = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const campaignExample = events.campaign_created.example.data.campaign;
const offerExample = events.offer_sent.example.data.offer;
const creatorExample = events.creators_synced.example.data.creators[0];
const envelope = (event, data) => ({ id: randomUUID(), event, occurredAt: new Date().toISOString(), data });

const state = new MockState();
const campaignIds = Array.from({ length: CAMPAIGNS }, () => randomUUID());
for (const id of campaignIds) {
  const outcome = state.apply(envelope("campaign_created", { campaign: { ...campaignExample, id } }));
  if (!outcome.ok) throw new Error(`campaign_created: ${outcome.code} ${outcome.message}`);
}
const creatorIds = [];
const addCreators = (count) => {
  for (let index = 0; index < count; index++) {
    const dobbletapId = randomUUID();
    const handle = `c${creatorIds.length}`;
    state.putCreator({ ...creatorExample, dobbletapId, handle, platforms: [{ platform: "tiktok", handle }], dttrackerId: randomUUID() });
    creatorIds.push(dobbletapId);
  }
};
let offers = 0;
const addOffers = (count) => {
  for (let index = 0; index < count; index++, offers++) {
    const offer = {
      ...offerExample,
      id: randomUUID(),
      campaignId: campaignIds[offers % CAMPAIGNS],
      creatorId: creatorIds[offers % creatorIds.length],
    };
    const outcome = state.apply(envelope("offer_sent", { offer }));
    if (!outcome.ok) throw new Error(`offer_sent while growing: ${outcome.code} ${outcome.message}`);
  }
};

/** Median CPU µs of `run()` over `samples`, each sample enough calls to last ≥ 2 ms of CPU (at most `maxBatch`). */
const time = (samples, maxBatch, run) => {
  const probe = cpuMicros();
  run();
  const batch = Math.max(1, Math.min(maxBatch, Math.ceil(2000 / Math.max(1, cpuMicros() - probe))));
  const results = [];
  for (let sample = 0; sample < samples; sample++) {
    const started = cpuMicros();
    for (let index = 0; index < batch; index++) run();
    results.push((cpuMicros() - started) / batch);
  }
  return median(results);
};

const expectOk = (name, outcome) => {
  if (!outcome.ok) throw new Error(`${name}: ${outcome.code} ${outcome.message}`);
};

const out = [];
for (const size of sizes) {
  addCreators(Math.max(10, Math.round(size * CREATORS_PER_OFFER)) - creatorIds.length);
  addOffers(size - offers);
  globalThis.gc?.();
  const rules = {};
  rules["offer_sent (a new offer)"] = time(11, 200, () => {
    const offer = { ...offerExample, id: randomUUID(), campaignId: campaignIds[offers % CAMPAIGNS], creatorId: creatorIds[offers % creatorIds.length] };
    offers++;
    expectOk("offer_sent", state.apply(envelope("offer_sent", { offer })));
  });
  // A creator with no offers and no assignment yet: the rule touches nothing but must cancel that creator's open offers.
  rules["activation_cancelled (one creator)"] = time(9, 100, () => {
    const dobbletapId = randomUUID();
    state.putCreator({ ...creatorExample, dobbletapId, handle: `x${dobbletapId.slice(0, 8)}`, platforms: [], dttrackerId: randomUUID() });
    expectOk("activation_cancelled", state.apply(envelope("activation_cancelled", { campaignId: campaignIds[0], creatorId: dobbletapId, reason: "bench" })));
  });
  let touched = 0;
  rules["creators_synced (one known creator)"] = time(9, 100, () => {
    const index = touched++ % creatorIds.length;
    const dobbletapId = creatorIds[index];
    const handle = `c${index}`;
    expectOk(
      "creators_synced",
      state.apply(
        envelope("creators_synced", {
          creators: [{ ...creatorExample, dobbletapId, handle, platforms: [{ platform: "tiktok", handle }], updatedAt: new Date().toISOString() }],
        }),
      ),
    );
  });
  const kept = typeof state.offers?.size === "number" ? state.offers.size : null;
  out.push({ offers, kept, creators: creatorIds.length, heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20), rules });
}
process.stdout.write(`${JSON.stringify({ sizes: out })}\n`);
