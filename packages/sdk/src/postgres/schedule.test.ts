import { describe, expect, it } from "vitest";
import { nextDelayMs, retrySchedule } from "./schedule.js";

describe("nextDelayMs(tries, { random, retryAfterMs })", () => {
  it("nextDelayMs follows contract v1.1: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, then none (dead)", () => {
    const mid = { random: () => 0.5 };
    const h = 3_600_000;
    expect(Array.from({ length: 10 }, (_, i) => nextDelayMs(i + 1, mid))).toEqual([
      5_000,
      300_000,
      1_800_000,
      2 * h,
      5 * h,
      10 * h,
      14 * h,
      20 * h,
      24 * h,
      undefined,
    ]);
    expect(retrySchedule.maxAttempts).toBe(10);
  });

  it("nextDelayMs jitters each delay within ±20%", () => {
    expect(nextDelayMs(1, { random: () => 0 })).toBe(4_000);
    expect(nextDelayMs(1, { random: () => 0.999_999 })).toBe(6_000);
    for (let i = 0; i < 200; i++) {
      const delay = nextDelayMs(2, { random: Math.random })!;
      expect(delay).toBeGreaterThanOrEqual(240_000);
      expect(delay).toBeLessThanOrEqual(360_000);
    }
  });

  it("nextDelayMs takes Retry-After when it is later than the scheduled delay, never when it is sooner", () => {
    expect(nextDelayMs(1, { random: () => 0.5, retryAfterMs: 120_000 })).toBe(120_000);
    expect(nextDelayMs(1, { random: () => 0.5, retryAfterMs: 1_000 })).toBe(5_000);
  });
});
