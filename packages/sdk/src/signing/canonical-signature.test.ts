// A v1 signature is accepted only in canonical base64, exactly as the reference `standardwebhooks`:
// without `=` padding, or with a last character whose unused bits are set, it decodes to the right
// MAC but is refused (nothing can be forged this way; the point is to be exactly as strict).
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { createSigner, createVerifier, generateSecret } from "./index.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const secret = generateSecret();
const body = JSON.stringify({ id: "e1", hello: "world" });

async function headersWith(mutate: (mac: string) => string): Promise<Record<string, string>> {
  const headers = await createSigner(secret).headers("e1", new TextEncoder().encode(body));
  const mac = headers["webhook-signature"].slice(3);
  return { ...headers, "webhook-signature": `v1,${mutate(mac)}` };
}

function referenceAccepts(headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

async function oursAccepts(headers: Record<string, string>): Promise<boolean> {
  return createVerifier(secret)
    .verify(headers, body)
    .then(
      () => true,
      () => false,
    );
}

/** The same 43rd character with its two unused low bits set to `bits` (1..3): decodes to the same MAC. */
function nonCanonical(mac: string, bits: number): string {
  const last = ALPHABET.indexOf(mac[42]!);
  return `${mac.slice(0, 42)}${ALPHABET[(last & ~3) | bits]}=`;
}

describe("createVerifier(secret).verify refuses a v1 MAC that is not canonical base64, as standardwebhooks does", () => {
  it("the canonical MAC is accepted by both", async () => {
    const headers = await headersWith((mac) => mac);
    expect(referenceAccepts(headers)).toBe(true);
    expect(await oursAccepts(headers)).toBe(true);
  });

  it("a MAC without its `=` padding is refused by both", async () => {
    const headers = await headersWith((mac) => mac.replace(/=+$/, ""));
    expect(referenceAccepts(headers)).toBe(false);
    expect(await oursAccepts(headers)).toBe(false);
  });

  it.each([1, 2, 3])("a MAC whose last character has unused bits %i is refused by both", async (bits) => {
    const headers = await headersWith((mac) => nonCanonical(mac, bits));
    expect(referenceAccepts(headers)).toBe(false);
    expect(await oursAccepts(headers)).toBe(false);
  });

  it("property: for any edit of the MAC text, ours accepts exactly when the reference does", async () => {
    const signed = await createSigner(secret).headers("e1", new TextEncoder().encode(body));
    const mac = signed["webhook-signature"].slice(3);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: mac.length }), fc.nat({ max: 3 }), fc.constantFrom(...ALPHABET, "=", "-", "_", ""), async (at, drop, insert) => {
        const edited = mac.slice(0, at) + insert + mac.slice(Math.min(mac.length, at + drop));
        const headers = { ...signed, "webhook-signature": `v1,${edited}` };
        expect(await oursAccepts(headers)).toBe(referenceAccepts(headers));
      }),
      { numRuns: 300 },
    );
  });
});
