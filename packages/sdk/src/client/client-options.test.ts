/**
 * A client made with an unset or malformed key fails at creation, not at the first send, with a
 * message that says what it expected (whsec_… / whsk_…) and where the value is read from; the
 * value itself is never repeated.
 */
import { describe, expect, it } from "vitest";
import { isSignatureError } from "../errors/index.js";
import { generateKeyPair, generateSecret } from "../signing/index.js";
import { createDobbletapClient, createDttrackerClient } from "./create-client.js";
import type { ClientOptions } from "./types.js";

const baseUrl = "http://127.0.0.1:4010";

function creationError(options: Partial<ClientOptions>, create: (options: ClientOptions) => unknown = createDobbletapClient): Error {
  try {
    create({ baseUrl, ...options });
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the client's creation to throw");
}

describe("createDobbletapClient(options) with an unusable key", () => {
  it("secret: process.env.X! that is unset (undefined) throws at creation naming whsec_, whsk_ and where it is read from", () => {
    const env: Record<string, string | undefined> = {};
    const error = creationError({ secret: env.DOBBLETAP_WEBHOOK_SECRET! });

    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^The Dobbletap client needs secretKey \(whsk_…, v1a, recommended\) or secret \(whsec_…, v1\)/);
    expect(error.message).toContain("It was given secret: undefined.");
    expect(error.message).toContain("process.env.DOBBLETAP_WEBHOOK_SECRET");
    expect(error.message).toMatch(/an unset variable gives undefined/);
    expect(error.message).not.toMatch(/not iterable/);
  });

  it("createDttrackerClient names DTTracker's variable", () => {
    const error = creationError({ secret: undefined }, createDttrackerClient);
    expect(error.message).toMatch(/^The DTTracker client needs secretKey/);
    expect(error.message).toContain("process.env.DTTRACKER_WEBHOOK_SECRET");
  });

  it.each([
    ["an empty string (a variable set to nothing)", "", /secret is an empty string; it expects a v1 signing secret: whsec_ followed by base64/],
    ["a number", 42, /secret is a value of type number; it expects a v1 signing secret: whsec_/],
    ["a list holding an unset value", [undefined], /secret\[0\] is undefined; it expects a v1 signing secret: whsec_/],
  ])("secret as %s throws a SignatureError bad_secret saying what it expects", (_, secret, message) => {
    const error = creationError({ secret: secret as string });

    expect(isSignatureError(error) && error.reason).toBe("bad_secret");
    expect(error.message).toMatch(message);
    expect(error.message).toContain("read from the client's secret option");
  });

  it("a malformed secret says what it expected and where it came from, without repeating it", () => {
    const malformed = "not-a-real-secret-value";
    const error = creationError({ secret: malformed });

    expect(isSignatureError(error)).toBe(true);
    expect(error.message).toMatch(/^The Dobbletap client's secret is not usable: The signing secret is not whsec_ followed by base64/);
    expect(error.message).toContain("process.env.DOBBLETAP_WEBHOOK_SECRET");
    expect(error.message).not.toContain(malformed);
  });

  it("secretKey unset or malformed names whsk_ and its own variable", async () => {
    expect(creationError({ secretKey: undefined }).message).toContain("It was given secretKey: undefined.");
    const error = creationError({ secretKey: "whsk_short" });
    expect(error.message).toMatch(/^The Dobbletap client's secretKey is not usable: secretKey is not whsk_ followed by base64/);
    expect(error.message).toContain("process.env.DOBBLETAP_SIGNING_KEY");
    // A whsec_ given as secretKey is named as the wrong kind.
    expect(creationError({ secretKey: generateSecret() }).message).toMatch(/secretKey needs a v1a secret key \(whsk_…\), but it was given a v1 signing secret/);
    // And good keys make a client.
    const { secretKey } = await generateKeyPair();
    expect(() => createDobbletapClient({ baseUrl, secretKey: [secretKey], secret: generateSecret() })).not.toThrow();
  });
});
