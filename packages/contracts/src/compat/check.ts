/**
 * The compatibility check between two contract versions, per event and per direction.
 *
 * Requests: an old sender's payloads against a new receiver, a new sender's against an old
 * receiver. Answers go the other way: a receiver emits them and a sender accepts them.
 */
import { emitterGaps } from "./direction.js";
import type { ContractSides, JsonSchema, MessageSides } from "./sides.js";

/** Which pair of deployments one finding is about. */
export type Direction = "old sender → new receiver" | "new sender → old receiver" | "old receiver → new sender" | "new receiver → old sender";

/** One breaking change. */
export interface Breaking {
  /** The event, or `*` for the error answer every endpoint shares. */
  event: string;
  message: "request" | "success answer" | "error answer";
  /** Who emits → who accepts. */
  direction: Direction;
  /**
   * The deployed old side the change breaks (the tag v1.1 gives each change): an old emitter whose
   * messages new acceptors refuse, or an old acceptor that refuses what new emitters send.
   */
  breaks: "old senders" | "old receivers";
  /** Which side must deploy the new version first so that nothing is refused in between. */
  shipFirst: "senders" | "receivers";
  path: string;
  rule: string;
  /** Passes the emitter's schema, fails the acceptor's (checked with ajv). */
  counterexample: unknown;
}

/** The whole report. */
export interface CompatReport {
  from: string;
  to: string;
  breaking: Breaking[];
}

function exampleOf(schema: JsonSchema): unknown {
  const root = schema as { example?: unknown; $ref?: string; $defs?: Record<string, { example?: unknown }> };
  return root.example ?? (root.$ref ? root.$defs?.[root.$ref.replace("#/$defs/", "")]?.example : undefined);
}

function pairs(old: MessageSides, current: MessageSides, kind: "request" | "answer") {
  // The emitter of a request is its sender; of an answer, the receiver.
  const [emitter, acceptor] = kind === "request" ? (["sender", "receiver"] as const) : (["receiver", "sender"] as const);
  return [
    // Old emitters must be gone before new acceptors refuse them: the emitters ship first.
    {
      direction: `old ${emitter} → new ${acceptor}` as Direction,
      breaks: `old ${emitter}s` as Breaking["breaks"],
      shipFirst: `${emitter}s` as Breaking["shipFirst"],
      emitted: old.emitted,
      accepted: current.accepted,
    },
    // New emitters may only send once every acceptor takes it: the acceptors ship first.
    {
      direction: `new ${emitter} → old ${acceptor}` as Direction,
      breaks: `old ${acceptor}s` as Breaking["breaks"],
      shipFirst: `${acceptor}s` as Breaking["shipFirst"],
      emitted: current.emitted,
      accepted: old.accepted,
    },
  ];
}

function compare(event: string, message: Breaking["message"], old: MessageSides, current: MessageSides): Breaking[] {
  const out: Breaking[] = [];
  for (const pair of pairs(old, current, message === "request" ? "request" : "answer")) {
    for (const gap of emitterGaps(pair.emitted, pair.accepted, exampleOf(pair.emitted))) {
      out.push({ event, message, direction: pair.direction, breaks: pair.breaks, shipFirst: pair.shipFirst, ...gap });
    }
  }
  return out;
}

/**
 * Every breaking change from `old` to `current`, with a validated counterexample for each.
 *
 * @example
 * ```ts
 * const report = checkCompat(await loadSides(dir), currentSides(contractVersion));
 * if (report.breaking.length > 0) process.exitCode = 1;
 * ```
 */
export function checkCompat(old: ContractSides, current: ContractSides): CompatReport {
  const breaking: Breaking[] = [];
  for (const event of Object.keys(old.events)) {
    const now = current.events[event];
    const before = old.events[event]!;
    if (!now) {
      const example = exampleOf(before.request.emitted);
      breaking.push({
        event,
        message: "request",
        direction: "old sender → new receiver",
        breaks: "old senders",
        shipFirst: "senders",
        path: "event",
        rule: `the event ${event} no longer exists: new receivers answer 422 UNKNOWN_EVENT`,
        counterexample: example ?? { event },
      });
      continue;
    }
    breaking.push(...compare(event, "request", before.request, now.request));
    breaking.push(...compare(event, "success answer", before.success, now.success));
  }
  for (const event of Object.keys(current.events)) {
    if (old.events[event]) continue;
    const example = exampleOf(current.events[event]!.request.emitted);
    breaking.push({
      event,
      message: "request",
      direction: "new sender → old receiver",
      breaks: "old receivers",
      shipFirst: "receivers",
      path: "event",
      rule: `the event ${event} is new: old receivers answer 422 UNKNOWN_EVENT`,
      counterexample: example ?? { event },
    });
  }
  breaking.push(...compare("*", "error answer", old.error, current.error));
  return { from: old.version, to: current.version, breaking };
}
