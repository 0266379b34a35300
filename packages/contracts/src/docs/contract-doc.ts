/**
 * Renders `docs/contract.md`, the contract in prose, from the code: the event map, the error table,
 * the endpoints, the wire rules and the version. Nothing in it is typed twice; change the code and
 * run `pnpm docs:contract`.
 */
import { dereferenceSides } from "../compat/load.js";
import { currentSides, type JsonSchema } from "../compat/sides.js";
import { clearableFields } from "../campaign.js";
import { endpoints, parties, type EndpointId } from "../endpoints.js";
import { errorCodeList, errorCodes, MAX_BODY_BYTES } from "../errors.js";
import { MAX_CREATORS_PER_EVENT } from "../events/creators-synced.js";
import { eventNames, events, eventsAt } from "../events/index.js";
import { currencyCodes } from "../primitives.js";
import { providerStates, providerStatesOf, type ProviderStateKey } from "../provider-states.js";
import { contractVersion } from "../version.js";
import { wireRules } from "../wire-rules.js";

type Node = JsonSchema & {
  type?: string | string[];
  properties?: Record<string, Node>;
  required?: string[];
  items?: Node;
  anyOf?: Node[];
  oneOf?: Node[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  format?: string;
};

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function typeOf(node: Node): { label: string; nullable: boolean; inner: Node } {
  const branches = node.anyOf ?? node.oneOf;
  if (branches) {
    const others = branches.filter((branch) => branch.type !== "null");
    const nullable = others.length < branches.length;
    if (others.length === 1) return { ...typeOf(others[0]!), nullable };
    return { label: others.map((branch) => typeOf(branch).label).join(" or "), nullable, inner: node };
  }
  if (node.const !== undefined) return { label: `\`${JSON.stringify(node.const)}\``, nullable: false, inner: node };
  if (node.enum) {
    const values = node.enum.length <= 12 ? node.enum.map((value) => `\`${String(value)}\``).join(", ") : `one of ${node.enum.length} codes`;
    return { label: values, nullable: false, inner: node };
  }
  const type = Array.isArray(node.type) ? node.type.join(" or ") : (node.type ?? "any");
  if (type === "array" && node.items) return { label: `array of ${typeOf(node.items).label}`, nullable: false, inner: node };
  if (type === "string" && node.format) return { label: `string (${node.format})`, nullable: false, inner: node };
  return { label: type, nullable: false, inner: node };
}

function limits(node: Node): string {
  const out: string[] = [];
  const n = node as Record<string, unknown>;
  if (n.minLength !== undefined || n.maxLength !== undefined) out.push(`${n.minLength ?? 0}–${n.maxLength ?? "∞"} characters`);
  if (n.minItems !== undefined || n.maxItems !== undefined) out.push(`${n.minItems ?? 0}–${n.maxItems ?? "∞"} items`);
  if (n.minimum !== undefined || n.exclusiveMinimum !== undefined) out.push(n.minimum !== undefined ? `≥ ${n.minimum}` : `> ${n.exclusiveMinimum}`);
  if (n.maximum !== undefined && n.maximum !== Number.MAX_SAFE_INTEGER) out.push(`≤ ${n.maximum}`);
  if (typeof n.pattern === "string" && !node.format) out.push(`matches \`${n.pattern}\``);
  return out.join(", ");
}

/** One row per field, depth first; paths dotted from `prefix`, array items as `[]`. */
function fieldRows(node: Node, prefix: string, rows: string[]): void {
  const { inner } = typeOf(node);
  const target = inner.items && (Array.isArray(inner.type) ? inner.type.includes("array") : inner.type === "array") ? inner.items : inner;
  const base = target === inner ? prefix : `${prefix}[]`;
  const object = (target.anyOf ?? target.oneOf)?.find((branch) => branch.properties) ?? target;
  if (!object.properties) return;
  const required = new Set(object.required ?? []);
  for (const [key, child] of Object.entries(object.properties)) {
    const path = base ? `${base}.${key}` : key;
    const { label, nullable } = typeOf(child);
    const rule = [required.has(key) ? "required" : "optional", nullable ? "`null` clears it" : "", limits(typeOf(child).inner)].filter(Boolean).join("; ");
    rows.push(`| \`${path}\` | ${cell(label)} | ${cell(rule)} | ${cell(child.description ?? "")} |`);
    fieldRows(child, path, rows);
  }
}

function fieldTable(node: Node, prefix: string): string {
  const objects = (node.anyOf ?? node.oneOf)?.filter((branch) => branch.properties);
  if (objects && objects.length > 1) {
    return objects.map((branch) => fieldTable(branch, prefix)).join("\n\nor\n\n");
  }
  const rows: string[] = [];
  fieldRows(node, prefix, rows);
  return ["| field | type | rule | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

function senderOf(endpoint: EndpointId): string {
  return parties[endpoints[endpoint].receiver === "dobbletap" ? "dttracker" : "dobbletap"].name;
}
const partyName = (party: keyof typeof parties) => parties[party].name;

/**
 * The whole of `docs/contract.md`.
 *
 * @example
 * ```ts
 * writeFileSync("docs/contract.md", await renderContractDoc());
 * ```
 */
export async function renderContractDoc(): Promise<string> {
  const sides = await dereferenceSides(currentSides(contractVersion));
  const tolerance = wireRules.signatureToleranceSeconds;
  const lastRetryDays = (wireRules.retryScheduleSeconds.reduce((sum, s) => sum + s, 0) / 86400).toFixed(1);
  const out: string[] = [];
  // Each argument is a block (a paragraph, a whole table, a code fence): blocks are blank-line separated.
  const push = (...blocks: string[]) => out.push(blocks.join("\n\n"), "");

  push(
    `<!-- THIS FILE IS GENERATED from packages/contracts (pnpm docs:contract) - DO NOT EDIT. -->`,
    `# The DTTracker ↔ Dobbletap wire contract, version ${contractVersion}`,
    "Contents: [parties and endpoints](#parties-and-endpoints) · [transport](#transport) · [signing](#signing) · " +
      "[the envelope](#the-envelope) · [events](#events) · [answers](#answers) · " +
      "[idempotency and retention](#idempotency-and-retention) · [delivery, retries and ordering](#delivery-retries-and-ordering)",
    `This page is the contract in words. Its code form is \`@dttracker-dobbletap/contracts\` (zod schemas), from which ` +
      "this page, the OpenAPI documents and JSON Schemas in `openapi/` and the pacts in `pacts/` are generated. " +
      `The contract has its own semantic version, \`${contractVersion}\` (\`contractVersion\`), which moves only when a rule of the wire moves. ` +
      "`dttracker-dobbletap-verify compat --from <old>` tells which deployed side a change between two versions breaks.",
  );

  push(
    "## Parties and endpoints",
    "DTTracker (brands, campaigns, offers) and Dobbletap (creators) each run Supabase Edge Functions. Base URLs are " +
      "configuration (`https://<project-ref>.supabase.co/functions/v1/<function>`), never constants. Each endpoint takes " +
      "only its own events; any other `event` is answered 422 `UNKNOWN_EVENT`.",
    [
      "| endpoint | receiver | path | events |",
      "|---|---|---|---|",
      ...(Object.keys(endpoints) as EndpointId[]).map(
        (id) =>
          `| \`${id}\` | ${partyName(endpoints[id].receiver)} | \`POST ${endpoints[id].path}\` | ${eventsAt(id)
            .map((name) => `[\`${name}\`](#${name})`)
            .join(", ")} |`,
      ),
    ].join("\n"),
  );

  push(
    "## Transport",
    `Every request is a \`POST\` of UTF-8 JSON (\`Content-Type: application/json\`; anything else is 415 \`UNSUPPORTED_MEDIA_TYPE\`), ` +
      `at most ${MAX_BODY_BYTES} bytes (${MAX_BODY_BYTES / 1024} KiB; more is 413 \`PAYLOAD_TOO_LARGE\`). A body that does not parse ` +
      "is 400 `MALFORMED_JSON`. A path no endpoint serves is 404 `NOT_FOUND`; any method but `POST` is 405 `METHOD_NOT_ALLOWED` with `Allow: POST`.",
  );

  const schemes = Object.entries(wireRules.signatureSchemes).map(
    ([name, s]) => `| \`${name}\` | ${s.algorithm} | \`${s.senderKey}…\` | \`${s.receiverKey}…\` |`,
  );
  push(
    "## Signing",
    "Requests are signed as Standard Webhooks (standardwebhooks.com) defines: the headers `webhook-id` (equal to the " +
      "envelope's `id`, the same on every retry), `webhook-timestamp` (unix seconds of this attempt) and `webhook-signature`, " +
      "a space-separated list of `<scheme>,<base64 signature>` over `{webhook-id}.{webhook-timestamp}.{raw body}`.",
    ["| scheme | algorithm | sender holds | receiver holds |", "|---|---|---|---|", ...schemes].join("\n"),
    "Each direction has its own key: DTTracker signs what it sends to Dobbletap with DTTracker's key, and the reverse. " +
      "`v1a` is recommended: the receiver holds only a public key, so a leak of it forges nothing. A receiver trusts a " +
      "configured list of keys, never a key named by a request. During a migration a request may carry signatures of both " +
      "schemes; it passes when any signature of a scheme the receiver is configured for is valid, and a receiver configured " +
      `for one scheme only refuses a request signed with the other alone. A timestamp more than ${tolerance} seconds ` +
      "(either way) from the receiver's clock is refused, as is any invalid signature: 401 `UNAUTHORIZED`. Supabase's gateway " +
      "may also demand `Authorization: Bearer <key>`; that is never the only proof of authenticity.",
  );

  push(
    "## The envelope",
    "Every event travels in the same envelope. Identifiers are UUIDs, money is `{ currency, amountMinor }` (a positive " +
      `whole number of minor units, never a float; \`currency\` one of the ${currencyCodes.length} codes the platform's ` +
      '`Intl.supportedValuesOf("currency")` lists). Timestamps are RFC 3339: receivers accept `Z` or a numeric offset ' +
      "(`+00:00`) and normalise to UTC; senders always send `Z`.",
    fieldTable(sides.events[eventNames[0]!]!.request.accepted as Node, "")
      .split("\n")
      .filter((line) => !line.startsWith("| `data."))
      .map((line) =>
        line.startsWith("| `event` |") ? "| `event` | string | required | The event's name, e.g. `offer_sent`; it decides the shape of `data`. |" : line,
      )
      .join("\n"),
  );

  push("## Events");
  for (const name of eventNames) {
    const event = events[name];
    const endpoint = endpoints[event.endpoint];
    const accepted = sides.events[name]!.request.accepted as Node;
    const success = sides.events[name]!.success.accepted as Node;
    push(
      `### \`${name}\``,
      `**${senderOf(event.endpoint)} → ${partyName(endpoint.receiver)}**, \`POST ${endpoint.path}\`. ${event.summary}. ${event.description}`,
      fieldTable((accepted.properties as Record<string, Node>).data!, "data"),
      `The success answer's \`result\`:`,
      fieldTable((success.properties as Record<string, Node>).result!, "result"),
      "Example (the event's own example, also the OpenAPI example and a test fixture):",
      ["```json", JSON.stringify(event.example, null, 2), "```"].join("\n"),
    );
  }
  push(
    `\`creators_synced\` carries 1 to ${MAX_CREATORS_PER_EVENT} creators; a longer list is split into several events (the SDK's ` +
      "`creatorsSynced` does it and reports one aggregated result). A batch in which some creators failed is still a 200: " +
      "`result.failed` names each failure, and the sender's report says `PARTIAL_FAILURE`. In `activation_updated.changes`, " +
      `\`null\` clears ${clearableFields.map((field) => `\`${field}\``).join(", ")}; the other fields can only be replaced.`,
  );

  push(
    "## Answers",
    "A success is `200 { success: true, eventId, result, duplicate? }`: `result` names what exists now (for one record " +
      "`{ type, id, status }`, `id` being the receiver's own record id). A 200 is never sent for something that was not done. " +
      "A failure is `{ success: false, error: { code, message, issues? } }` with the status of its code:",
    [
      "| code | status | when |",
      "|---|---|---|",
      ...errorCodeList.map((code) => `| \`${code}\` | ${errorCodes[code].status} | ${cell(errorCodes[code].description)} |`),
    ].join("\n"),
    "`issues` (for `VALIDATION_FAILED` and `UNKNOWN_EVENT`) holds one `{ path, message }` per problem, `path` dotted from " +
      "the body's root with array indices as numbers (`data.creators.0.status`). When several records are missing the " +
      "answer names the event's own subject first: `OFFER_NOT_FOUND` for `offer_accepted`/`offer_declined`; for " +
      "`offer_sent`, `CAMPAIGN_NOT_FOUND` before `CREATOR_NOT_FOUND`. A cancelled campaign takes no more offers or updates " +
      "(409 `INVALID_STATE`); cancelling it again is a 200 with its cancelled status.",
  );

  push(
    "## Idempotency and retention",
    `A receiver remembers every successful event id, with a digest of its \`event\` and \`data\`, for at least ${wireRules.dedupRetentionDays} days, ` +
      "in storage every instance shares (a table with a unique key on the id, not process memory), committed in the same " +
      "transaction as the handler's effects. The same id with the same digest is answered with the first answer and " +
      "`duplicate: true`, and nothing new is created; the same id with another digest or event is 409 `INVALID_STATE`. " +
      "Failures are never remembered, so a retry after the cause is fixed succeeds. A concurrent copy of an id still being " +
      "processed waits (bounded) for the first answer, or is answered 500 `INTERNAL` with `Retry-After`.",
  );

  push(
    "## Delivery, retries and ordering",
    `A sender retries network errors, timeouts, 408, 429 and 5xx with the same \`webhook-id\` after ${wireRules.retryScheduleSeconds
      .map((s) => (s < 60 ? `${s} s` : s < 3600 ? `${s / 60} min` : `${s / 3600} h`))
      .join(", ")} (±20% jitter; a later \`Retry-After\` wins), then dead-letters the event (about ${lastRetryDays} days after the first ` +
      "attempt, well inside the receiver's memory). Any other 4xx is not retried; a 410 stops delivery to that endpoint. " +
      "`retryQueued: true` means the event sits in a durable store committed with the sender's own change. Events about one " +
      "campaign are delivered in the order they were enqueued, and an `offer_sent` waits until its campaign's " +
      "`campaign_created` has succeeded; one that still gets 404 `CAMPAIGN_NOT_FOUND` is resent, same id, once the campaign is delivered.",
  );

  push(
    "## Provider states (for contract tests)",
    "A deployment's state-change endpoint sets these up before a pact interaction is replayed (each party's pact " +
      "uses some of them, as a provider; the mock server implements all):",
    (Object.keys(providerStates) as ProviderStateKey[])
      .map((key) => {
        const users = (["dobbletap", "dttracker"] as const).filter((party) => (providerStatesOf[party] as readonly string[]).includes(key));
        return `- "${providerStates[key]}" (${users.length > 0 ? `${users.map((party) => `${parties[party].name}'s`).join(" and ")} ${users.length > 1 ? "pacts" : "pact"}` : "mock server only"})`;
      })
      .join("\n"),
  );
  return `${out.join("\n").trimEnd()}\n`;
}
