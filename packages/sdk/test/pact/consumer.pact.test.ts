/**
 * The consumer side of the contract. The sender of a webhook is Pact's consumer: DTTracker for
 * Dobbletap's endpoint, Dobbletap for DTTracker's. Each interaction of the contract (derived from
 * the event map in @dttracker-dobbletap/contracts/pact) is one test that drives the SDK's real
 * sender against Pact's mock server; together they write pacts/DTTracker-Dobbletap.json and
 * pacts/Dobbletap-DTTracker.json, which the providers are then verified against.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { contractVersion, ErrorAnswer, events, type EventName } from "@dttracker-dobbletap/contracts";
import { contractInteractions, matchersFor, type ContractInteraction } from "@dttracker-dobbletap/contracts/pact";
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient, createSigner, generateSecret, isRequestValidationError } from "../../src/index.js";

const pactDir = fileURLToPath(new URL("../../../../pacts", import.meta.url));
const secret = generateSecret();

// Pact pins the headers' form, never a value: signatures are fresh for every attempt.
// (jsonBody adds the content-type.)
const signedHeaders = (id: string) => ({
  "webhook-id": MatchersV3.uuid(id),
  "webhook-timestamp": MatchersV3.regex("^\\d{1,12}$", "1770545700"),
  "webhook-signature": MatchersV3.regex(
    // v1 (HMAC, 32 bytes) or v1a (Ed25519, 64 bytes), one or several, space-separated.
    "^(v1,[A-Za-z0-9+/]{43}=|v1a,[A-Za-z0-9+/]{86}==)( (v1,[A-Za-z0-9+/]{43}=|v1a,[A-Za-z0-9+/]{86}==))*$",
    `v1,${"A".repeat(43)}=`,
  ),
});

function responseMatchers(interaction: ContractInteraction) {
  return interaction.response.status === 200
    ? matchersFor(events[interaction.event].successAnswer, interaction.response.body, { exact: ["status", "duplicate"] })
    : matchersFor(ErrorAnswer, interaction.response.body, { exact: ["code", "path"] });
}

type Envelope = { id: string; occurredAt: string; data: unknown };

/** Sends the interaction's body with the SDK and checks what the sender reports. */
async function sendWithSdk(interaction: ContractInteraction, baseUrl: string) {
  const party = interaction.provider === "Dobbletap" ? "dobbletap" : "dttracker";
  const client = createClient(party, { baseUrl, secret, retry: false }) as unknown as {
    send(
      event: EventName,
      data: unknown,
      options: { id: string; occurredAt: string },
    ): Promise<{
      syncStatus: { synced: boolean; error: { code: string } | null; retryQueued: boolean };
      result?: unknown;
      duplicate?: boolean;
    }>;
  };
  const body = interaction.body as Envelope;
  const sent = await client.send(interaction.event, body.data, { id: body.id, occurredAt: body.occurredAt });
  const expected = interaction.response.body as { result?: unknown; duplicate?: boolean; error?: { code: string } };
  if (interaction.response.status === 200) {
    expect(sent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
    expect(sent.result).toEqual(expected.result);
    expect(sent.duplicate ?? false).toBe(expected.duplicate ?? false);
  } else {
    expect(sent.syncStatus.synced).toBe(false);
    expect(sent.syncStatus.error?.code).toBe(expected.error?.code);
  }
}

/** A body that breaks the contract: the SDK refuses it, so send it the way a broken sender did. */
async function sendAsBrokenSender(interaction: ContractInteraction, baseUrl: string) {
  const party = interaction.provider === "Dobbletap" ? "dobbletap" : "dttracker";
  const body = interaction.body as Envelope;
  const client = createClient(party, { baseUrl, secret, retry: false }) as unknown as {
    send(event: EventName, data: unknown, options: { id: string }): Promise<unknown>;
  };
  const refused = await client.send(interaction.event, body.data, { id: body.id }).catch((error: unknown) => error);
  expect(isRequestValidationError(refused)).toBe(true);

  const raw = JSON.stringify(body);
  const response = await fetch(`${baseUrl}${interaction.path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(await createSigner(secret).headers(body.id, raw)) },
    body: raw,
  });
  expect(response.status).toBe(interaction.response.status);
  expect(await response.json()).toEqual(interaction.response.body);
}

/**
 * A PactV4 whose pact files say which contract version they pin (metadata
 * `dttracker-dobbletap.contractVersion`). PactV4 builds a fresh FFI pact after every test, so the
 * metadata is added each time it does.
 */
class ContractPact extends PactV4 {
  override setup(): void {
    super.setup();
    (this as unknown as { pact: { addMetadata(namespace: string, name: string, value: string): void } }).pact.addMetadata(
      "dttracker-dobbletap",
      "contractVersion",
      contractVersion,
    );
  }
}

const interactions = contractInteractions();
const pairs = [...new Set(interactions.map(({ consumer, provider }) => `${consumer}→${provider}`))];

beforeAll(() => {
  // Pact merges into existing files: start clean so a removed interaction leaves the pact too.
  for (const pair of pairs) rmSync(join(pactDir, `${pair.replace("→", "-")}.json`), { force: true });
});

describe.each(pairs)("%s", (pair) => {
  const [consumer, provider] = pair.split("→") as [string, string];
  const pact = new ContractPact({ consumer, provider, dir: pactDir, logLevel: "warn" });

  it.each(interactions.filter((interaction) => interaction.consumer === consumer).map((i) => [i.description, i] as const))("%s", async (_, interaction) => {
    let builder = pact.addInteraction();
    for (const state of interaction.states) builder = builder.given(state.name, state.params as never);
    await builder
      .uponReceiving(interaction.description)
      .withRequest("POST", interaction.path, (request) => {
        request.headers(signedHeaders((interaction.body as Envelope).id));
        request.jsonBody(matchersFor(events[interaction.event].envelope, interaction.body));
      })
      .willRespondWith(interaction.response.status, (response) => {
        response.jsonBody(responseMatchers(interaction));
      })
      .executeTest((mock) => (interaction.contractValid ? sendWithSdk(interaction, mock.url) : sendAsBrokenSender(interaction, mock.url)));
  });
});
