import { parseEventJson, type EventEnvelope } from "@dttracker-dobbletap/contracts";
import { isSignatureError } from "../errors/index.js";
import { headerOf } from "../signing/headers.js";
import { about, BAD_BEARER, failure, METHOD_NOT_ALLOWED, NOT_UTF8, UNREADABLE_BODY, UNSUPPORTED_MEDIA_TYPE, type Answer } from "./answers.js";
import { bearerMatches } from "./bearer.js";
import { isJsonContentType } from "./content-type.js";
import { readCappedBody } from "./read-body.js";
import type { ReceiverState } from "./receiver-state.js";
import type { Delivery } from "./receiver.js";

/** A delivery that passed every check before dedup: its verified bytes and its typed event. */
export interface CheckedDelivery {
  event: EventEnvelope;
  bytes: Uint8Array;
}

// Stateless between calls (no streaming), so one decoder serves every request.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The contract's checks, in order, up to a typed event: method (405), size (413, Content-Length
 * first, then a running cap), content type (415), bearer and signature (401), JSON (400), the
 * envelope (422), `webhook-id` = `id` (422). Each failure is answered here. Synchronous all the way
 * when the body is bytes already and the platform's HMAC is synchronous: a promise only where real
 * waiting happens (reading a stream, Web Crypto).
 */
export function check(state: ReceiverState, delivery: Delivery): Answer | CheckedDelivery | Promise<Answer | CheckedDelivery> {
  if (delivery.method !== "POST") return METHOD_NOT_ALLOWED;
  // Refuse a declared oversize body before reading a byte of it.
  const declared = headerOf(delivery.headers, "content-length");
  if (declared !== null && Number(declared) > state.maxBodyBytes) return state.tooLarge;
  const body = delivery.body;
  if (body instanceof Uint8Array) return checkBytes(state, delivery, body.byteLength > state.maxBodyBytes ? undefined : body);
  let reading: Promise<Uint8Array | undefined>;
  try {
    reading = typeof body === "function" ? body(state.maxBodyBytes) : readCappedBody(body, state.maxBodyBytes);
  } catch {
    return UNREADABLE_BODY;
  }
  return reading.then(
    (bytes) => checkBytes(state, delivery, bytes),
    () => UNREADABLE_BODY,
  );
}

function checkBytes(state: ReceiverState, delivery: Delivery, bytes: Uint8Array | undefined): Answer | CheckedDelivery | Promise<Answer | CheckedDelivery> {
  if (bytes === undefined) return state.tooLarge;
  const headers = delivery.headers;
  if (!isJsonContentType(headerOf(headers, "content-type"))) return UNSUPPORTED_MEDIA_TYPE;
  if (state.bearer !== undefined && !bearerMatches(headerOf(headers, "authorization"), state.bearer)) return BAD_BEARER;
  // Legacy bearer-only senders do not sign; a request that carries any signature header is verified.
  if (state.bearerOnly && headerOf(headers, "webhook-signature") === null && headerOf(headers, "webhook-timestamp") === null) {
    return checkEvent(state, bytes, headerOf(headers, "webhook-id"));
  }
  const { verifySync } = state.verifier;
  if (verifySync !== undefined) {
    let id: string;
    try {
      id = verifySync(headers, bytes).id;
    } catch (error) {
      return refusedSignature(error);
    }
    return checkEvent(state, bytes, id);
  }
  return state.verifier.verify(headers, bytes).then((verified) => checkEvent(state, bytes, verified.id), refusedSignature);
}

function refusedSignature(error: unknown): Answer {
  if (isSignatureError(error)) return failure("UNAUTHORIZED", error.message);
  throw error;
}

function checkEvent(state: ReceiverState, bytes: Uint8Array, deliveryId: string | null): Answer | CheckedDelivery {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return NOT_UTF8;
  }
  const parsed = parseEventJson(text, state.accept);
  if (!parsed.success) {
    const refused = failure(parsed.error.code, parsed.error.message, parsed.error.issues);
    // The verified webhook-id names the delivery in logs even when its body is not a contract event.
    if (deliveryId !== null) refused.id = deliveryId;
    return refused;
  }
  const event = parsed.event;
  if (deliveryId !== null && deliveryId !== event.id) {
    return about(
      failure("VALIDATION_FAILED", "The envelope id does not equal the webhook-id header: they must be the same idempotency key.", [
        { path: "id", message: "must equal the webhook-id header" },
      ]),
      event.event,
      event.id,
    );
  }
  return { event, bytes };
}
