/**
 * The pacts and the OpenAPI documents must agree, as PactFlow's bi-directional contract testing
 * checks it: its open-source validator (@pactflow/swagger-mock-validator) runs over every pact
 * against its provider's document. The published documents keep `servers[].variables` and
 * `discriminator.mapping` (code generators need both; the validator refuses both), so a PactFlow user
 * uploads a copy without them — exactly the two edits `forPactflow` makes here, as the README says.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SwaggerMockValidatorFactory } from "@pactflow/swagger-mock-validator";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "pact-openapi-"));
const pairs = [
  { document: "openapi/dobbletap.yaml", pact: "pacts/DTTracker-Dobbletap.json" },
  { document: "openapi/dttracker.yaml", pact: "pacts/Dobbletap-DTTracker.json" },
] as const;

type Json = Record<string, unknown>;

/** The README's two edits: drop `servers[].variables`, drop every `discriminator.mapping`. */
function forPactflow(document: Json): Json {
  const copy = structuredClone(document);
  for (const server of (copy.servers ?? []) as Json[]) delete server.variables;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const discriminator = (value as Json).discriminator as Json | undefined;
    if (discriminator) delete discriminator.mapping;
    Object.values(value).forEach(visit);
  };
  visit(copy);
  return copy;
}

async function validate(document: Json, pact: Json) {
  const name = crypto.randomUUID();
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(document));
  writeFileSync(join(dir, `${name}.pact.json`), JSON.stringify(pact));
  // No analyticsUrl: the validator then sends nothing anywhere.
  return SwaggerMockValidatorFactory.create().validate({ specPathOrUrl: join(dir, `${name}.json`), mockPathOrUrl: join(dir, `${name}.pact.json`) });
}

const load = (document: string, pact: string) => ({
  document: parse(readFileSync(join(root, document), "utf8")) as Json,
  pact: JSON.parse(readFileSync(join(root, pact), "utf8")) as Json,
});

describe.each(pairs)("$pact against $document (swagger-mock-validator)", ({ document: documentFile, pact: pactFile }) => {
  it("agrees once the document has the README's two PactFlow edits", async () => {
    const { document, pact } = load(documentFile, pactFile);
    const result = await validate(forPactflow(document), pact);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.success).toBe(true);
  });

  it("catches a pact that breaks the document (a result status the contract does not have)", async () => {
    const { document, pact } = load(documentFile, pactFile);
    const broken = structuredClone(pact) as { interactions: Array<{ response: { status: number; body?: { content?: { result?: { status?: string } } } } }> };
    const success = broken.interactions.find((interaction) => interaction.response.status === 200 && interaction.response.body?.content?.result?.status);
    success!.response.body!.content!.result!.status = "pending";
    const result = await validate(forPactflow(document), broken as unknown as Json);
    expect(result.success).toBe(false);
    expect(result.errors.map((error) => error.code)).toContain("response.body.incompatible");
  });

  it("is refused as published, for the two reasons the README names (if this passes, drop the edits)", async () => {
    const { document, pact } = load(documentFile, pactFile);
    const published = await validate(document, pact).then(
      () => "accepted",
      (error: Error) => error.message,
    );
    expect(published).toMatch(/servers\/0\/variables/);
    const withMapping = structuredClone(document);
    for (const server of withMapping.servers as Json[]) delete server.variables;
    const mapped = await validate(withMapping, pact).then(
      () => "accepted",
      (error: Error) => error.message,
    );
    expect(mapped).toMatch(/discriminator: mapping is not supported/);
  });
});
