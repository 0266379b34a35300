import { createSigner } from "@dttracker-dobbletap/sdk";
import type { ReceivedEvent } from "./log.js";

/** A delivery that cannot be replayed (its body was cut in the log, or never read). */
export class ReplayError extends Error {
  constructor(
    message: string,
    readonly status = 409,
  ) {
    super(message);
    this.name = "ReplayError";
  }
}

/** What a replay got back. */
export interface ReplayAnswer {
  /** The id sent: the original one, or a fresh one with `newId`. */
  id: string;
  status: number;
  body: unknown;
}

/**
 * Sends a logged delivery again, signed afresh with the mock's secret (a signature is only valid for
 * 5 minutes): to this mock's own route for an `in` delivery, to the URL it went to for an `out` one.
 * With the same id a correct receiver answers the first result with `duplicate: true`; with
 * `newId` the envelope's `id` and `webhook-id` are a fresh UUID, so it is a new delivery. The replay
 * is logged like any delivery.
 *
 * @example
 * ```ts
 * const answer = await replayDelivery(entry, { origin: mock.origin, secret: mock.secret, newId: false });
 * answer.body; // { success: true, duplicate: true, … }
 * ```
 */
export async function replayDelivery(entry: ReceivedEvent, options: { origin: string; secret: string; newId: boolean }): Promise<ReplayAnswer> {
  const request = entry.request;
  if (!request || request.body === "")
    throw new ReplayError(`Delivery ${entry.seq} has no body in the log (a faulted delivery is refused unread): nothing to replay.`);
  if (request.truncated) throw new ReplayError(`Delivery ${entry.seq}'s body was cut in the log (over 64 KiB): it cannot be replayed.`);
  let body = request.body;
  let id = entry.id ?? request.headers["webhook-id"];
  if (options.newId) {
    id = crypto.randomUUID();
    let envelope: Record<string, unknown>;
    try {
      envelope = JSON.parse(body) as Record<string, unknown>;
    } catch {
      throw new ReplayError(`Delivery ${entry.seq}'s body is not JSON: it can only be replayed with its own id.`);
    }
    if (typeof envelope !== "object" || envelope === null || Array.isArray(envelope)) {
      throw new ReplayError(`Delivery ${entry.seq}'s body is not a JSON object: it can only be replayed with its own id.`);
    }
    envelope.id = id;
    body = JSON.stringify(envelope);
  }
  if (id === undefined) throw new ReplayError(`Delivery ${entry.seq} has no id (no webhook-id, no envelope id): give it one with { "newId": true }.`);
  const url = entry.direction === "out" ? entry.path : options.origin + entry.path;
  const signed = await createSigner(options.secret).headers(id, body);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": request.headers["content-type"] ?? "application/json", ...signed },
    body,
    signal: AbortSignal.timeout(10_000),
  }).catch((error: Error) => {
    throw new ReplayError(`Could not reach ${url}: ${error.cause instanceof Error ? error.cause.message : error.message}.`, 502);
  });
  const text = await response.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // Shown as the text it is.
  }
  return { id, status: response.status, body: answer };
}
