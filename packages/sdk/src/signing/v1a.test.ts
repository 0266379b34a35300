// Standard Webhooks v1a (Ed25519): the published vectors on both backends, one key per scheme,
// the v1 ↔ v1a refusals, and key validation that names what was given without repeating it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { isSignatureError, SignatureError } from "../errors/index.js";
import { createSigner, createVerifier, generateKeyPair, generateSecret, type HmacBackend } from "./index.js";

type Vectors = {
  keys: { secretKey: string; secretKey64: string; publicKey: string; untrustedPublicKey: string };
  vectors: Array<{ description: string; id: string; timestamp: number; body: string; signature: string; valid: boolean }>;
};
// The file the contracts package ships, resolved as an installed package would be.
const vectorsPath = createRequire(import.meta.url).resolve("@dttracker-dobbletap/contracts/test-vectors/v1a.json");
const { keys, vectors } = JSON.parse(readFileSync(vectorsPath, "utf8")) as Vectors;
const backends: HmacBackend[] = ["node", "web"];

async function refusal(promise: Promise<unknown>): Promise<SignatureError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isSignatureError(error)) throw new Error(`expected a SignatureError, got ${String(error)}`);
  return error;
}

describe.each(backends)("v1a with the %s backend", (backend) => {
  it.each(vectors.map((vector) => [vector.description, vector] as const))("test vector: %s", async (_, vector) => {
    const verifier = createVerifier([keys.publicKey], { backend, now: () => vector.timestamp * 1000 });
    const headers = { "webhook-id": vector.id, "webhook-timestamp": String(vector.timestamp), "webhook-signature": vector.signature };
    const verdict = await verifier.verify(headers, vector.body).then(
      () => true,
      () => false,
    );
    expect(verdict).toBe(vector.valid);
  });

  it("createSigner(whsk_) reproduces the vectors' signatures (Ed25519 is deterministic), from either key form", async () => {
    const [first] = vectors;
    for (const secretKey of [keys.secretKey, keys.secretKey64]) {
      expect(await createSigner(secretKey, { backend }).sign(first!.id, first!.timestamp, first!.body)).toBe(first!.signature);
    }
  });

  it("generateKeyPair() → a whsk_ that signs what its whpk_ verifies, and nothing else's", async () => {
    const pair = await generateKeyPair();
    expect(pair.secretKey).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    expect(pair.publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    const body = '{"a":1}';
    const headers = await createSigner(pair.secretKey, { backend }).headers("id-1", body);
    expect(headers["webhook-signature"]).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    await expect(createVerifier([pair.publicKey], { backend }).verify(headers, body)).resolves.toBeTruthy();
    expect((await refusal(createVerifier([keys.publicKey], { backend }).verify(headers, body))).reason).toBe("no_valid_signature");
  });

  it("a v1a-only receiver refuses a request signed only with v1, and a v1-only receiver one signed only with v1a", async () => {
    const pair = await generateKeyPair();
    const secret = generateSecret();
    const body = "{}";
    const v1Only = await createSigner(secret, { backend }).headers("id", body);
    const v1aOnly = await createSigner(pair.secretKey, { backend }).headers("id", body);
    const v1aReceiver = createVerifier([pair.publicKey], { backend });
    const v1Receiver = createVerifier(secret, { backend });
    const refused = await refusal(v1aReceiver.verify(v1Only, body));
    expect(refused.message).toMatch(/it verifies v1a, the request carries v1 signatures/);
    expect((await refusal(v1Receiver.verify(v1aOnly, body))).message).toMatch(/it verifies v1, the request carries v1a/);
    // A migrating receiver takes either.
    const both = createVerifier([pair.publicKey, secret], { backend });
    await expect(both.verify(v1Only, body)).resolves.toBeTruthy();
    await expect(both.verify(v1aOnly, body)).resolves.toBeTruthy();
  });

  it("a signer given both a whsk_ and a whsec_ sends both signatures, and either receiver accepts", async () => {
    const pair = await generateKeyPair();
    const secret = generateSecret();
    const headers = await createSigner([pair.secretKey, secret], { backend }).headers("id", "{}");
    expect(headers["webhook-signature"]).toMatch(/^v1a,\S+ v1,\S+$/);
    await expect(createVerifier([pair.publicKey], { backend }).verify(headers, "{}")).resolves.toBeTruthy();
    await expect(createVerifier(secret, { backend }).verify(headers, "{}")).resolves.toBeTruthy();
  });
});

describe("v1a key validation", () => {
  it("createVerifier(whsk_) refuses the secret half, naming both kinds and not repeating it", () => {
    const attempt = () => createVerifier([keys.secretKey]);
    expect(attempt).toThrow(SignatureError);
    expect(attempt).toThrow(/needs a v1a public key \(whpk_…\), but it was given a v1a secret key \(whsk_…\)/);
    expect(attempt).not.toThrow(keys.secretKey.slice(5, 20));
  });

  it("createSigner(whpk_) refuses the public half, naming both kinds", () => {
    expect(() => createSigner(keys.publicKey)).toThrow(/needs a v1a secret key \(whsk_…\), but it was given a v1a public key \(whpk_…\)/);
  });

  it.each([["whsk_"], ["whsk_c2hvcnQ="], ["whsk_not base64!"], ["whpk_AAAA"]])("refuses malformed key material %j", (key) => {
    const make = key.startsWith("whsk_") ? () => createSigner(key) : () => createVerifier([key]);
    expect(make).toThrow(SignatureError);
    expect(make).toThrow(/base64 of a 32-byte/);
  });

  it("refuses a 64-byte whsk_ whose public half belongs to another seed", () => {
    const bytes = Buffer.from(keys.secretKey64.slice(5), "base64");
    bytes[40]! ^= 1;
    expect(() => createSigner(`whsk_${bytes.toString("base64")}`)).toThrow(/does not belong to its seed/);
  });
});
