/**
 * The delivery every measurement uses: a signed `offer_sent` of about 1 KB, built from the contract's
 * own example (so the mock's demo seed knows its campaign and creator), with a longer message.
 */
import { createHmac, randomUUID } from "node:crypto";

/** The contract's `offer_sent` example, with a message long enough to make the body ~1 KB. */
export function offerSentEnvelope(example: OfferSentEnvelope, ids: { id?: string; offerId?: string } = {}): OfferSentEnvelope {
  return {
    ...example,
    id: ids.id ?? example.id,
    data: {
      offer: {
        ...example.data.offer,
        id: ids.offerId ?? example.data.offer.id,
        message:
          "Loved your last skincare reel. We would like one 45-60 second TikTok for our new SPF 50 serum: " +
          "show your morning routine, apply it on camera, and mention that it leaves no white cast. " +
          "Please tag @glowcosmetics, use #GlowSPF and #SunSafeNaija, and keep the first three seconds " +
          "product-first. We will send the serum and a script outline once you accept; the deadline " +
          "below is for the draft. Usage rights: 90 days organic and paid on TikTok and Instagram. " +
          "Payment within 7 days of the approved post. Questions? Reply here and our team will help. " +
          "A second round of edits is included; a third is paid separately at 20% of the fee.",
      },
    },
  };
}

export interface OfferSentEnvelope {
  id: string;
  event: "offer_sent";
  occurredAt: string;
  data: {
    offer: { id: string; campaignId: string; creatorId: string; amount: { currency: string; amountMinor: number }; message?: string; deadline?: string };
  };
}

/** Decodes `whsec_<base64>` to the HMAC key bytes, as every Standard Webhooks implementation does. */
export function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ""), "base64");
}

/** Signs one attempt with node:crypto directly (the load generator must not be the SDK under test). */
export function signHeaders(key: Buffer, id: string, body: string, nowMs = Date.now()): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest("base64");
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": `v1,${mac}`,
  };
}

/**
 * A fresh signed delivery: new envelope id and new offer id, so a correct receiver does the full
 * work (it is neither a duplicate id nor the same offer again).
 */
export function uniqueSignedDelivery(example: OfferSentEnvelope, key: Buffer): { body: string; headers: Record<string, string> } {
  const id = randomUUID();
  const body = JSON.stringify(offerSentEnvelope(example, { id, offerId: randomUUID() }));
  return { body, headers: signHeaders(key, id, body) };
}

/** Signs `count` fresh deliveries now, before the clock starts (a signature is valid for 5 minutes). */
export function presign(example: OfferSentEnvelope, key: Buffer, count: number): Array<{ body: string; headers: Record<string, string> }> {
  return Array.from({ length: count }, () => uniqueSignedDelivery(example, key));
}
