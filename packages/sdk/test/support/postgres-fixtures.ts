/**
 * Test support (not part of the package's surface): fresh contract-valid data for the outbox tests,
 * built from the contract's own examples with new ids, and a mock Dobbletap to deliver to.
 */
import { events, type EventDataInput } from "@dttracker-dobbletap/contracts";
import { startMockServer, type RunningMockServer } from "@dttracker-dobbletap/mock-server";
import { createDobbletapClient, type ClientOptions, type DobbletapClient } from "../../src/index.js";

export function newCampaign(title = "Outbox campaign"): EventDataInput<"campaign_created"> {
  return { campaign: { ...events.campaign_created.example.data.campaign, id: crypto.randomUUID(), title } };
}

/** An offer to the mock's seeded creator, on `campaignId`. */
export function newOffer(campaignId: string, amountMinor = 7_500_000): EventDataInput<"offer_sent"> {
  return { offer: { ...events.offer_sent.example.data.offer, id: crypto.randomUUID(), campaignId, amount: { currency: "NGN", amountMinor } } };
}

export function newUpdate(campaignId: string, title: string): EventDataInput<"activation_updated"> {
  return { campaignId, changes: { title } };
}

/** A mock Dobbletap (seeded with the example creator) and a single-attempt client to it. */
export async function mockDobbletap(clientOptions: Partial<ClientOptions> = {}): Promise<{
  mock: RunningMockServer;
  client: DobbletapClient;
  admin(method: string, path: string, body?: object): Promise<unknown>;
}> {
  const mock = await startMockServer({ as: "dobbletap", eventLogCapacity: 200_000 });
  const client = createDobbletapClient({ baseUrl: mock.url, secret: mock.secret, retry: false, timeoutMs: 5_000, ...clientOptions });
  const admin = async (method: string, path: string, body?: object) => {
    const response = await fetch(mock.origin + path, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  return { mock, client, admin };
}
