import { statusOf } from "@dttracker-dobbletap/contracts";
import { createDttrackerClient, type DttrackerClient, type SendResult } from "@dttracker-dobbletap/sdk";
import type { Decision, MockState, OfferRecord } from "./state.js";

/** What `POST /__mock/offers/{id}/accept|decline` answers: the local offer and the SDK's send result. */
export interface DecisionAnswer {
  status: number;
  body: { success: boolean; offer?: OfferRecord; sent?: Omit<SendResult, "failure">; error?: { code?: string; message: string } };
}

/**
 * Plays the creator on Dobbletap: accepts or declines an offer locally (as Dobbletap's "My Work" page
 * does), then tells DTTracker with the SDK's sender, retries included. Dobbletap's record changes even
 * when DTTracker cannot be reached — that is the truth the sender's `syncStatus` then reports. Calling
 * it again re-sends the same event id, so DTTracker sees a retry, not a second decision.
 *
 * @example
 * ```ts
 * const decide = createOfferDecisions(state, { dttrackerUrl: "http://127.0.0.1:4011/functions/v1", secret });
 * const answer = await decide("e4b8d2f6-…", "accepted");
 * ```
 */
export function createOfferDecisions(
  state: MockState,
  options: { dttrackerUrl: string | undefined; secret?: string | undefined; signingKey?: string | undefined; fetch?: typeof fetch },
): (offerId: string, decision: Decision, reason?: string) => Promise<DecisionAnswer> {
  let client: DttrackerClient | undefined;
  return async (offerId, decision, reason) => {
    if (options.dttrackerUrl === undefined) {
      return {
        status: 409,
        body: {
          success: false,
          error: {
            message:
              "No DTTracker to tell: start the mock with --dttracker-url <DTTracker functions base URL> " +
              "(e.g. http://127.0.0.1:4011/functions/v1 for a mock started with --as dttracker).",
          },
        },
      };
    }
    const outcome = state.decide(offerId, decision, reason);
    if (!outcome.ok) {
      return { status: statusOf(outcome.code), body: { success: false, error: { code: outcome.code, message: outcome.message } } };
    }
    const offer = outcome.result;
    offer.decisionEventId ??= state.id();
    if (options.secret === undefined && options.signingKey === undefined) {
      return {
        status: 409,
        body: {
          success: false,
          error: { message: "No key to sign the decision with: start the mock with --signing-key (whsk_…, v1a) or --secret (whsec_…, v1)." },
        },
      };
    }
    // One key per direction: decisions are signed with Dobbletap's own whsk_ (and the v1 secret, if any).
    client ??= createDttrackerClient({
      baseUrl: options.dttrackerUrl,
      ...(options.signingKey !== undefined && { secretKey: options.signingKey }),
      ...(options.secret !== undefined && { secret: options.secret }),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const data = { offerId: offer.id, campaignId: offer.campaignId, creatorId: offer.creatorId };
    const sent =
      decision === "accepted"
        ? await client.offerAccepted(data, { id: offer.decisionEventId })
        : await client.offerDeclined(offer.reason === undefined ? data : { ...data, reason: offer.reason }, {
            id: offer.decisionEventId,
          });
    // The failure object is an Error (it serialises to {}); syncStatus already carries its code and message.
    const { failure: _failure, ...shown } = sent;
    return { status: sent.success ? 200 : 502, body: { success: sent.success, offer, sent: shown } };
  };
}
