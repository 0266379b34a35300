/**
 * The idea: DTTracker and Dobbletap run on Supabase Edge Functions, i.e. Deno. This test proves the
 * SDK's receiver works there, not just on Node: it starts server.ts (Deno.serve + createWebhookHandler)
 * under the real deno binary on a free port, then talks to it from Node over loopback exactly as a
 * sender would: a signed offer_sent (signed with the SDK's createSigner, sent with plain fetch) must
 * get the contract's 200 answer, and a bad signature its 401.
 *
 * Deno loads the SDK's built dist (see deno.json) and everything else from the workspace's
 * node_modules: no `npm:`/`jsr:` specifiers, `--cached-only`, so it needs no network. CI builds
 * before testing (`pnpm build`); if dist is absent here, this test builds contracts and sdk once,
 * and fails with the reason if that fails (never skips: a missing Deno must not pass as green).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { events } from "@dttracker-dobbletap/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSigner, generateKeyPair, generateSecret } from "../../src/signing/index.js";
import { type DenoServer, requireDeno, runSdkDeno, startSdkDenoServer } from "../support/deno.js";
import { postSigned } from "../support/signed-delivery.js";

const secret = generateSecret();
// v1a: Node signs with the secret key; Deno holds only the public key.
const pair = await generateKeyPair();
const offer = events.offer_sent.example;
let deno: DenoServer | undefined;
let baseUrl = "";
const output = () => deno?.output() ?? "";

describe("a Deno.serve receiver built with the SDK (Supabase Edge Function style)", () => {
  beforeAll(async () => {
    requireDeno();
    deno = await startSdkDenoServer({
      entry: "server.ts",
      allow: ["--allow-net=127.0.0.1", "--allow-env=WEBHOOK_SECRET,WEBHOOK_VERIFY_KEY,PORT"],
      env: { WEBHOOK_SECRET: secret, WEBHOOK_VERIFY_KEY: pair.publicKey, PORT: "0" },
      timeoutMs: 15_000,
    });
    baseUrl = deno.url;
  }, 20_000);

  afterAll(() => deno?.stop());

  const send = (body: string, signWith = secret) =>
    postSigned(`${baseUrl}/functions/v1/make-server-8061e72e/webhooks/dttracker`, createSigner(signWith), offer.id, body);

  it("Deno.serve(createWebhookHandler(...)) answers a signed offer_sent from Node with the 200 contract answer", async () => {
    const response = await send(JSON.stringify(offer));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({
      success: true,
      eventId: offer.id,
      result: { type: "offer", id: offer.data.offer.id, status: "offered" },
    });
    // The same id again: answered from the dedup store, marked duplicate.
    expect((await (await send(JSON.stringify(offer))).json()).duplicate).toBe(true);
  });

  it("Deno.serve(createWebhookHandler(...)) answers 401 UNAUTHORIZED to a bad signature", async () => {
    const response = await send(JSON.stringify(offer), generateSecret());
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body).toMatchObject({ success: false, error: { code: "UNAUTHORIZED" } });
    expect(body.error.message).toMatch(/No webhook-signature matches/);
  });

  it("Deno.serve(createWebhookHandler(...)) answers a handler's ContractError with its code", async () => {
    const unknownCampaign = { ...offer, id: crypto.randomUUID(), data: { offer: { ...offer.data.offer, campaignId: crypto.randomUUID() } } };
    const body = JSON.stringify(unknownCampaign);
    const response = await postSigned(`${baseUrl}/webhooks/dttracker`, createSigner(secret), unknownCampaign.id, body);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("CAMPAIGN_NOT_FOUND");
  });

  it("Deno runs the contracts package's v1a test vectors: every vector as it says, on Web Crypto and node:crypto, and signs as node:crypto does", async () => {
    const vectorsFile = createRequire(import.meta.url).resolve("@dttracker-dobbletap/contracts/test-vectors/v1a.json");
    const { vectors } = JSON.parse(readFileSync(vectorsFile, "utf8")) as { vectors: Array<{ description: string; valid: boolean; signature: string }> };
    const run = await runSdkDeno({ entry: "vectors.ts", allow: [`--allow-read=${vectorsFile}`], args: [vectorsFile], timeoutMs: 30_000 });
    expect(run.code, run.output).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").pop()!) as { results: Array<{ description: string; passed: boolean }>; signature: string };
    const expected = vectors.map((vector) => ({ description: vector.description, passed: vector.valid }));
    expect(report.results.map(({ description, passed }) => ({ description, passed }))).toEqual([...expected, ...expected]);
    // Deno's Web Crypto Ed25519 signature equals the one node:crypto wrote (Ed25519 is deterministic).
    expect(report.signature).toBe(vectors[0]!.signature);
  }, 40_000);

  it("Deno.serve(createWebhookHandler({ publicKeys, secrets })) accepts a v1a request signed on Node, and refuses a foreign key", async () => {
    const body = JSON.stringify({ ...offer, id: crypto.randomUUID() });
    const id = (JSON.parse(body) as { id: string }).id;
    const post = (signingKey: string) => postSigned(`${baseUrl}/webhooks/dttracker`, createSigner(signingKey), id, body);
    const foreign = await generateKeyPair();
    expect((await post(foreign.secretKey)).status).toBe(401);
    const response = await post(pair.secretKey);
    expect(response.status).toBe(200);
    expect(output()).toMatch(new RegExp(`outcome 200 - offer_sent ${id}`));
  });

  it("the Deno process logged outcomes, never the secret", () => {
    expect(output()).toMatch(/outcome 200 - offer_sent/);
    expect(output()).not.toContain(secret.slice(6));
  });
});
