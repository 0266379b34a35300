/**
 * Standard Webhooks verification alone: `@dttracker-dobbletap/sdk/verify`. Signatures, timestamps
 * and keys, without the contract's schemas, so it loads no zod (about 2 KB gzip): for an API
 * gateway or a middleware that checks a delivery's signature before handing it on.
 *
 * @example
 * ```ts
 * import { createVerifier, isSignatureError } from "@dttracker-dobbletap/sdk/verify";
 *
 * const verifier = createVerifier([process.env.DOBBLETAP_PUBLIC_KEY!]);
 * try {
 *   await verifier.verify(request.headers, new Uint8Array(await request.arrayBuffer()));
 * } catch (error) {
 *   if (isSignatureError(error)) return new Response(error.message, { status: 401 });
 *   throw error;
 * }
 * ```
 *
 * @packageDocumentation
 */
export { isSignatureError, SignatureError, type SignatureFailure } from "./errors/signature-error.js";
export type { HeadersLike } from "./signing/headers.js";
export type { HmacBackend } from "./signing/hmac.js";
export type { CryptoOptions } from "./signing/sign.js";
export { createVerifier, type VerifiedDelivery, type VerifyOptions, type WebhookVerifier } from "./signing/verify.js";
