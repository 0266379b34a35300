// Fault configs are validated with messages that say what to fix, and the injector counts exactly.
import { describe, expect, it } from "vitest";
import { FaultInjector, parseFaultConfig } from "./faults.js";
import { exampleEnvelope } from "./trigger.js";

describe("parseFaultConfig(body)", () => {
  it("accepts the documented shapes and { clear: true }", () => {
    expect(parseFaultConfig({ status: 503, retryAfter: 1, count: 2 })).toEqual({ status: 503, retryAfter: 1, count: 2 });
    expect(parseFaultConfig({ rate: 0.3, status: 500 })).toEqual({ rate: 0.3, status: 500 });
    expect(parseFaultConfig({ clear: true })).toBeUndefined();
  });
  it("refuses what makes no sense, saying why", () => {
    expect(() => parseFaultConfig({ status: 200 })).toThrow(/status must be an integer from 400 to 599/);
    expect(() => parseFaultConfig({ drop: true, status: 503 })).toThrow(/either status or drop/);
    expect(() => parseFaultConfig({ count: 2 })).toThrow(/Say what to inject/);
    expect(() => parseFaultConfig({ stauts: 503 })).toThrow(/Unknown field "stauts"/);
  });
});

describe("FaultInjector.next()", () => {
  it("applies a counted fault exactly count times, then clears itself", () => {
    const faults = new FaultInjector();
    faults.set({ status: 503, retryAfter: 1, count: 2 });
    expect(faults.next()).toEqual({ kind: "status", status: 503, retryAfter: 1, latencyMs: 0 });
    expect(faults.next()?.kind).toBe("status");
    expect(faults.next()).toBeUndefined();
    expect(faults.describe()).toEqual({ fault: null, remaining: null, injected: 2 });
  });
  it("applies a rate with the given random source", () => {
    const rolls = [0.1, 0.9, 0.2];
    const faults = new FaultInjector(() => rolls.shift()!);
    faults.set({ drop: true, rate: 0.5 });
    expect([faults.next()?.kind, faults.next()?.kind, faults.next()?.kind]).toEqual(["drop", undefined, "drop"]);
  });
});

describe("exampleEnvelope(event, set)", () => {
  it("applies dotted overrides, parsing JSON values, and keeps strings that are not JSON", () => {
    const envelope = exampleEnvelope("creators_synced", ["data.creators.0.status=pending", "data.creators.0.platforms=[]"], "x") as any;
    expect(envelope.id).toBe("x");
    expect(envelope.data.creators[0].status).toBe("pending");
    expect(envelope.data.creators[0].platforms).toEqual([]);
    expect(() => exampleEnvelope("offer_sent", ["data.__proto__.x=1"])).toThrow(/dotted path/);
  });
});
