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
 * and skips with the reason if that fails.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { events } from "@dttracker-dobbletap/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSigner, generateKeyPair, generateSecret } from "../../src/signing/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const sdkRoot = join(here, "..", "..");
const workspaceRoot = join(sdkRoot, "..", "..");
const distFiles = [join(sdkRoot, "dist", "index.js"), join(sdkRoot, "..", "contracts", "dist", "index.js")];
// The binary itself, not the node_modules/.bin shim: ending a shim could leave Deno running.
const denoBinary = [join(sdkRoot, "node_modules", "deno", "deno"), join(sdkRoot, "node_modules", ".bin", "deno")].find((path) => existsSync(path));

/** Why the test cannot run here, or undefined when it can (building dist first if it is absent). */
function unavailable(): string | undefined {
  if (denoBinary === undefined) return "the deno binary is not installed (packages/sdk devDependency `deno`)";
  if (distFiles.every((file) => existsSync(file))) return undefined;
  const built = spawnSync("pnpm", ["--filter", "@dttracker-dobbletap/contracts", "--filter", "@dttracker-dobbletap/sdk", "build"], {
    cwd: workspaceRoot,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (built.status === 0 && distFiles.every((file) => existsSync(file))) return undefined;
  return `dist is missing and building it failed (run \`pnpm build\` first): ${(built.stderr || built.stdout || String(built.error)).slice(-500)}`;
}

const skipReason = unavailable();
if (skipReason) console.warn(`[deno.test] skipped: ${skipReason}`);

const secret = generateSecret();
// v1a: Node signs with the secret key; Deno holds only the public key.
const pair = await generateKeyPair();
const offer = events.offer_sent.example;
let deno: ChildProcess | undefined;
let baseUrl = "";
let output = "";

describe.skipIf(skipReason !== undefined)("a Deno.serve receiver built with the SDK (Supabase Edge Function style)", () => {
  beforeAll(async () => {
    deno = spawn(
      denoBinary!,
      ["run", "--cached-only", "--no-prompt", "--allow-net=127.0.0.1", "--allow-env=WEBHOOK_SECRET,WEBHOOK_VERIFY_KEY,PORT", "server.ts"],
      {
        cwd: here,
        // Its own process group, so afterAll ends it (and anything it started) with one signal.
        detached: true,
        // The secret goes through the environment, never argv (visible to every process on the host).
        env: { ...process.env, WEBHOOK_SECRET: secret, WEBHOOK_VERIFY_KEY: pair.publicKey, PORT: "0", DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`deno did not start listening within 15 s:\n${output}`)), 15_000);
      deno!.stdout!.on("data", (chunk: Buffer) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      deno!.stderr!.on("data", (chunk: Buffer) => (output += chunk));
      deno!.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`deno exited with ${code}:\n${output}`));
      });
    });
  }, 20_000);

  afterAll(async () => {
    if (deno?.pid === undefined || deno.exitCode !== null || deno.signalCode !== null) return;
    const exited = new Promise((resolve) => deno!.once("exit", resolve));
    process.kill(-deno.pid, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    if (deno.exitCode === null && deno.signalCode === null) process.kill(-deno.pid, "SIGKILL");
  });

  async function send(body: string, signWith = secret): Promise<Response> {
    const headers = await createSigner(signWith).headers(offer.id, body);
    return fetch(`${baseUrl}/functions/v1/make-server-8061e72e/webhooks/dttracker`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  }

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
    const headers = await createSigner(secret).headers(unknownCampaign.id, body);
    const response = await fetch(`${baseUrl}/webhooks/dttracker`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("CAMPAIGN_NOT_FOUND");
  });

  it("Deno runs the contracts package's v1a test vectors: every vector as it says, on Web Crypto and node:crypto, and signs as node:crypto does", () => {
    const vectorsFile = createRequire(import.meta.url).resolve("@dttracker-dobbletap/contracts/test-vectors/v1a.json");
    const { vectors } = JSON.parse(readFileSync(vectorsFile, "utf8")) as { vectors: Array<{ description: string; valid: boolean; signature: string }> };
    const run = spawnSync(denoBinary!, ["run", "--cached-only", "--no-prompt", `--allow-read=${vectorsFile}`, "vectors.ts", vectorsFile], {
      cwd: here,
      encoding: "utf8",
      timeout: 30_000,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").pop()!) as { results: Array<{ description: string; passed: boolean }>; signature: string };
    const expected = vectors.map((vector) => ({ description: vector.description, passed: vector.valid }));
    expect(report.results.map(({ description, passed }) => ({ description, passed }))).toEqual([...expected, ...expected]);
    // Deno's Web Crypto Ed25519 signature equals the one node:crypto wrote (Ed25519 is deterministic).
    expect(report.signature).toBe(vectors[0]!.signature);
  }, 40_000);

  it("Deno.serve(createWebhookHandler({ publicKeys, secrets })) accepts a v1a request signed on Node, and refuses a foreign key", async () => {
    const body = JSON.stringify({ ...offer, id: crypto.randomUUID() });
    const id = (JSON.parse(body) as { id: string }).id;
    const post = async (signingKey: string) =>
      fetch(`${baseUrl}/webhooks/dttracker`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(await createSigner(signingKey).headers(id, body)) },
        body,
      });
    const foreign = await generateKeyPair();
    expect((await post(foreign.secretKey)).status).toBe(401);
    const response = await post(pair.secretKey);
    expect(response.status).toBe(200);
    expect(output).toMatch(new RegExp(`outcome 200 - offer_sent ${id}`));
  });

  it("the Deno process logged outcomes, never the secret", () => {
    expect(output).toMatch(/outcome 200 - offer_sent/);
    expect(output).not.toContain(secret.slice(6));
  });
});
