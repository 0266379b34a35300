import { describe, expect, it } from "vitest";
import { EventLog, loggedHeaders, parseEventFilter, type ReceivedEvent } from "./log.js";

const entry = (over: Partial<ReceivedEvent> = {}): ReceivedEvent => ({ at: new Date().toISOString(), path: "/w", status: 200, ms: 1, ...over });

describe("EventLog", () => {
  it("push() numbers entries from 1 and never reuses a number after clear()", () => {
    const log = new EventLog();
    expect(log.push(entry()).seq).toBe(1);
    log.clear();
    expect(log.push(entry()).seq).toBe(2);
    expect(log.total).toBe(1);
  });

  it("keeps at most capacity entries, the newest, while total keeps counting", () => {
    const log = new EventLog(50);
    for (let i = 0; i < 500; i++) log.push(entry({ id: String(i) }));
    expect(log.list().length).toBeLessThanOrEqual(50);
    expect(log.list().at(-1)?.id).toBe("499");
    expect(log.total).toBe(500);
  });

  it("keeps about maxBytes of bodies: big bodies push the oldest out", () => {
    const log = new EventLog(10_000, 100_000);
    const body = "x".repeat(10_000);
    for (let i = 0; i < 100; i++) log.push(entry({ id: String(i), request: { method: "POST", headers: {}, body, signature: "verified" } }));
    expect(log.list().length).toBeLessThanOrEqual(10);
    expect(log.list().at(-1)?.id).toBe("99");
  });

  it("list(filter) filters by event, status class or value, id, direction, after and limit", () => {
    const log = new EventLog();
    log.push(entry({ event: "offer_sent", status: 404, id: "a" }));
    log.push(entry({ event: "offer_sent", status: 200, id: "b" }));
    log.push(entry({ event: "campaign_created", status: 200, id: "c", direction: "out" }));
    expect(log.list({ event: "offer_sent" }).map((e) => e.id)).toEqual(["a", "b"]);
    expect(log.list({ status: "4xx" }).map((e) => e.id)).toEqual(["a"]);
    expect(log.list({ status: "200" }).map((e) => e.id)).toEqual(["b", "c"]);
    expect(log.list({ id: "c" }).map((e) => e.direction)).toEqual(["out"]);
    expect(log.list({ direction: "in" }).map((e) => e.id)).toEqual(["a", "b"]);
    expect(log.list({ after: 1 }).map((e) => e.id)).toEqual(["b", "c"]);
    expect(log.list({ limit: 1 }).map((e) => e.id)).toEqual(["c"]);
  });

  it("subscribe() hears each push and each clear until unsubscribed", () => {
    const log = new EventLog();
    const heard: unknown[] = [];
    const stop = log.subscribe((e) => heard.push(e === "clear" ? e : e.seq));
    log.push(entry());
    log.clear();
    stop();
    log.push(entry());
    expect(heard).toEqual([1, "clear"]);
  });
});

describe("parseEventFilter / loggedHeaders", () => {
  it("parseEventFilter() refuses a bad status, direction or limit by name", () => {
    expect(() => parseEventFilter(new URLSearchParams("status=ok"))).toThrow(/status=ok/);
    expect(() => parseEventFilter(new URLSearchParams("direction=up"))).toThrow(/direction=up/);
    expect(() => parseEventFilter(new URLSearchParams("limit=-1"))).toThrow(/limit=-1/);
    expect(parseEventFilter(new URLSearchParams("status=5xx&limit=3"))).toEqual({ status: "5xx", limit: 3 });
  });

  it("loggedHeaders() shows what the signature proved and never a bearer token", () => {
    const shown = loggedHeaders(
      [
        ["Webhook-Signature", "v1,abc"],
        ["Authorization", "Bearer token-value"],
        ["Webhook-Id", "x"],
      ],
      "failed",
    );
    expect(shown).toEqual({ "webhook-signature": "(failed)", authorization: "Bearer (redacted)", "webhook-id": "x" });
  });
});
