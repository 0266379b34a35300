/** How a delivery's signature fared, as the log shows it (never the signature or the secret). */
export type SignatureCheck = "verified" | "failed" | "missing" | "not checked";

/** What was sent in one delivery, as the log keeps it. */
export interface LoggedRequest {
  method: string;
  /** Header names in lower case. `webhook-signature` and `authorization` are replaced by what they proved. */
  headers: Record<string, string>;
  /** The raw body as text (the first {@link MAX_LOGGED_BODY} characters). */
  body: string;
  /** True when the body was longer than what is kept (it cannot be replayed). */
  truncated?: boolean;
  signature: SignatureCheck;
}

/** The answer to one delivery, as the log keeps it. */
export interface LoggedResponse {
  status: number;
  body: string;
  truncated?: boolean;
}

/**
 * One delivery the mock received (`in`: on a webhook route) or sent (`out`: an accept/decline to
 * DTTracker, one entry per attempt), as `GET /__mock/events` lists it. The first fields are those
 * of earlier versions, unchanged.
 */
export interface ReceivedEvent {
  /** When the answer was sent (ISO-8601). */
  at: string;
  /** The webhook route's path (`in`) or the URL called (`out`). */
  path: string;
  event?: string;
  id?: string;
  /** The HTTP status; 0 when there was none (a dropped connection, a network error). */
  status: number;
  code?: string;
  duplicate?: boolean;
  /** The record the success answer names (`{ type, id, status }`, or the creator mapping). */
  result?: unknown;
  /** Set when an injected fault answered instead of the receiver. */
  fault?: "status" | "drop" | "latency";
  ms: number;
  /** Position in the log since the mock started, from 1; never reused (not even after a clear). */
  seq?: number;
  direction?: "in" | "out";
  request?: LoggedRequest;
  response?: LoggedResponse;
  /** Why it failed, in words: the error answer's message, the network error, the fault. */
  error?: string;
}

/** Filters of `GET /__mock/events` (each one optional). */
export interface EventFilter {
  event?: string;
  /** An exact status (`404`) or a class (`2xx`, `4xx`, `5xx`); `0` for no answer. */
  status?: string;
  /** The delivery id (`webhook-id`), exactly. */
  id?: string;
  direction?: "in" | "out";
  /** Only entries after this `seq` (to poll, or to resume a stream). */
  after?: number;
  /** At most this many, the newest. */
  limit?: number;
}

/** Bodies longer than this many characters are cut in the log (they stay whole on the wire). */
export const MAX_LOGGED_BODY = 64 * 1024;

/**
 * The deliveries received and sent, newest last. Bounded twice, so a long benchmark run cannot grow
 * the mock's memory without limit: at most `capacity` entries and about `maxBytes` of bodies (the
 * oldest go first). `total` keeps counting.
 *
 * @example
 * ```ts
 * const log = new EventLog(1000);
 * log.push({ at: new Date().toISOString(), path: "/webhooks/dttracker", status: 200, ms: 1 });
 * log.list({ status: "2xx" }); // [ … ]
 * ```
 */
export class EventLog {
  private entries: ReceivedEvent[] = [];
  private bytes = 0;
  private nextSeq = 1;
  private readonly listeners = new Set<(entry: ReceivedEvent | "clear") => void>();
  /** Every entry ever pushed since the last clear, including those dropped. */
  total = 0;

  constructor(
    readonly capacity = 10_000,
    readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  push(entry: ReceivedEvent): ReceivedEvent {
    entry.seq = this.nextSeq++;
    entry.direction ??= "in";
    this.total++;
    this.entries.push(entry);
    this.bytes += sizeOf(entry);
    // Over a bound: drop a tenth of the capacity at once (amortised O(1)), more if bodies demand it.
    if (this.entries.length > this.capacity || this.bytes > this.maxBytes) {
      const batch = Math.max(1, Math.floor(this.capacity / 10));
      let drop = 0;
      let freed = 0;
      while (drop < this.entries.length - 1 && (drop < batch || this.entries.length - drop > this.capacity || this.bytes - freed > this.maxBytes)) {
        freed += sizeOf(this.entries[drop]!);
        drop++;
      }
      this.entries.splice(0, drop);
      this.bytes -= freed;
    }
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** The entries kept, oldest first, filtered. */
  list(filter: EventFilter = {}): ReceivedEvent[] {
    const kept = this.entries.filter((entry) => matchesFilter(entry, filter));
    return filter.limit === undefined ? kept : kept.slice(Math.max(0, kept.length - filter.limit));
  }

  /** The entry with this `seq`, if still kept. */
  get(seq: number): ReceivedEvent | undefined {
    return this.entries.find((entry) => entry.seq === seq);
  }

  /** Calls `listener` with each new entry, and `"clear"` on a clear; returns the unsubscribe. */
  subscribe(listener: (entry: ReceivedEvent | "clear") => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.entries = [];
    this.bytes = 0;
    this.total = 0;
    for (const listener of this.listeners) listener("clear");
  }
}

/**
 * Does one entry pass a filter (all but `limit`)?
 *
 * @example
 * ```ts
 * matchesFilter(entry, { event: "offer_sent", status: "4xx" });
 * ```
 */
export function matchesFilter(entry: ReceivedEvent, filter: EventFilter): boolean {
  return (
    (filter.event === undefined || entry.event === filter.event) &&
    (filter.id === undefined || entry.id === filter.id) &&
    (filter.direction === undefined || entry.direction === filter.direction) &&
    (filter.after === undefined || (entry.seq ?? 0) > filter.after) &&
    statusMatcher(filter.status)(entry.status)
  );
}

function sizeOf(entry: ReceivedEvent): number {
  return 200 + (entry.request?.body.length ?? 0) + (entry.response?.body.length ?? 0);
}

/** `"404"` → status 404 only; `"4xx"` → 400–499; undefined → everything. */
export function statusMatcher(status: string | undefined): (value: number) => boolean {
  if (status === undefined || status === "") return () => true;
  const range = /^([1-5])xx$/i.exec(status);
  if (range) {
    const low = Number(range[1]) * 100;
    return (value) => value >= low && value < low + 100;
  }
  const exact = Number(status);
  return (value) => value === exact;
}

/**
 * Reads `GET /__mock/events` query parameters into a filter; throws a `TypeError` naming the bad one.
 *
 * @example
 * ```ts
 * parseEventFilter(new URLSearchParams("event=offer_sent&status=4xx&limit=20"));
 * ```
 */
export function parseEventFilter(query: URLSearchParams): EventFilter {
  const filter: EventFilter = {};
  const event = query.get("event");
  if (event) filter.event = event;
  const id = query.get("id");
  if (id) filter.id = id;
  const status = query.get("status");
  if (status) {
    if (!/^(\d{1,3}|[1-5]xx)$/i.test(status)) throw new TypeError(`status=${status}: give a status (404) or a class (2xx, 4xx, 5xx).`);
    filter.status = status;
  }
  const direction = query.get("direction");
  if (direction) {
    if (direction !== "in" && direction !== "out" && direction !== "all") throw new TypeError(`direction=${direction}: give in, out or all.`);
    if (direction !== "all") filter.direction = direction;
  }
  for (const name of ["limit", "after"] as const) {
    const raw = query.get(name);
    if (raw === null || raw === "") continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`${name}=${raw}: give a whole number ≥ 0.`);
    filter[name] = value;
  }
  return filter;
}

/**
 * The headers of a delivery as the log shows them: lower-case names; the signature replaced by what
 * its check found and a bearer token by `Bearer (redacted)`, so the log holds nothing that signs.
 *
 * @example
 * ```ts
 * loggedHeaders(request.headers, "verified"); // { "webhook-signature": "(verified)", … }
 * ```
 */
export function loggedHeaders(headers: Iterable<[string, string]>, signature: SignatureCheck): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (key === "webhook-signature") shown[key] = `(${signature})`;
    else if (key === "authorization") shown[key] = value.replace(/^(\w+)\s.*$/, "$1 (redacted)");
    else shown[key] = value;
  }
  return shown;
}

/**
 * Keeps at most {@link MAX_LOGGED_BODY} characters of a body.
 *
 * @example
 * ```ts
 * const { body, truncated } = loggedBody(text);
 * ```
 */
export function loggedBody(text: string): { body: string; truncated?: true } {
  return text.length > MAX_LOGGED_BODY ? { body: text.slice(0, MAX_LOGGED_BODY), truncated: true } : { body: text };
}

const short = (id: string | undefined) => (id === undefined ? "-" : id.length > 8 ? `${id.slice(0, 8)}…` : id);

/** A short description of a success answer's result, for the log line. */
function describeResult(result: unknown): string {
  if (typeof result !== "object" || result === null) return "";
  const record = result as { type?: string; id?: string; status?: string; synced?: unknown[]; failed?: unknown[] };
  if (record.type !== undefined) return `${record.type} ${short(record.id)} ${record.status ?? ""}`;
  if (Array.isArray(record.synced)) return `synced ${record.synced.length}, failed ${record.failed?.length ?? 0}`;
  return "";
}

/**
 * One readable line for a delivery: time, status, event, id, outcome, duration. It prints ids and
 * codes, never a header, a body or a secret. Deliveries the mock sent start with `→`.
 *
 * @example
 * ```ts
 * const at = "2025-06-01T10:15:00.123Z";
 * const path = "/functions/v1/make-server-8061e72e/webhooks/dttracker";
 * formatLine({ at, path, status: 404, event: "offer_sent", id: "a7e3c9d1-4b2f-4e8a-9c3d-1f2e3a4b5c6d", code: "CAMPAIGN_NOT_FOUND", ms: 0.4 });
 * // "10:15:00.123 404 offer_sent           a7e3c9d1… CAMPAIGN_NOT_FOUND 0.4ms"
 * ```
 */
export function formatLine(entry: ReceivedEvent): string {
  const outcome = entry.fault
    ? `fault: ${entry.fault}`
    : (entry.code ?? (entry.status === 0 && entry.error ? entry.error : describeResult(entry.result) + (entry.duplicate ? " (duplicate)" : "")));
  const arrow = entry.direction === "out" ? "→ " : "";
  return `${entry.at.slice(11, 23)} ${arrow}${entry.status} ${(entry.event ?? "-").padEnd(20)} ${short(entry.id).padEnd(9)} ${outcome} ${entry.ms.toFixed(1)}ms`;
}

/**
 * One JSON object per line for machines (`--log-format json`): the entry without its bodies and
 * headers (those are in `GET /__mock/events`), so a line stays short and holds no payload data.
 *
 * @example
 * ```ts
 * formatJsonLine(entry); // '{"at":"…","direction":"in","status":200,"event":"offer_sent",…}'
 * ```
 */
export function formatJsonLine(entry: ReceivedEvent): string {
  const { request, response, ...rest } = entry;
  return JSON.stringify({ ...rest, ...(request ? { signature: request.signature } : {}) });
}

/**
 * A line writer that batches: lines written in one tick go out in one write, so logging costs a
 * string concat per request rather than a syscall per request under load.
 *
 * @example
 * ```ts
 * const log = createLineWriter((chunk) => process.stdout.write(chunk));
 * log("listening");
 * ```
 */
export function createLineWriter(write: (chunk: string) => void): (line: string) => void {
  let pending = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const chunk = pending;
    pending = "";
    write(chunk);
  };
  return (line) => {
    pending += `${line}\n`;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
