/** The two parties of the integration. */
export type Party = "dttracker" | "dobbletap";

/**
 * The three receiver endpoints. Paths are relative to the receiving party's base URL, which is
 * configuration (e.g. `https://<project-ref>.supabase.co/functions/v1/make-server-8061e72e`).
 *
 * @example
 * ```ts
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
