/** One request received on a webhook route, as `GET /__mock/events` lists it. */
export interface ReceivedEvent {
  /** When the answer was sent (ISO-8601). */
  at: string;
  /** The webhook route's path. */
  path: string;
  event?: string;
  id?: string;
  status: number;
  code?: string;
  duplicate?: boolean;
  /** The record the success answer names (`{ type, id, status }`, or the creator mapping). */
  result?: unknown;
  /** Set when an injected fault answered instead of the receiver. */
  fault?: "status" | "drop" | "latency";
  ms: number;
}

/**
 * The requests received, newest last. Bounded (a ring of `capacity` entries) so a long benchmark run
 * cannot grow the mock's memory without limit; `total` keeps counting.
 *
 * @example
 * ```ts
 * const log = new EventLog(1000);
 * log.push({ at: new Date().toISOString(), path: "/webhooks/dttracker", status: 200, ms: 1 });
 * log.list(); // [ … ]
 * ```
 */
export class EventLog {
  private entries: ReceivedEvent[] = [];
  private start = 0;
  /** Every entry ever pushed since the last clear, including those the ring dropped. */
  total = 0;

  constructor(readonly capacity = 10_000) {}

  push(entry: ReceivedEvent): void {
    this.total++;
    if (this.entries.length < this.capacity) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.start] = entry;
    this.start = (this.start + 1) % this.capacity;
  }

  /** The entries kept, oldest first. */
  list(): ReceivedEvent[] {
    return this.start === 0 ? [...this.entries] : [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
    this.total = 0;
  }
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
 * One readable line for a request: time, status, event, id, outcome, duration. It prints ids and codes,
 * never a header, a body or a secret.
 *
 * @example
 * ```ts
 * formatLine({ at, path, status: 404, event: "offer_sent", id, code: "CAMPAIGN_NOT_FOUND", ms: 0.4 });
 * // "10:15:00.123 404 offer_sent      a7e3c9d1… CAMPAIGN_NOT_FOUND 0.4ms"
 * ```
 */
export function formatLine(entry: ReceivedEvent): string {
  const outcome = entry.fault
    ? `fault: ${entry.fault}`
    : entry.code ?? (describeResult(entry.result) + (entry.duplicate ? " (duplicate)" : ""));
  return `${entry.at.slice(11, 23)} ${entry.status} ${(entry.event ?? "-").padEnd(20)} ${short(entry.id).padEnd(9)} ${outcome} ${entry.ms.toFixed(1)}ms`;
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
