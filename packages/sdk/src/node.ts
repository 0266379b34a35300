/**
 * The `node:http` adapter: `@dttracker-dobbletap/sdk/node`. Kept out of the main entry so that
 * Deno and edge bundles never load node: modules.
 *
 * @packageDocumentation
 */
export { toNodeListener, type NodeListener } from "./receiver/node.js";
export { webhookServerBounds, webhookServerOptions, type ServerBounds } from "./receiver/server-bounds.js";
