/**
 * Fault injection for the webhook routes: what a sender's retry logic must survive (a 503 with
 * `Retry-After`, a slow answer, a connection cut mid-request). Faults are decided before the event is
 * processed, so a faulted delivery did nothing and its retry is the first real attempt.
 */

/** What `POST /__mock/faults` takes. */
export interface FaultConfig {
  /** Answer with this HTTP status (400–599) instead of processing, e.g. 503. */
  status?: number;
  /** Seconds to send in `Retry-After` with `status`. */
  retryAfter?: number;
  /** Add this much latency (ms) before answering (or before processing, when nothing else is set). */
  latencyMs?: number;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** Affect only the next N webhook requests; then the fault clears itself. */
  count?: number;
  /** Affect each webhook request with this probability (0–1). With `count`, until N were hit. */
  rate?: number;
}

/** The fault to apply to one request. */
export interface Fault {
  latencyMs: number;
  /** `status`: answer with it; `drop`: cut the connection; `none`: only the latency, then process. */
  kind: "status" | "drop" | "none";
  status: number;
  retryAfter: number | undefined;
}

/**
 * A fault config that makes no sense; the message says which field and why.
 *
 * @example
 * ```ts
 * try { parseFaultConfig({ status: 200 }); } catch (error) { if (error instanceof FaultConfigError) console.error(error.message); }
 * ```
 */
export class FaultConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FaultConfigError";
  }
}

const KEYS = new Set(["status", "retryAfter", "latencyMs", "drop", "count", "rate", "clear"]);

/**
 * Validates a `POST /__mock/faults` body. `{ "clear": true }` returns `undefined` (no fault).
 *
 * @example
 * ```ts
 * parseFaultConfig({ status: 503, retryAfter: 1, count: 2 });
 * ```
 */
export function parseFaultConfig(body: unknown): FaultConfig | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new FaultConfigError('The body must be a JSON object, e.g. { "status": 503, "retryAfter": 1, "count": 2 }.');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KEYS.has(key)) throw new FaultConfigError(`Unknown field "${key}". Fields: ${[...KEYS].join(", ")}.`);
  }
  if (input.clear === true) return undefined;
  const config: FaultConfig = {};
  const int = (key: keyof FaultConfig, min: number, max: number) => {
    const value = input[key];
    if (value === undefined) return;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw new FaultConfigError(`${key} must be an integer from ${min} to ${max}.`);
    }
    (config as Record<string, unknown>)[key] = value;
  };
  int("status", 400, 599);
  int("retryAfter", 0, 86_400);
  int("latencyMs", 0, 60_000);
  int("count", 1, 1_000_000);
  if (input.rate !== undefined) {
    if (typeof input.rate !== "number" || !(input.rate > 0 && input.rate <= 1)) {
      throw new FaultConfigError("rate must be a number greater than 0 and at most 1 (the fraction of requests to fault).");
    }
    config.rate = input.rate;
  }
  if (input.drop !== undefined) {
    if (typeof input.drop !== "boolean") throw new FaultConfigError("drop must be true or false.");
    if (input.drop) config.drop = true;
  }
  if (config.drop && config.status !== undefined) throw new FaultConfigError("Give either status or drop, not both.");
  if (config.retryAfter !== undefined && config.status === undefined) {
    throw new FaultConfigError("retryAfter goes with a status (e.g. 503 or 429).");
  }
  if (config.status === undefined && !config.drop && config.latencyMs === undefined) {
    throw new FaultConfigError('Say what to inject: status, drop or latencyMs (or { "clear": true } to clear).');
  }
  return config;
}

/**
 * Holds the current fault and decides, request by request, whether it applies.
 *
 * @example
 * ```ts
 * const faults = new FaultInjector();
 * faults.set({ status: 503, retryAfter: 1, count: 2 });
 * faults.next(); // { kind: "status", status: 503, retryAfter: 1, latencyMs: 0 }
 * ```
 */
export class FaultInjector {
  private config: FaultConfig | undefined;
  private remaining = Infinity;
  private injectedCount = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** Replaces the current fault (`undefined` clears it). */
  set(config: FaultConfig | undefined): void {
    this.config = config;
    this.remaining = config?.count ?? Infinity;
    this.injectedCount = 0;
  }

  /** Clears the current fault. */
  clear(): void {
    this.set(undefined);
  }

  /** The current fault, how many requests it still affects, and how many it has affected. */
  describe(): { fault: FaultConfig | null; remaining: number | null; injected: number } {
    return {
      fault: this.config ?? null,
      remaining: this.config && Number.isFinite(this.remaining) ? this.remaining : null,
      injected: this.injectedCount,
    };
  }

  /** The fault for the next webhook request, or `undefined` to process it normally. Cheap when idle. */
  next(): Fault | undefined {
    const config = this.config;
    if (config === undefined) return undefined;
    if (config.rate !== undefined && this.random() >= config.rate) return undefined;
    this.injectedCount++;
    if (--this.remaining <= 0) this.config = undefined;
    return {
      latencyMs: config.latencyMs ?? 0,
      kind: config.drop ? "drop" : config.status !== undefined ? "status" : "none",
      status: config.status ?? 0,
      retryAfter: config.retryAfter,
    };
  }
}
