/**
 * The two parties of the integration: the name people and the pact files use, and the base path of
 * its Supabase Edge Functions (what a receiver's base URL ends with; the endpoints' paths follow it).
 *
 * @example
 * ```ts
 * const projectRef = "your-project-ref";
 * const base = `https://${projectRef}.supabase.co${parties.dobbletap.basePath}`; // …/functions/v1/make-server-8061e72e
 * console.log(parties.dttracker.name); // "DTTracker"
 * ```
 */
export const parties = {
  dttracker: { name: "DTTracker", basePath: "/functions/v1" },
  dobbletap: { name: "Dobbletap", basePath: "/functions/v1/make-server-8061e72e" },
} as const satisfies Record<string, { name: string; basePath: `/${string}` }>;

/** One party of the integration: `"dttracker"` or `"dobbletap"`. */
export type Party = keyof typeof parties;

/**
 * The three receiver endpoints. Paths are relative to the receiving party's base URL, which is
 * configuration (e.g. `https://<project-ref>.supabase.co` + {@link parties}`[receiver].basePath`).
 *
 * @example
 * ```ts
 * const dobbletapBase = process.env.DOBBLETAP_BASE_URL!; // https://<project-ref>.supabase.co/functions/v1/make-server-8061e72e
 * const url = `${dobbletapBase}${endpoints["dobbletap.webhooks"].path}`; // …/webhooks/dttracker
 * ```
 */
export const endpoints = {
  "dobbletap.webhooks": {
    receiver: "dobbletap",
    path: "/webhooks/dttracker",
    summary: "Dobbletap's receiver for DTTracker's events (campaigns and offers)",
  },
  "dttracker.creator-sync": {
    receiver: "dttracker",
    path: "/creator-sync-from-dobbletap",
    summary: "DTTracker's receiver for Dobbletap's creator sync",
  },
  "dttracker.webhooks": {
    receiver: "dttracker",
    path: "/dobbletap-webhooks",
    summary: "DTTracker's receiver for Dobbletap's offer status events",
  },
} as const satisfies Record<string, { receiver: Party; path: `/${string}`; summary: string }>;

/** The name of a receiver endpoint, e.g. `dobbletap.webhooks`. */
export type EndpointId = keyof typeof endpoints;
