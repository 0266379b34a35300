import { events, isEventName, parseEventData, providerStates, statusOf, type EventData, type EventName, type Issue } from "@dttracker-dobbletap/contracts";
import { createSigner, judgeAnswer } from "@dttracker-dobbletap/sdk";
import { closest } from "fastest-levenshtein";

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
  /** The event's `data` instead of the example's (`--data @file.json`); `set` applies on top. */
  data?: unknown;
  /** Build and sign the request, send nothing (`--dry-run`). */
  dryRun?: boolean;
  /** First send what the event needs at the receiver (`--with-prerequisites`): see {@link prerequisitesOf}. */
  withPrerequisites?: boolean;
  /** An answer that counts as the expected one: an error code (`CAMPAIGN_NOT_FOUND`) or a status (`404`). Default: a success. */
  expect?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The request `trigger` signs: what `--show-request` and `--dry-run` print. */
export interface SignedRequest {
  method: "POST";
  url: string;
  /** The headers sent, the signature included (an HMAC of this body: it proves nothing for another one). `authorization` is shown redacted. */
  headers: Record<string, string>;
  body: string;
}

/** One prerequisite `--with-prerequisites` set up before the event. */
export interface PrerequisiteReport {
  /** `event offer_sent`, or `state "an offer exists"`. */
  step: string;
  status?: number;
  /** True when the receiver now has what the event needs (a success, a duplicate). */
  ok: boolean;
  verdict: string;
}

/** What {@link trigger} saw. */
export interface TriggerReport {
  envelope: Record<string, unknown>;
  /** The signed request (sent, or only built with `dryRun`). */
  request: SignedRequest;
  /** What `withPrerequisites` did first, in order (empty without it). */
  prerequisites: PrerequisiteReport[];
  /** True when nothing was sent (`dryRun`). */
  dryRun: boolean;
  /** True when the answer is the one expected (a contract success, or `expect`): the CLI's ✓ and exit 0. */
  ok: boolean;
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
 * const to = "http://127.0.0.1:4010/functions/v1/make-server-8061e72e/webhooks/dttracker";
 * try { await trigger({ event: "offer_sent", to, secret: process.env.WEBHOOK_SECRET!, set: ["bad"] }); } catch (error) { if (error instanceof TriggerInputError) console.error(error.message); }
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
export function setPath(target: Record<string, unknown>, path: string, value: unknown, known?: Set<string>): void {
  const segments = path.split(".");
  if (segments.some((segment) => segment === "" || segment === "__proto__" || segment === "constructor" || segment === "prototype")) {
    throw new TriggerInputError(`--set path "${path}" is not a dotted path like data.offer.amount.amountMinor.`);
  }
  if (known !== undefined) {
    const pattern = segments.map((segment) => (/^\d+$/.test(segment) ? "#" : segment)).join(".");
    if (!known.has(pattern) && ![...known].some((k) => k.endsWith(".*") && pattern.startsWith(k.slice(0, -1)))) {
      const real = [...known].filter((k) => !k.endsWith(".*"));
      const nearest = closest(pattern, real).replaceAll("#", "0");
      throw new TriggerInputError(`--set path "${path}" does not exist in this event. Did you mean ${nearest}?`);
    }
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
export function exampleEnvelope(event: EventName, set: string[] = [], id: string = crypto.randomUUID(), data?: unknown): Record<string, unknown> {
  const envelope = structuredClone(events[event].example) as Record<string, unknown>;
  envelope.id = id;
  envelope.occurredAt = new Date().toISOString();
  if (data !== undefined) envelope.data = structuredClone(data);
  const known = schemaPaths(events[event].envelope);
  for (const assignment of set) {
    const equals = assignment.indexOf("=");
    if (equals <= 0) throw new TriggerInputError(`--set "${assignment}" must be path=value, e.g. data.offer.amount.amountMinor=100.`);
    setPath(envelope, assignment.slice(0, equals), parseValue(assignment.slice(equals + 1)), known);
  }
  return envelope;
}

/** The zod 4 definition fields this walk reads (duck-typed: the mock does not depend on zod itself). */
interface ZodDef {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDef } }>;
  element?: { _zod: { def: ZodDef } };
  innerType?: { _zod: { def: ZodDef } };
  in?: { _zod: { def: ZodDef } };
  out?: { _zod: { def: ZodDef } };
  options?: Array<{ _zod: { def: ZodDef } }>;
  left?: { _zod: { def: ZodDef } };
  right?: { _zod: { def: ZodDef } };
  getter?: () => { _zod: { def: ZodDef } };
}

/**
 * Every path a schema allows, array indices as `#` (`data.creators.#.status`); `x.*` where any key
 * goes (a record). What `--set` checks its paths against.
 *
 * @example
 * ```ts
 * schemaPaths(events.offer_sent.envelope).has("data.offer.amount.amountMinor"); // true
 * ```
 */
export function schemaPaths(schema: unknown): Set<string> {
  const paths = new Set<string>();
  const walk = (def: ZodDef | undefined, path: string, depth: number) => {
    if (def === undefined || depth > 12) return;
    if (path !== "") paths.add(path);
    const join = (key: string) => (path === "" ? key : `${path}.${key}`);
    switch (def.type) {
      case "object":
        for (const [key, child] of Object.entries(def.shape ?? {})) walk(child._zod.def, join(key), depth + 1);
        return;
      case "array":
        return walk(def.element?._zod.def, join("#"), depth + 1);
      case "record":
        paths.add(join("*"));
        return;
      case "union":
        for (const option of def.options ?? []) walk(option._zod.def, path, depth + 1);
        return;
      case "intersection":
        walk(def.left?._zod.def, path, depth + 1);
        return walk(def.right?._zod.def, path, depth + 1);
      case "pipe":
        return walk(def.in?._zod.def, path, depth + 1);
      case "lazy":
        return walk(def.getter?.()._zod.def, path, depth + 1);
      default:
        if (def.innerType) walk(def.innerType._zod.def, path, depth + 1);
    }
  };
  walk((schema as { _zod?: { def: ZodDef } })._zod?.def, "", 0);
  return paths;
}

/** What one event needs at its receiver first: an event to send, or (on a mock) a provider state. */
export type Prerequisite = { kind: "event"; event: EventName; data: unknown } | { kind: "state"; state: string; params: Record<string, string> };

const str = (value: unknown) => (typeof value === "string" ? value : "");
const campaignFor = (campaignId: unknown): Prerequisite => ({
  kind: "event",
  event: "campaign_created",
  data: { campaign: { ...structuredClone(events.campaign_created.example.data.campaign), id: str(campaignId) } },
});
const offerFor = (data: { offerId?: unknown; campaignId?: unknown; creatorId?: unknown }): Prerequisite => ({
  kind: "state",
  state: providerStates.offerExists,
  params: { offerId: str(data.offerId), campaignId: str(data.campaignId), creatorId: str(data.creatorId) },
});

/**
 * What `--with-prerequisites` sets up before each event, from the event's own data: the campaign
 * before an offer or an activation change, an offer before an accept or a decline. What no event
 * creates (Dobbletap's creators, DTTracker's offers) is set as a Pact provider state, which only a
 * mock (or a test deployment with a state endpoint) has. A new event is a compile error here.
 *
 * @example
 * ```ts
 * prerequisitesOf.offer_sent(events.offer_sent.example.data); // [{ kind: "state", state: "a creator exists", … }, { kind: "event", event: "campaign_created", … }]
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: the data is what a caller passed to trigger, read defensively (optional chaining) before it is validated.
export const prerequisitesOf: { [E in EventName]: (data: any) => Prerequisite[] } = {
  campaign_created: () => [],
  activation_updated: (data) => [campaignFor(data?.campaignId)],
  activation_cancelled: (data) => [campaignFor(data?.campaignId)],
  offer_sent: (data) => [
    { kind: "state", state: providerStates.creatorExists, params: { creatorId: str(data?.offer?.creatorId) } },
    campaignFor(data?.offer?.campaignId),
  ],
  creators_synced: () => [],
  offer_accepted: (data) => [offerFor(data ?? {})],
  offer_declined: (data) => [offerFor(data ?? {})],
};

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
  if (options.expect !== undefined && !/^(\d{3}|[A-Z_]+)$/.test(options.expect)) {
    throw new TriggerInputError(`--expect "${options.expect}" must be an error code (CAMPAIGN_NOT_FOUND) or an HTTP status (404).`);
  }
  const envelope = exampleEnvelope(options.event, options.set, options.id, options.data);
  const checked = parseEventData(options.event, envelope.data);
  const requestIssues = checked.success ? [] : (checked.error.issues ?? []);
  const request = await signedRequest(url, envelope, options);
  const shown: SignedRequest = { ...request, headers: { ...request.headers } };
  if (shown.headers.authorization) shown.headers.authorization = "Bearer (redacted)";
  const base = { envelope, request: shown, requestIssues, prerequisites: [] as PrerequisiteReport[], dryRun: options.dryRun === true };
  if (options.dryRun) return { ...base, ok: true, contractValid: true, synced: false, verdict: "Dry run: signed, not sent." };

  if (options.withPrerequisites) {
    for (const step of prerequisitesOf[options.event](envelope.data)) {
      const report = await setUp(step, url, options);
      base.prerequisites.push(report);
      if (!report.ok) {
        return {
          ...base,
          ok: false,
          contractValid: false,
          synced: false,
          verdict: `Prerequisite failed, ${options.event} not sent: ${report.step}: ${report.verdict}`,
        };
      }
    }
  }
  const sent = await send(url, request, options);
  if ("error" in sent) return { ...base, error: sent.error, ok: false, contractValid: false, synced: false, verdict: `No answer: ${sent.error}.` };
  const judged = judge(options.event, sent, String(envelope.id), checked.success ? checked.data : undefined);
  const code = (sent.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  const ok =
    options.expect === undefined
      ? judged.synced
      : judged.contractValid && (options.expect === String(sent.status) || (typeof code === "string" && options.expect === code));
  return { ...base, status: sent.status, body: sent.body, ok, ...judged };
}

async function signedRequest(url: URL, envelope: Record<string, unknown>, options: TriggerOptions): Promise<SignedRequest> {
  const body = JSON.stringify(envelope);
  const keys = [options.signingKey, options.secret].filter((key): key is string => key !== undefined);
  if (keys.length === 0) throw new TriggerInputError("Nothing to sign with: give --signing-key (whsk_…, v1a) or --secret (whsec_…, v1), or both.");
  const signed = await createSigner(keys).headers(String(envelope.id), body);
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json", ...signed };
  if (options.bearerToken !== undefined) headers.authorization = `Bearer ${options.bearerToken}`;
  return { method: "POST", url: url.href, headers, body };
}

async function send(url: URL, request: SignedRequest, options: TriggerOptions): Promise<{ status: number; text: string; body: unknown } | { error: string }> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    return { error: error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error) };
  }
  const text = await response.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // Not JSON: judged (and shown) as the text it is.
  }
  return { status: response.status, text, body: answer };
}

/** Sets up one prerequisite: an event to the same URL (a fresh id), or a provider state on the mock at the URL's origin. */
async function setUp(step: Prerequisite, url: URL, options: TriggerOptions): Promise<PrerequisiteReport> {
  if (step.kind === "event") {
    const name = `event ${step.event}`;
    const envelope = exampleEnvelope(step.event, [], crypto.randomUUID(), step.data);
    const sent = await send(url, await signedRequest(url, envelope, options), options);
    if ("error" in sent) return { step: name, ok: false, verdict: `no answer: ${sent.error}` };
    const judged = judge(step.event, sent, String(envelope.id), envelope.data as EventData<typeof step.event>);
    return { step: name, status: sent.status, ok: judged.synced, verdict: judged.verdict };
  }
  const name = `state "${step.state}"`;
  const states = new URL("/__mock/provider-states", url.origin);
  try {
    const response = await (options.fetch ?? fetch)(states, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ state: step.state, params: step.params, action: "setup" }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    await response.arrayBuffer();
    if (response.ok) return { step: name, status: response.status, ok: true, verdict: `set on the mock (${states.href})` };
    // Not a mock: no event creates this, so the receiver must already have it; the event's answer will say.
    if (response.status === 404)
      return { step: name, status: 404, ok: true, verdict: `skipped: ${states.href} is not a provider-state endpoint; the receiver must already have this` };
    return {
      step: name,
      status: response.status,
      ok: false,
      verdict: `${states.href} answered ${response.status}: the state could not be set (no event creates it). Create it at the receiver, then trigger without --with-prerequisites.`,
    };
  } catch (error) {
    return { step: name, ok: false, verdict: `could not reach ${states.href}: ${(error as Error).message}` };
  }
}

/**
 * Is this answer one the contract allows for the event? Judged by the SDK's own `judgeAnswer`, so
 * that trigger's ✓ and a client's `synced` never disagree; on top of it, an error answer is
 * contract-valid only with its code's HTTP status.
 */
function judge<E extends EventName>(
  event: E,
  sent: { status: number; text: string },
  id: string,
  data: EventData<E> | undefined,
): Pick<TriggerReport, "contractValid" | "synced" | "verdict"> {
  const { status } = sent;
  const judged = judgeAnswer(event, sent, { id, data });
  switch (judged.kind) {
    case "success":
      return {
        contractValid: true,
        synced: true,
        verdict: `Contract-valid success${judged.answer.duplicate ? " (duplicate)" : ""}: ${JSON.stringify(judged.answer.result)}.`,
      };
    case "invalid-answer": {
      if (judged.reason === "other-event") {
        return { contractValid: false, synced: false, verdict: `NOT a contract answer: eventId ${judged.answer.eventId} is not the id sent (${id}).` };
      }
      const issues = judged.issues.map((issue) => `${issue.path || "body"}: ${issue.message}`).join("; ");
      return { contractValid: false, synced: false, verdict: `NOT a contract answer: a ${status} whose body is not a ${event} success (${issues}).` };
    }
    case "unexpected-response":
      return { contractValid: false, synced: false, verdict: `NOT a contract answer: a ${status} without the contract's error body.` };
    case "error-answer": {
      const { code } = judged.answer.error;
      if (!judged.statusMatchesCode) {
        return { contractValid: false, synced: false, verdict: `NOT a contract answer: ${code} goes with HTTP ${statusOf(code)}, not ${status}.` };
      }
      return { contractValid: true, synced: false, verdict: `Contract-valid error answer: ${code}.` };
    }
  }
}
