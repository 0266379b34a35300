/**
 * node:crypto where the runtime exposes it through `process.getBuiltinModule` (Node, and runtimes
 * with Node compatibility), loaded once for every signing backend. Reached this way, not by an
 * import, so the SDK still loads where there is no node:crypto (Web Crypto is used there).
 */
import type { HmacBackend } from "./hmac.js";

export type NodeCrypto = typeof import("node:crypto");

function loadNodeCrypto(): NodeCrypto | undefined {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  try {
    return getBuiltin?.("node:crypto") as NodeCrypto | undefined;
  } catch {
    return undefined;
  }
}

/** node:crypto, or undefined in a runtime without it. */
export const nodeCrypto: NodeCrypto | undefined = loadNodeCrypto();

/** node:crypto when `backend` uses it, undefined when it uses Web Crypto; throws for `node` where there is none. */
export function nodeCryptoFor(backend: HmacBackend): NodeCrypto | undefined {
  if (backend === "web" || (backend === "auto" && !nodeCrypto)) return undefined;
  if (!nodeCrypto) throw new Error("node:crypto is not available in this runtime; use the web backend.");
  return nodeCrypto;
}
