/**
 * createProviderStates is the route a real receiver mounts for Pact's state changes. These tests pin
 * what keeps it safe (refused unless enabled and signed) and what makes re-verification work
 * (the pacts' event ids are forgotten before each setup).
 */
import { events, pactEventIds, providerStates, type EventName } from "@dttracker-dobbletap/contracts";
import { describe, expect, it } from "vitest";
import { createSigner, generateSecret } from "../signing/index.js";
import { createMemoryDedupStore } from "../receiver/memory-dedup-store.js";
import { createProviderStates, type ProviderStateCall, type ProviderStateHandlers } from "./create-provider-states.js";

function recordingHandlers() {
  const calls: Array<[string, ProviderStateCall]> = [];
  const record = (key: string) => (call: ProviderStateCall) => void calls.push([key, call]);
  const handlers: ProviderStateHandlers<"dobbletap"> = {
    campaignExists: record("campaignExists"),
    campaignMissing: record("campaignMissing"),
    creatorExists: record("creatorExists"),
    offerExists: record("offerExists"),
  };
  return { calls, handlers };
}

async function signedPost(secret: string, body: unknown, url = "http://test.local/__pact/states") {
  const raw = JSON.stringify(body);
  const headers = await createSigner(secret).headers(crypto.randomUUID(), raw);
  return new Request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: raw });
}

describe("createProviderStates()", () => {
  it("calls the handler of the named state with its params and action", async () => {
    const secret = generateSecret();
    const { calls, handlers } = recordingHandlers();
    const route = createProviderStates({ party: "dobbletap", enabled: true, secret, handlers });
    const params = { campaignId: events.campaign_created.example.data.campaign.id };
    const response = await route(await signedPost(secret, { state: providerStates.campaignMissing, params, action: "setup" }));
    expect(response.status).toBe(200);
    expect(calls).toEqual([["campaignMissing", { params, action: "setup" }]]);
    const teardown = await route(await signedPost(secret, { state: providerStates.campaignMissing, params, action: "teardown" }));
    expect(teardown.status).toBe(200);
    expect(calls[1]).toEqual(["campaignMissing", { params, action: "teardown" }]);
  });

  it("answers 404 to everything when not enabled, and calls no handler", async () => {
    const secret = generateSecret();
    const { calls, handlers } = recordingHandlers();
    const route = createProviderStates({ party: "dobbletap", enabled: false, secret, handlers });
    const response = await route(await signedPost(secret, { state: providerStates.campaignExists, action: "setup" }));
    expect(response.status).toBe(404);
    expect(calls).toEqual([]);
  });

  it("refuses an unsigned request or one signed with another secret with 401", async () => {
    const secret = generateSecret();
    const { calls, handlers } = recordingHandlers();
    const route = createProviderStates({ party: "dobbletap", enabled: true, secret, handlers });
    const unsigned = await route(new Request("http://test.local/", { method: "POST", body: JSON.stringify({ state: providerStates.offerMissing }) }));
    expect(unsigned.status).toBe(401);
    const foreign = await route(await signedPost(generateSecret(), { state: providerStates.offerMissing }));
    expect(foreign.status).toBe(401);
    expect(((await foreign.json()) as { error: { message: string } }).error.message).toMatch(/receiver's secret/);
    expect(calls).toEqual([]);
  });

  it("answers an unknown state 400 naming the known ones, a bad action 400, a GET 405", async () => {
    const secret = generateSecret();
    const route = createProviderStates({ party: "dobbletap", enabled: true, secret, handlers: recordingHandlers().handlers });
    const unknown = await route(await signedPost(secret, { state: "the moon is full" }));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain(providerStates.campaignExists);
    expect((await route(await signedPost(secret, { state: providerStates.campaignExists, action: "undo" }))).status).toBe(400);
    // A state of the other party's pact is not this receiver's to set up.
    const other = await route(await signedPost(secret, { state: providerStates.offerPending }));
    expect(other.status).toBe(400);
    expect(await other.text()).toContain("not a state of the dobbletap pact");
    expect((await route(new Request("http://test.local/"))).status).toBe(405);
  });

  it("answers the empty state (the verifier's preflight) and the foreign-signature state with 200 and no handler call", async () => {
    const secret = generateSecret();
    const { calls, handlers } = recordingHandlers();
    const route = createProviderStates({ party: "dobbletap", enabled: true, secret, handlers });
    expect((await route(await signedPost(secret, { state: "", action: "setup" }))).status).toBe(200);
    expect((await route(await signedPost(secret, { state: providerStates.foreignSignature }))).status).toBe(200);
    expect(calls).toEqual([]);
  });

  it("answers 500 with the handler's message when a handler throws", async () => {
    const secret = generateSecret();
    const { handlers } = recordingHandlers();
    handlers.offerExists = () => {
      throw new Error("relation creator_campaigns does not exist");
    };
    const route = createProviderStates({ party: "dobbletap", enabled: true, secret, handlers });
    const response = await route(await signedPost(secret, { state: providerStates.offerExists }));
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("relation creator_campaigns does not exist");
  });

  it("forgets the pacts' event ids in the dedup store before each setup, and no other id", async () => {
    const secret = generateSecret();
    const dedupStore = createMemoryDedupStore();
    const remember = async (id: string, event: EventName) => {
      const claim = await dedupStore.claim(id, { waitMs: 0, leaseMs: 1_000 });
      if (claim.status !== "claimed") throw new Error(`could not claim ${id}`);
      await claim.lease.complete({ event, digest: "test", body: { success: true, eventId: id, result: { type: "campaign", id, status: "active" } } as never });
    };
    const isRemembered = async (id: string) => {
      const claim = await dedupStore.claim(id, { waitMs: 0, leaseMs: 1_000 });
      if (claim.status === "claimed") await claim.lease.release();
      return claim.status === "done";
    };
    const [pactId] = pactEventIds();
    const otherId = crypto.randomUUID();
    await remember(pactId!, "campaign_created");
    await remember(otherId, "campaign_created");
    const route = createProviderStates({ party: "dobbletap", enabled: true, secret, handlers: recordingHandlers().handlers, dedupStore });
    await route(await signedPost(secret, { state: providerStates.campaignMissing, action: "setup" }));
    expect(await isRemembered(pactId!)).toBe(false);
    expect(await isRemembered(otherId)).toBe(true);
  });

  it("needs a secret", () => {
    expect(() => createProviderStates({ party: "dobbletap", enabled: true, secret: "", handlers: recordingHandlers().handlers })).toThrow(/secret/);
  });
});
