import { readFile } from "node:fs/promises";
import { Brand, Campaign, Creator, Offer, Uuid, events, text, toIssues, type Party } from "@dttracker-dobbletap/contracts";
import type { MockSeed } from "./state.js";

/** Which party the mock plays: one of the contract's parties. */
export type MockParty = Party;

// The seed schema is built from the contract's own schemas (this package does not depend on zod
// directly): a seeded record is exactly what the contract would have delivered, plus its status.
const CampaignStatus = events.campaign_created.result.shape.status;
// An offer's lifecycle, from the statuses the contract's answers give it: offered (offer_sent),
// accepted / declined (the creator's decision), cancelled (its campaign or assignment was).
const OfferStatus = events.offer_sent.result.shape.status
  .or(events.offer_accepted.result.shape.status)
  .or(events.offer_declined.result.shape.status)
  .or(events.activation_cancelled.result.options[1].shape.status);
const objectOf = Brand.pick({}).extend.bind(Brand.pick({}));

/**
 * The `--seed FILE` format, validated on load. Every list is optional.
 *
 * ```json
 * {
 *   "brands": [{ "id": "<uuid>", "name": "Glow Cosmetics" }],
 *   "campaigns": [{ "id": "<uuid>", "brand": { "id": "<uuid>", "name": "…" }, "title": "…",
 *                   "platforms": ["tiktok"], "visibility": "public", "status": "active" }],
 *   "creators": [{ "dobbletapId": "<uuid>", "handle": "wickhed7", "platforms": [], "status": "active",
 *                  "updatedAt": "2026-02-08T08:55:00.000Z", "dttrackerId": "<uuid>" }],
 *   "offers": [{ "id": "<uuid>", "campaignId": "<uuid>", "creatorId": "<uuid>",
 *                "amount": { "currency": "NGN", "amountMinor": 7500000 }, "status": "offered" }],
 *   "cancelledAssignments": [{ "campaignId": "<uuid>", "creatorId": "<uuid>" }]
 * }
 * ```
 *
 * Campaigns, creators and offers have the contract's shapes (`Campaign`, `Creator`, `Offer`); the
 * additions are `status` (campaigns: active | cancelled, offers: offered | accepted | declined |
 * cancelled; default active / offered), a creator's `dttrackerId`, and a campaign's or an offer's
 * `recordId` (Dobbletap's own id for it, which its answers name; generated when absent). `GET /__mock/state` answers in
 * this format, so a state can be saved and used as a seed.
 *
 * @example
 * ```ts
 * const seed = SeedSchema.parse(JSON.parse(text));
 * ```
 */
export const SeedSchema = objectOf({
  brands: Brand.array().optional(),
  campaigns: Campaign.safeExtend({
    status: CampaignStatus.optional(),
    cancelReason: text(500).optional(),
    recordId: Uuid.optional(),
  })
    .array()
    .optional(),
  creators: Creator.extend({ dttrackerId: Uuid.optional() }).array().optional(),
  offers: Offer.extend({
    status: OfferStatus.optional(),
    reason: text(500).optional(),
    recordId: Uuid.optional(),
    // The event id an admin accept/decline sends under, kept so a resend after a restart is the same event.
    decisionEventId: Uuid.optional(),
  })
    .array()
    .optional(),
  cancelledAssignments: objectOf({ id: Uuid.optional(), campaignId: Uuid, creatorId: Uuid, reason: text(500).optional() })
    .array()
    .optional(),
}).strict();

/** DTTracker's id for the demo creator (the mock is DTTracker's store, so it picks one). */
export const DEMO_DTTRACKER_CREATOR_ID = "6b0f2a4c-8d1e-4f3a-9b5c-7e9d1f3a5b7c";

/**
 * The built-in demo data, taken from the contract's examples so that every example works against the
 * mock out of the box: the brand and campaign of `campaign_created`, the creator `wickhed7` of
 * `creators_synced`, and — as DTTracker only — the offer of `offer_sent` in status `offered` (so
 * `offer_accepted` can be answered). As Dobbletap the offer is absent: sending the `offer_sent`
 * example creates it.
 *
 * @example
 * ```ts
 * const state = new MockState(demoSeed("dttracker"));
 * ```
 */
export function demoSeed(as: MockParty): MockSeed {
  const campaign = Campaign.parse(events.campaign_created.example.data.campaign);
  const creator = Creator.parse(events.creators_synced.example.data.creators[0]);
  const offer = Offer.parse(events.offer_sent.example.data.offer);
  return {
    brands: [campaign.brand],
    campaigns: [{ ...campaign, status: "active" }],
    creators: [as === "dttracker" ? { ...creator, dttrackerId: DEMO_DTTRACKER_CREATOR_ID } : creator],
    offers: as === "dttracker" ? [{ ...offer, status: "offered" }] : [],
  };
}

/**
 * A seed file that could not be read or does not match {@link SeedSchema}.
 *
 * @example
 * ```ts
 * try { parseSeed(JSON.parse(text)); } catch (error) { if (error instanceof SeedError) console.error(error.message); }
 * ```
 */
export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeedError";
  }
}

/**
 * Validates a parsed seed; throws a {@link SeedError} listing each problem by path.
 *
 * @example
 * ```ts
 * const seed = parseSeed(JSON.parse(text), "seed.json");
 * ```
 */
export function parseSeed(value: unknown, source = "the seed"): MockSeed {
  const parsed = SeedSchema.safeParse(value);
  if (parsed.success) return parsed.data as MockSeed;
  const lines = toIssues(parsed.error).map((issue) => `  ${issue.path || "(root)"}: ${issue.message}`);
  throw new SeedError(`${source} is not a valid seed:\n${lines.join("\n")}\nSee the seed format in the mock-server README.`);
}

/**
 * Reads and validates a `--seed FILE`.
 *
 * @example
 * ```ts
 * const seed = await readSeedFile("./seed.json");
 * ```
 */
export async function readSeedFile(path: string): Promise<MockSeed> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SeedError(`Cannot read seed file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SeedError(`Seed file ${path} is not valid JSON.`);
  }
  return parseSeed(value, `Seed file ${path}`);
}
