/** Delivering one event to a receiver under test as a sender would: plain fetch, signed headers. */
import type { WebhookSigner } from "../../src/signing/index.js";

/** POSTs `body` to `url` as JSON with `signer`'s headers for `id` (bounded at 15 s). */
export async function postSigned(url: string, signer: WebhookSigner, id: string, body: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(await signer.headers(id, body)) },
    body,
    signal: AbortSignal.timeout(15_000),
  });
}

/** {@link postSigned} for an event object; resolves with the status and the parsed JSON answer. */
export async function deliver(url: string, signer: WebhookSigner, event: object & { id: string }): Promise<{ status: number; body: any }> {
  const response = await postSigned(url, signer, event.id, JSON.stringify(event));
  return { status: response.status, body: await response.json() };
}
