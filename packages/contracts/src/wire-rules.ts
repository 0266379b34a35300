/**
 * The rules of the wire that are not a schema: signing, retention, retries. One home for each, so
 * that `docs/contract.md` and the code that enforces them say the same number.
 *
 * @example
 * ```ts
 * import { wireRules } from "@dttracker-dobbletap/contracts";
 * wireRules.signatureToleranceSeconds; // 300
 * ```
 */
export const wireRules = {
  /** How far `webhook-timestamp` may be from the receiver's clock, either way. */
  signatureToleranceSeconds: 300,
  /** How long a receiver remembers a successful event id (with a digest of `event` + `data`). */
  dedupRetentionDays: 7,
  /** The sender's delays after the first attempt (±20% jitter); after the last, dead-lettered. */
  retryScheduleSeconds: [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400],
  /** The signature schemes of Standard Webhooks a receiver may be configured for. */
  signatureSchemes: {
    v1: { algorithm: "HMAC-SHA256", senderKey: "whsec_", receiverKey: "whsec_" },
    v1a: { algorithm: "Ed25519", senderKey: "whsk_", receiverKey: "whpk_" },
  },
} as const;
