/**
 * Test support: a receiver needs exactly its endpoint's handlers (`endpoint` decides them), while
 * most tests care about one event. `endpointFor(handlers)` names the endpoint of the handlers
 * given and gives that endpoint's other events handlers that succeed, with each event's example
 * result (`events[name].exampleResult`).
 */
import { events, eventsAt, type EndpointId, type EventName, type EventResult } from "@dttracker-dobbletap/contracts";
import type { WebhookHandlers } from "../../src/index.js";

/** The contract's example result of `name` (for the example's data). */
export function resultOf<K extends EventName>(name: K): EventResult<K> {
  return structuredClone(events[name].exampleResult) as EventResult<K>;
}

/** The handlers given, for their endpoint, completed with succeeding handlers for its other events. */
export function endpointFor(handlers: Partial<WebhookHandlers<EventName>>): { endpoint: EndpointId; handlers: WebhookHandlers<EventName> } {
  const names = Object.keys(handlers) as EventName[];
  if (names.length === 0) throw new TypeError("endpointFor needs at least one handler.");
  const endpoint = events[names[0]!].endpoint;
  const all = Object.fromEntries(eventsAt(endpoint).map((name) => [name, handlers[name] ?? (() => resultOf(name))]));
  return { endpoint, handlers: all as WebhookHandlers<EventName> };
}
