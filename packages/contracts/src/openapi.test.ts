import { describe, expect, it } from "vitest";
import { eventNames } from "./events/index.js";
import { buildJsonSchemas, buildOpenApiDocuments } from "./openapi.js";

describe("buildOpenApiDocuments()", () => {
  const { dobbletap, dttracker } = buildOpenApiDocuments();

  it("lists the 3 receiver endpoints and all 7 events", () => {
    expect(Object.keys(dobbletap.paths ?? {})).toEqual(["/webhooks/dttracker"]);
    expect(Object.keys(dttracker.paths ?? {})).toEqual(["/creator-sync-from-dobbletap", "/dobbletap-webhooks"]);
    expect([...Object.keys(dobbletap.webhooks ?? {}), ...Object.keys(dttracker.webhooks ?? {})].sort()).toEqual(
      [...eventNames].sort(),
    );
  });

  it("documents every answer status of the contract on each operation", () => {
    const operation = dttracker.paths?.["/dobbletap-webhooks"]?.post;
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(
      ["200", "400", "401", "404", "409", "413", "415", "422", "500"].sort(),
    );
    expect(operation?.security).toEqual([{ webhookSignature: [], supabaseBearer: [] }, { webhookSignature: [] }]);
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
});
