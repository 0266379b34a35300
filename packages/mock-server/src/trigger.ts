import {
  events,
  isEventName,
  parseErrorAnswer,
  parseEventData,
  parseSuccessAnswer,
  statusOf,
  type EventName,
  type Issue,
} from "@dttracker-dobbletap/contracts";
import { createSigner } from "@dttracker-dobbletap/sdk";

/** Options of {@link trigger}. */
export interface TriggerOptions {
  /** The event whose contract example is sent. */
  event: EventName;
  /** The full URL of the receiving endpoint, e.g. `http://127.0.0.1:4010/functions/v1/make-server-8061e72e/webhooks/dttracker`. */
  to: string;
  /** The v1 secret (`whsec_…`) to sign with. At least one of `secret` and `signingKey`; both → both signatures. */
  secret?: string;
  /** The v1a secret key (`whsk_…`) of the party whose event this is. */
  signingKey?: string;
  /** Overrides, `path=value` from the envelope's root (`data.offer.amount.amountMinor=100`); values parse as JSON when they can. */
  set?: string[];
  /** The envelope id (and `webhook-id`). Default: a fresh UUID, so each trigger is a new delivery. */
  id?: string;
  /** Sent as `Authorization: Bearer …` (Supabase's gateway). */
  bearerToken?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** What {@link trigger} saw. */
export interface TriggerReport {
  envelope: Record<string, unknown>;
  /** Issues when the envelope sent breaks the contract on purpose (it is sent anyway). */
  requestIssues: Issue[];
  /** The HTTP status, or undefined when no answer came (`error` says why). */
  status?: number;
  body?: unknown;
  error?: string;
  /** True when the answer is one the contract allows for this event (a success or an error answer). */
  contractValid: boolean;
  /** True for a 2xx contract success answer naming what was done. */
  synced: boolean;
  /** One sentence on the above. */
  verdict: string;
}

/**
 * Thrown for a bad `--set`, event or URL, before anything is sent.
 *
 * @example
 * ```ts
 * try { await trigger({ event: "offer_sent", to, secret, set: ["bad"] }); } catch (error) { if (error instanceof TriggerInputError) console.error(error.message); }
 * ```
 */
export class TriggerInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TriggerInputError";
  }
}

/**
 * Parses an override value: JSON when it parses (`100`, `true`, `{"a":1}`, `"x"`), else the raw string.
 *
 * @example
 * ```ts
 * parseValue("7500000"); // 7500000
 * parseValue("pending"); // "pending"
 * ```
 */
export function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Sets a dotted path in a JSON value, creating objects (or arrays, for numeric segments) on the way.
 *
 * @example
 * ```ts
 * setPath(envelope, "data.creators.0.status", "pending");
 * ```
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split(".");
  if (segments.some((segment) => segment === "" || segment === "__proto__" || segment === "constructor" || segment === "prototype")) {
    throw new TriggerInputError(`--set path "${path}" is not a dotted path like data.offer.amount.amountMinor.`);
  }
  let node: Record<string, unknown> = target;
  for (let index = 0; index < segments.length - 1; index++) {
    const key = segments[index]!;
    let next = node[key];
    if (typeof next !== "object" || next === null) {
      next = /^\d+$/.test(segments[index + 1]!) ? [] : {};
      node[key] = next;
    }
    node = next as Record<string, unknown>;
  }
  node[segments.at(-1)!] = value;
}

/**
 * Builds the envelope `trigger` sends: the contract's example for the event, a fresh id and
 * `occurredAt`, then the overrides in order.
 *
 * @example
 * ```ts
 * const envelope = exampleEnvelope("creators_synced", ["data.creators.0.status=pending"]);
 * ```
 */
export function exampleEnvelope(event: EventName, set: string[] = [], id: string = crypto.randomUUID()): Record<string, unknown> {
  const envelope = structuredClone(events[event].example) as Record<string, unknown>;
  envelope.id = id;
  envelope.occurredAt = new Date().toISOString();
  for (const assignment of set) {
    const equals = assignment.indexOf("=");
    if (equals <= 0) throw new TriggerInputError(`--set "${assignment}" must be path=value, e.g. data.offer.amount.amountMinor=100.`);
    setPath(envelope, assignment.slice(0, equals), parseValue(assignment.slice(equals + 1)));
  }
  return envelope;
}

/**
 * Signs and sends one contract example (with overrides) to a real endpoint, once, and judges the
 * answer against the contract. It signs and POSTs the envelope itself rather than through the SDK's
 * client because it must be able to send contract-INVALID data on purpose (to see a receiver's 422);
 * the client refuses that before sending. It never retries: it shows what one delivery gets.
 *
 * @example
 * ```ts
 * const report = await trigger({ event: "offer_sent", to: `${mock.url}/webhooks/dttracker`, secret });
 * console.log(report.status, report.verdict);
 * ```
 */
export async function trigger(options: TriggerOptions): Promise<TriggerReport> {
  if (!isEventName(options.event)) {
    throw new TriggerInputError(`Unknown event "${String(options.event)}". Events: ${Object.keys(events).join(", ")}.`);
  }
  let url: URL;
  try {
    url = new URL(options.to);
  } catch {
    throw new TriggerInputError(`--to "${options.to}" is not a URL. Give the receiving endpoint's full URL.`);
  }
  const envelope = exampleEnvelope(options.event, options.set, options.id);
  const checked = parseEventData(options.event, envelope.data);
  const requestIssues = checked.success ? [] : (checked.error.issues ?? []);
  const body = JSON.stringify(envelope);
  const keys = [options.signingKey, options.secret].filter((key): key is string => key !== undefined);
  if (keys.length === 0) throw new TriggerInputError("Nothing to sign with: give --signing-key (whsk_…, v1a) or --secret (whsec_…, v1), or both.");
  const signed = await createSigner(keys).headers(String(envelope.id), body);
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json", ...signed };
  if (options.bearerToken !== undefined) headers.authorization = `Bearer ${options.bearerToken}`;

  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return { envelope, requestIssues, error: reason, contractValid: false, synced: false, verdict: `No answer: ${reason}.` };
  }
  const text = await response.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // Not JSON: judged (and shown) as the text it is.
  }
  return { envelope, requestIssues, status: response.status, body: answer, ...judge(options.event, response.status, answer, String(envelope.id)) };
}

/** Is this answer one the contract allows for the event? */
function judge(event: EventName, status: number, body: unknown, id: string): Pick<TriggerReport, "contractValid" | "synced" | "verdict"> {
  if (status >= 200 && status < 300) {
    const parsed = parseSuccessAnswer(event, body);
    if (!parsed.success) {
      const issues = parsed.issues.map((issue) => `${issue.path || "body"}: ${issue.message}`).join("; ");
      return { contractValid: false, synced: false, verdict: `NOT a contract answer: a ${status} whose body is not a ${event} success (${issues}).` };
    }
    if (parsed.answer.eventId !== id) {
      return { contractValid: false, synced: false, verdict: `NOT a contract answer: eventId ${parsed.answer.eventId} is not the id sent (${id}).` };
    }
    return {
      contractValid: true,
      synced: true,
      verdict: `Contract-valid success${parsed.answer.duplicate ? " (duplicate)" : ""}: ${JSON.stringify(parsed.answer.result)}.`,
    };
  }
  const failure = parseErrorAnswer(body);
  if (!failure) return { contractValid: false, synced: false, verdict: `NOT a contract answer: a ${status} without the contract's error body.` };
  const expected = statusOf(failure.error.code);
  if (expected !== status) {
    return {
      contractValid: false,
      synced: false,
      verdict: `NOT a contract answer: ${failure.error.code} goes with HTTP ${expected}, not ${status}.`,
    };
  }
  return { contractValid: true, synced: false, verdict: `Contract-valid error answer: ${failure.error.code}.` };
}
