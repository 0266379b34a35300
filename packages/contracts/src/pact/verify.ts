import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Party } from "../endpoints.js";
import { providerStates } from "../provider-states.js";
import { participants } from "./interactions.js";
import { createResigningFilter } from "./resign.js";

/** Pact Broker settings; without `url` the shipped pact files are verified. */
export interface BrokerOptions {
  url: string;
  token?: string;
  username?: string;
  password?: string;
  /** Publish the verification result to the broker (do it from CI only). */
  publish?: boolean;
  providerVersion?: string;
  providerBranch?: string;
  consumerVersionSelectors?: Array<Record<string, unknown>>;
}

/** Options for {@link verifyProvider}. */
export interface VerifyProviderOptions {
  /** Which party's receiver is being verified. */
  provider: Party;
  /** The provider's base URL, e.g. `https://<ref>.supabase.co/functions/v1/make-server-8061e72e`. */
  baseUrl: string;
  /** The provider's state-change endpoint (Pact protocol: `POST { state, params, action }`). */
  statesUrl?: string;
  /**
   * The key every replayed request is re-signed with: a `whsk_` secret key (v1a; the provider holds
   * its `whpk_`) or the provider's `whsec_` secret (v1).
   */
  secret: string;
  /** Sent as `Authorization: Bearer` when the provider's gateway demands it. */
  bearerToken?: string;
  /** Pact files to verify; default: the pact shipped in this package for that provider. */
  pactFiles?: string[];
  broker?: BrokerOptions;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error";
}

/**
 * The folder holding the pact files: `pacts/` of the installed package, or of the repository.
 *
 * @example
 * ```ts
 * const dir = shippedPactDir(); // …/node_modules/@dttracker-dobbletap/contracts/pacts
 * ```
 */
export function shippedPactDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(join(dir, "pacts", "DTTracker-Dobbletap.json"))) return join(dir, "pacts");
    dir = dirname(dir);
  }
  throw new Error("No pacts/ folder found beside @dttracker-dobbletap/contracts; pass pactFiles explicitly.");
}

/**
 * The shipped pact file in which `provider` is the provider.
 *
 * @example
 * ```ts
 * await verifyProvider({ provider: "dttracker", baseUrl, secret, pactFiles: [shippedPactFor("dttracker")] });
 * ```
 */
export function shippedPactFor(provider: Party): string {
  const consumer = provider === "dobbletap" ? participants.dttracker : participants.dobbletap;
  return join(shippedPactDir(), `${consumer}-${participants[provider]}.json`);
}

function statesIn(pactFiles: string[]): string[] {
  const names = new Set<string>(Object.values(providerStates));
  for (const file of pactFiles) {
    const pact = JSON.parse(readFileSync(file, "utf8")) as { interactions?: Array<{ providerStates?: Array<{ name: string }> }> };
    for (const interaction of pact.interactions ?? []) for (const state of interaction.providerStates ?? []) names.add(state.name);
  }
  return [...names];
}

async function postState(statesUrl: string, state: string, params: unknown, action: "setup" | "teardown") {
  const response = await fetch(statesUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ state, params: params ?? {}, action }),
  });
  if (!response.ok) {
    throw new Error(`Provider state "${state}" (${action}) failed at the states URL with HTTP ${response.status}: ${await response.text()}`);
  }
}

/**
 * Verifies a provider (a real deployment, or the mock server) against the pacts: replays each
 * interaction, re-signed with the provider's secret, after setting its provider states through
 * `statesUrl`. Resolves with the verifier's output; rejects with the mismatches in the message.
 *
 * @example
 * ```ts
 * import { verifyProvider } from "@dttracker-dobbletap/contracts/pact";
 * await verifyProvider({
 *   provider: "dobbletap",
 *   baseUrl: "https://your-project-ref.supabase.co/functions/v1/make-server-8061e72e",
 *   statesUrl: "https://your-project-ref.supabase.co/functions/v1/make-server-8061e72e/__pact/states",
 *   secret: process.env.WEBHOOK_SECRET!,
 * });
 * ```
 */
export async function verifyProvider(options: VerifyProviderOptions): Promise<string> {
  let Verifier: typeof import("@pact-foundation/pact").Verifier;
  try {
    ({ Verifier } = await import("@pact-foundation/pact"));
  } catch {
    throw new Error("Provider verification needs @pact-foundation/pact: npm install -D @pact-foundation/pact@17");
  }
  const pactFiles = options.broker ? [] : (options.pactFiles ?? [shippedPactFor(options.provider)]);
  const filter = createResigningFilter({ secret: options.secret, bearerToken: options.bearerToken });
  const stateHandlers = Object.fromEntries(
    statesIn(pactFiles).map((state) => [
      state,
      {
        setup: async (params?: unknown) => {
          if (state === providerStates.foreignSignature) filter.useForeignSecretOnce();
          if (options.statesUrl) await postState(options.statesUrl, state, params, "setup");
          return undefined;
        },
        teardown: async (params?: unknown) => {
          if (options.statesUrl) await postState(options.statesUrl, state, params, "teardown");
          return undefined;
        },
      },
    ]),
  );
  const broker = options.broker;
  const verifier = new Verifier({
    provider: participants[options.provider],
    providerBaseUrl: options.baseUrl,
    ...(broker
      ? {
          pactBrokerUrl: broker.url,
          pactBrokerToken: broker.token,
          pactBrokerUsername: broker.username,
          pactBrokerPassword: broker.password,
          publishVerificationResult: broker.publish ?? false,
          providerVersion: broker.providerVersion,
          providerVersionBranch: broker.providerBranch,
          consumerVersionSelectors: broker.consumerVersionSelectors ?? [{ mainBranch: true }, { deployedOrReleased: true }],
        }
      : { pactUrls: pactFiles }),
    // The verifier types intersect HTTP and message state handlers; these are HTTP ones.
    stateHandlers: stateHandlers as never,
    requestFilter: filter as never,
    logLevel: options.logLevel ?? "warn",
  });
  return (await verifier.verifyProvider()) as string;
}
