import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { isSignatureError, SignatureError } from "../errors/index.js";
import { createSigner, createVerifier, generateKeyPair, generateSecret, type HmacBackend } from "./index.js";

const backends: HmacBackend[] = ["node", "web"];
const json = fc.jsonValue().map((value) => JSON.stringify(value));
const ids = fc.uuid();
const nowMs = Date.UTC(2026, 1, 8, 10, 15);
const nowSeconds = nowMs / 1000;

async function rejection(promise: Promise<unknown>): Promise<SignatureError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isSignatureError(error)) throw new Error(`expected a SignatureError, got ${String(error)}`);
  return error;
}

describe.each(backends)("signing with the %s backend", (backend) => {
  const secret = generateSecret();

  it("createSigner(secret).sign(...) verifies with standardwebhooks' verify (property)", async () => {
    const reference = new Webhook(secret);
    const signer = createSigner(secret, { backend });
    await fc.assert(
      fc.asyncProperty(ids, json, async (id, body) => {
        const signature = await signer.sign(id, nowSeconds, body);
        const headers = { "webhook-id": id, "webhook-timestamp": String(nowSeconds), "webhook-signature": signature };
        // The reference checks its own 5-minute window against the real clock: sign at "now".
        const fresh = await signer.headers(id, body);
        expect(() => reference.verify(body, fresh)).not.toThrow();
        expect(signature).toBe(reference.sign(id, new Date(nowMs), body));
        expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      }),
      { numRuns: 150 },
    );
  });

  it("createVerifier(secret).verify(...) accepts what standardwebhooks' sign makes (property)", async () => {
    const reference = new Webhook(secret);
    const verifier = createVerifier(secret, { backend, now: () => nowMs });
    await fc.assert(
      fc.asyncProperty(ids, json, async (id, body) => {
        const headers = {
          "webhook-id": id,
          "webhook-timestamp": String(nowSeconds),
          "webhook-signature": reference.sign(id, new Date(nowMs), body),
        };
        await expect(verifier.verify(headers, body)).resolves.toEqual({ id, timestampSeconds: nowSeconds });
        await expect(verifier.verify(new Headers(headers), new TextEncoder().encode(body))).resolves.toBeTruthy();
      }),
      { numRuns: 150 },
    );
  });

  it("verify refuses a tampered body, id or timestamp (property)", async () => {
    const signer = createSigner(secret, { backend });
    const verifier = createVerifier(secret, { backend, now: () => nowMs });
    await fc.assert(
      fc.asyncProperty(ids, json, json, async (id, body, other) => {
        fc.pre(body !== other);
        const headers = await signer.headers(id, body, nowMs);
        expect((await rejection(verifier.verify(headers, other))).reason).toBe("no_valid_signature");
        const shifted = { ...headers, "webhook-timestamp": String(nowSeconds - 1) };
        expect((await rejection(verifier.verify(shifted, body))).reason).toBe("no_valid_signature");
      }),
      { numRuns: 100 },
    );
  });

  it("rotation: any of several secrets verifies, and a signer with two secrets passes either receiver", async () => {
    const [oldSecret, newSecret, otherSecret] = [generateSecret(), generateSecret(), generateSecret()];
    const body = '{"hello":"world"}';
    const signedWithOld = await createSigner(oldSecret, { backend }).headers("id-1", body, nowMs);
    await expect(createVerifier([newSecret, oldSecret], { backend, now: () => nowMs }).verify(signedWithOld, body)).resolves.toBeTruthy();
    const signedWithBoth = await createSigner([oldSecret, newSecret], { backend }).headers("id-2", body, nowMs);
    expect(signedWithBoth["webhook-signature"].split(" ")).toHaveLength(2);
    await expect(createVerifier(newSecret, { backend, now: () => nowMs }).verify(signedWithBoth, body)).resolves.toBeTruthy();
    await expect(createVerifier(oldSecret, { backend, now: () => nowMs }).verify(signedWithBoth, body)).resolves.toBeTruthy();
    const refused = await rejection(createVerifier(otherSecret, { backend, now: () => nowMs }).verify(signedWithBoth, body));
    expect(refused.reason).toBe("no_valid_signature");
  });
});

describe("createVerifier(...).verify under concurrency", () => {
  it.each(backends)("settles interleaved valid and tampered deliveries each on its own (%s)", async (backend) => {
    const secret = generateSecret();
    const signer = createSigner(secret, { backend });
    const verifier = createVerifier([generateSecret(), secret], { backend, now: () => nowMs });
    const deliveries = await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        const body = JSON.stringify({ index });
        const headers = await signer.headers(`id-${index}`, body, nowMs);
        return { headers, body: index % 2 === 0 ? body : `${body} ` };
      }),
    );
    const verdicts = await Promise.all(
      deliveries.map(({ headers, body }) =>
        verifier.verify(headers, body).then(
          () => "ok",
          () => "refused",
        ),
      ),
    );
    expect(verdicts).toEqual(deliveries.map((_, index) => (index % 2 === 0 ? "ok" : "refused")));
  });
});

describe("createVerifier(...).verify timestamps and headers", () => {
  const secret = generateSecret();
  const body = '{"a":1}';
  const verifier = createVerifier(secret, { now: () => nowMs });
  const signer = createSigner(secret);

  it("refuses a timestamp more than 5 minutes old, and accepts one just inside", async () => {
    const stale = await signer.headers("id", body, nowMs - 301_000);
    const error = await rejection(verifier.verify(stale, body));
    expect([error.reason, error.code]).toEqual(["stale_timestamp", "UNAUTHORIZED"]);
    expect(error.message).toMatch(/301 s old/);
    await expect(verifier.verify(await signer.headers("id", body, nowMs - 299_000), body)).resolves.toBeTruthy();
  });

  it("refuses a timestamp more than 5 minutes in the future", async () => {
    const future = await signer.headers("id", body, nowMs + 301_000);
    expect((await rejection(verifier.verify(future, body))).reason).toBe("future_timestamp");
  });

  it("names the missing headers", async () => {
    const error = await rejection(verifier.verify({ "webhook-id": "id" }, body));
    expect(error.message).toBe("Missing webhook-timestamp, webhook-signature: sign every request per Standard Webhooks.");
  });

  it("refuses a non-numeric timestamp, unknown signature versions and garbage signatures", async () => {
    const headers = await signer.headers("id", body, nowMs);
    expect((await rejection(verifier.verify({ ...headers, "webhook-timestamp": "1e9" }, body))).reason).toBe("bad_timestamp");
    const v2 = headers["webhook-signature"].replace("v1,", "v2,");
    expect((await rejection(verifier.verify({ ...headers, "webhook-signature": v2 }, body))).reason).toBe("no_valid_signature");
    for (const garbage of ["v1,", "v1,!!!!", "v1", " ", "v1,AAAA"]) {
      expect((await rejection(verifier.verify({ ...headers, "webhook-signature": garbage }, body))).reason).toBe("no_valid_signature");
    }
  });

  it("never puts a secret or a signature into an error message", async () => {
    const headers = await signer.headers("id", body, nowMs);
    const errors = [await rejection(verifier.verify(headers, "tampered")), await rejection(verifier.verify({ ...headers, "webhook-timestamp": "1" }, body))];
    for (const error of errors) {
      expect(error.message).not.toContain(secret.slice(6, 20));
      expect(error.message).not.toContain(headers["webhook-signature"].slice(3, 20));
    }
  });
});

describe("secrets", () => {
  it("generateSecret() makes distinct whsec_ secrets of 32 bytes", () => {
    const [a, b] = [generateSecret(), generateSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
  });

  it.each([["whsec_"], ["whsec_not base64!"], ["whsec_c2hvcnQ="], [""]])(
    "createSigner(%j) throws a SignatureError that does not repeat the secret",
    (secret) => {
      const attempt = () => createSigner(secret);
      expect(attempt).toThrow(SignatureError);
      expect(attempt).toThrow(/whsec_ followed by base64/);
    },
  );

  it("accepts the reference library's secrets, with or without the prefix", async () => {
    const secret = generateSecret();
    const body = "{}";
    const headers = await createSigner(secret.slice(6)).headers("id", body);
    await expect(createVerifier(secret).verify(headers, body)).resolves.toBeTruthy();
  });
});

describe("createVerifier(...).verifySync", () => {
  const secret = generateSecret();
  const body = '{"a":1}';

  it("exists on node:crypto and returns what verify resolves; throws the same SignatureError synchronously", async () => {
    const verifier = createVerifier(secret, { backend: "node", now: () => nowMs });
    const headers = await createSigner(secret).headers("id-sync", body, nowMs);
    expect(verifier.verifySync).toBeTypeOf("function");
    expect(verifier.verifySync!(headers, body)).toEqual(await verifier.verify(headers, body));
    let thrown: unknown;
    try {
      verifier.verifySync!(headers, `${body} `);
    } catch (error) {
      thrown = error;
    }
    expect(isSignatureError(thrown) && thrown.reason).toBe("no_valid_signature");
    const pair = await generateKeyPair();
    const v1a = createVerifier([pair.publicKey], { backend: "node", now: () => nowMs });
    const signed = await createSigner(pair.secretKey).headers("id-v1a", body, nowMs);
    expect(v1a.verifySync!(signed, body)).toEqual({ id: "id-v1a", timestampSeconds: nowSeconds });
  });

  it("is undefined on Web Crypto, where verify is the only way", () => {
    expect(createVerifier(secret, { backend: "web" }).verifySync).toBeUndefined();
  });
});
