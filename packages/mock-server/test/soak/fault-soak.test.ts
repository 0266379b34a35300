/**
 * The fault soak in its short form (N = 60 unless SOAK_N is set): the SDK sender against the mock
 * Dobbletap failing ~30% of requests (5xx, 429 with Retry-After, dropped connections, latency).
 * Every event ends up stored exactly once, and every syncStatus told the truth. See run-soak.ts for
 * the phases and checks; `SOAK_N=5000 tsx bench/soak.ts` runs the long form.
 */
import { describe, expect, it } from "vitest";
import { runSoak } from "./run-soak.js";

const n = Number(process.env.SOAK_N ?? 60);

describe("fault soak: SDK sender → mock server with ~30% injected failures", () => {
  it(`delivers ${n} events: each stored exactly once, every syncStatus true to the mock's state`, { timeout: Math.max(60_000, n * 200) }, async () => {
    const report = await runSoak({ n });
    expect(report.violations).toEqual([]);
    // The faults really happened and were survived by retries, the queue and the caller's resend.
    expect(report.faultsInjected).toBeGreaterThanOrEqual(Math.floor(n * 0.1));
    expect(report.attempts).toBeGreaterThan(report.sent);
    expect(report.retryQueued).toBeGreaterThan(0);
    expect(report.queueRefused).toBeGreaterThan(0);
    expect(report.drained).toBe(report.retryQueued);
    expect(report.duplicatesOnResend).toBeGreaterThanOrEqual(3);
  });
});
