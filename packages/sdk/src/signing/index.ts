export type { HmacBackend } from "./hmac.js";
export { generateSecret } from "./secret.js";
export { generateKeyPair, type KeyPair } from "./keys.js";
export { createSigner, type CryptoOptions, type SignedHeaders, type WebhookSigner } from "./sign.js";
export { headerOf, type HeadersLike } from "./headers.js";
export { createVerifier, type VerifiedDelivery, type VerifyOptions, type WebhookVerifier } from "./verify.js";
