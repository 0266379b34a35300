/**
 * Builds the OpenAPI 3.1 documents of the contract from the event map: one per receiving party.
 * A separate entry point (`@dttracker-dobbletap/contracts/openapi`), so senders and receivers never
 * bundle the generator.
 *
 * @packageDocumentation
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import * as z from "zod";
import { endpoints, parties, type EndpointId, type Party } from "./endpoints.js";
import { ErrorAnswer, errorCodeList, errorCodes, type ErrorCode } from "./errors.js";
import { events, eventsAt, eventsTo, type EventName } from "./events/index.js";
import { contractVersion } from "./version.js";

/** An OpenAPI 3.1 document as zod-to-openapi produces it. */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

const documents = {
  dobbletap: {
    title: "Dobbletap webhook receiver",
    description:
      "What Dobbletap's `make-server-8061e72e` Supabase function must accept from DTTracker. " +
      "Campaigns must arrive (`campaign_created`) before offers for them (`offer_sent`).",
  },
  dttracker: {
    title: "DTTracker webhook receivers",
    description: "What DTTracker's Supabase functions `creator-sync-from-dobbletap` and `dobbletap-webhooks` must accept " + "from Dobbletap.",
  },
} as const satisfies Record<Party, { title: string; description: string }>;

const signedContent = '"{webhook-id}.{webhook-timestamp}.{raw body}"';
const signingCommon =
  "Each direction has its own key: a party never holds a key that can sign the other party's events. " +
  "Signatures are space-separated in `webhook-signature`; during a migration a request may carry both `v1,…` " +
  "and `v1a,…`, and a receiver accepts it when any signature of a scheme it is configured for is valid. A " +
  "timestamp more than 5 minutes off is refused with 401.";
const signingV1aDescription =
  `Standard Webhooks asymmetric signature (recommended): \`v1a,<base64 Ed25519 signature of ${signedContent}>\`. ` +
  "The sender holds `whsk_<base64>` (the 32-byte Ed25519 seed, or the 64-byte seed‖public form); the receiver " +
  "holds only `whpk_<base64 of the 32-byte public key>` and trusts a configured list of them, never a key named " +
  `in a request. A leaked \`whpk_\` lets no one forge anything. ${signingCommon}`;
const signingV1Description =
  `Standard Webhooks symmetric signature (standardwebhooks.com): \`v1,<base64 HMAC-SHA256(secret, ${signedContent})>\`; ` +
  `the secret is \`whsec_<base64>\`, shared by sender and receiver; several during a rotation. ${signingCommon}`;

const SignedHeaders = z.object({
  "webhook-id": z.uuid().meta({ description: "Equals the envelope's `id`; the same on every retry.", example: events.offer_sent.example.id }),
  "webhook-timestamp": z
    .string()
    .regex(/^\d+$/)
    .meta({ description: "Unix seconds when this attempt was signed; within 5 minutes of the receiver's clock.", example: "1770545700" }),
});

function errorExample(code: ErrorCode) {
  const issues =
    code === "VALIDATION_FAILED"
      ? [{ path: "data.creators.0.status", message: "must be active or inactive" }]
      : code === "UNKNOWN_EVENT"
        ? [{ path: "event", message: "must be one of: offer_accepted, offer_declined" }]
        : undefined;
  return {
    summary: code,
    value: { success: false, error: { code, message: errorCodes[code].description, ...(issues ? { issues } : {}) } },
  };
}

/** Failure responses grouped by status, each code an example. */
function errorResponses() {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodeList) {
    const status = errorCodes[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      status,
      {
        description: codes.map((code) => `\`${code}\`: ${errorCodes[code].description}`).join(" "),
        content: {
          "application/json": {
            schema: ErrorAnswer,
            examples: Object.fromEntries(codes.map((code) => [code, errorExample(code)])),
          },
        },
      },
    ]),
  );
}

function successResponse(names: readonly EventName[]) {
  const schemas = names.map((name) => events[name].successAnswer);
  const [first, ...rest] = schemas;
  return {
    description:
      "The event was processed, or had been already (`duplicate: true`). `result` names the record that now " +
      "exists; a 200 is never sent for something that was not done.",
    content: { "application/json": { schema: rest.length === 0 ? first! : z.union([first!, ...rest]) } },
  };
}

function requestBody(names: readonly EventName[]) {
  const envelopes = names.map((name) => events[name].envelope);
  const [first, ...rest] = envelopes;
  return {
    description: `The signed event envelope; at most 256 KiB of UTF-8 JSON. Accepted events: ${names.join(", ")}.`,
    required: true,
    content: {
      "application/json": {
        schema: rest.length === 0 ? first! : z.discriminatedUnion("event", [first!, ...rest]),
      },
    },
  };
}

// Either scheme (or both) authenticates a request; the bearer is only ever an extra gateway check.
const security: Array<Record<string, string[]>> = [
  { webhookSignatureV1a: [], supabaseBearer: [] },
  { webhookSignatureV1a: [] },
  { webhookSignature: [], supabaseBearer: [] },
  { webhookSignature: [] },
];

function buildDocument(party: Party): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "webhookSignatureV1a", {
    type: "apiKey",
    in: "header",
    name: "webhook-signature",
    description: signingV1aDescription,
  });
  registry.registerComponent("securitySchemes", "webhookSignature", {
    type: "apiKey",
    in: "header",
    name: "webhook-signature",
    description: signingV1Description,
  });
  registry.registerComponent("securitySchemes", "supabaseBearer", {
    type: "http",
    scheme: "bearer",
    description:
      "Optional `Authorization: Bearer <key>` that Supabase's gateway may demand. Never the only proof of " +
      "authenticity; never write the key into code or docs.",
  });

  const own = (Object.keys(endpoints) as EndpointId[]).filter((id) => endpoints[id].receiver === party);
  for (const endpoint of own) {
    const names = eventsAt(endpoint);
    registry.registerPath({
      method: "post",
      path: endpoints[endpoint].path,
      operationId: endpoint.replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase()),
      summary: endpoints[endpoint].summary,
      description: `Accepts: ${names.map((name) => `\`${name}\``).join(", ")}. Any other \`event\` is 422 UNKNOWN_EVENT.`,
      security,
      request: { headers: SignedHeaders, body: requestBody(names) },
      responses: { 200: successResponse(names), ...errorResponses() },
    });
  }
  for (const name of eventsTo(party)) {
    const event = events[name];
    registry.registerWebhook({
      method: "post",
      path: name,
      operationId: name,
      summary: event.summary,
      description: `${event.description}\n\nDelivered to \`POST ${endpoints[event.endpoint].path}\`.`,
      security,
      request: { headers: SignedHeaders, body: requestBody([name]) },
      responses: { 200: successResponse([name]), ...errorResponses() },
    });
  }

  const { title, description } = documents[party];
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title,
      version: contractVersion,
      description: `${description}\n\nGenerated from \`@dttracker-dobbletap/contracts\`; do not edit by hand.`,
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [
      {
        url: `https://{projectRef}.supabase.co${parties[party].basePath}`,
        description: "A Supabase project's Edge Functions; locally use the mock server or `supabase functions serve`.",
        variables: { projectRef: { default: "your-project-ref", description: "The Supabase project reference." } },
      },
    ],
  });
}

/**
 * The contract's OpenAPI 3.1 documents: Dobbletap's receiver and DTTracker's receivers.
 *
 * @example
 * ```ts
 * import { buildOpenApiDocuments } from "@dttracker-dobbletap/contracts/openapi";
 * const { dobbletap } = buildOpenApiDocuments();
 * console.log(Object.keys(dobbletap.webhooks ?? {})); // campaign_created, …
 * ```
 */
export function buildOpenApiDocuments(): Record<Party, OpenApiDocument> {
  return { dobbletap: buildDocument("dobbletap"), dttracker: buildDocument("dttracker") };
}

/** Options for {@link buildJsonSchemas}. */
export interface JsonSchemaOptions {
  /**
   * Which side of each schema: `input` (default) is what a receiver accepts (zod input: a timestamp
   * may carry an offset); `output` is what a sender emits (zod output: timestamps in `Z`).
   */
  io?: "input" | "output";
}

/**
 * One JSON Schema (draft 2020-12) per event envelope, for teams that do not use TypeScript. The
 * default is what receivers accept; `{ io: "output" }` gives what senders emit.
 *
 * @example
 * ```ts
 * const accepted = buildJsonSchemas();                 // what a receiver must accept
 * const emitted = buildJsonSchemas({ io: "output" }); // what a sender sends
 * console.log(accepted.offer_sent.$schema);
 * ```
 */
export function buildJsonSchemas(options: JsonSchemaOptions = {}): Record<EventName, Record<string, unknown>> {
  const io = options.io ?? "input";
  return Object.fromEntries(
    (Object.keys(events) as EventName[]).map((name) => [
      name,
      z.toJSONSchema(events[name].envelope, { target: "draft-2020-12", io }) as Record<string, unknown>,
    ]),
  ) as Record<EventName, Record<string, unknown>>;
}
