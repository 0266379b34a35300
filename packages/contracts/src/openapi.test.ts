import { describe, expect, it } from "vitest";
import { eventNames } from "./events/index.js";
import { buildJsonSchemas, buildOpenApiDocuments } from "./openapi.js";
import { contractVersion } from "./version.js";

describe("buildOpenApiDocuments()", () => {
  const { dobbletap, dttracker } = buildOpenApiDocuments();

  it("lists the 3 receiver endpoints and all 7 events", () => {
    expect(Object.keys(dobbletap.paths ?? {})).toEqual(["/webhooks/dttracker"]);
    expect(Object.keys(dttracker.paths ?? {})).toEqual(["/creator-sync-from-dobbletap", "/dobbletap-webhooks"]);
    expect([...Object.keys(dobbletap.webhooks ?? {}), ...Object.keys(dttracker.webhooks ?? {})].sort()).toEqual([...eventNames].sort());
  });

  it("documents every answer status of the contract on each operation", () => {
    const operation = dttracker.paths?.["/dobbletap-webhooks"]?.post;
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(["200", "400", "401", "404", "405", "409", "413", "415", "422", "500"].sort());
    // v1.1: either signature scheme authenticates; the bearer never does on its own.
    expect(operation?.security).toEqual([
      { webhookSignatureV1a: [], supabaseBearer: [] },
      { webhookSignatureV1a: [] },
      { webhookSignature: [], supabaseBearer: [] },
      { webhookSignature: [] },
    ]);
    const schemes = dttracker.components?.securitySchemes ?? {};
    expect(JSON.stringify(schemes.webhookSignatureV1a)).toMatch(/v1a,<base64 Ed25519.*whsk_.*whpk_/);
    expect(JSON.stringify(schemes.webhookSignature)).toMatch(/v1,<base64 HMAC-SHA256.*whsec_/);
  });

  it("says which contract version it describes (v1.1: info.version is contractVersion)", () => {
    expect(contractVersion).toBe("1.1.0");
    expect([dobbletap.info.version, dttracker.info.version]).toEqual([contractVersion, contractVersion]);
  });

  it("carries each event's example", () => {
    const schemas = dobbletap.components?.schemas ?? {};
    expect((schemas.OfferSentEvent as { example?: { event?: string } }).example?.event).toBe("offer_sent");
  });
});

describe("buildJsonSchemas()", () => {
  it("gives one draft 2020-12 schema per event", () => {
    const schemas = buildJsonSchemas();
    expect(Object.keys(schemas).sort()).toEqual([...eventNames].sort());
    expect(schemas.creators_synced.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it("tells what receivers accept (input) from what senders emit (output): an offset timestamp", () => {
    const occurredAt = (io: "input" | "output") =>
      (buildJsonSchemas({ io }).offer_sent as { $defs: { OfferSentEvent: { properties: { occurredAt: { pattern: string } } } } }).$defs.OfferSentEvent
        .properties.occurredAt.pattern;
    const offset = "2026-02-08T11:15:00+01:00";
    expect(new RegExp(occurredAt("input")).test(offset)).toBe(true);
    expect(new RegExp(occurredAt("output")).test(offset)).toBe(false);
    expect(new RegExp(occurredAt("output")).test("2026-02-08T10:15:00.000Z")).toBe(true);
  });
});
