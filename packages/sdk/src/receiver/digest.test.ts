// The dedup digest outlives releases (Postgres rows are kept 7 days and shared by every instance):
// its format is pinned here, and a digest written by an earlier release still means what it meant.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { digestMatches, digestOf, legacyDigestOf, webDigestOf } from "./digest.js";

const data = {
  offer: {
    id: "0b0e8e8c-3c1f-4d2a-9b7e-5f6a7b8c9d0e",
    campaignId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    creatorId: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
    amount: { currency: "NGN", amountMinor: 7500000 },
  },
};
const other = { offer: { ...data.offer, amount: { currency: "NGN", amountMinor: 7500001 } } };

describe("digestOf(data)", () => {
  it("is sha256: and the base64url SHA-256 of the data's JSON text", () => {
    expect(digestOf(data)).toBe(`sha256:${createHash("sha256").update(JSON.stringify(data)).digest("base64url")}`);
  });

  it("is the same through Web Crypto (Deno, edge) as through node:crypto", async () => {
    expect(await webDigestOf(data)).toBe(digestOf(data));
    expect(await webDigestOf({ text: "naïve — ünïcode ✓" })).toBe(digestOf({ text: "naïve — ünïcode ✓" }));
  });

  it("tells other data apart", () => {
    expect(digestOf(other)).not.toBe(digestOf(data));
  });
});

describe("digestMatches(stored, data, current)", () => {
  it("compares a digest of this release with the current one", () => {
    const current = digestOf(data) as string;
    expect(digestMatches(current, data, current)).toBe(true);
    expect(digestMatches(digestOf(other) as string, data, current)).toBe(false);
  });

  it("still recognises a digest written by releases ≤ 0.1 (cyrb53, no prefix), for the same data only", () => {
    // What 0.1's receiver stored for this data (computed with its code, pinned).
    const written = "1fa6qo3feu1";
    expect(legacyDigestOf(data)).toBe(written);
    expect(digestMatches(written, data, digestOf(data) as string)).toBe(true);
    expect(digestMatches(written, other, digestOf(other) as string)).toBe(false);
  });
});
