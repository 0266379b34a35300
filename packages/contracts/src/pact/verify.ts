import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Party } from "../endpoints.js";
import { providerStates } from "../provider-states.js";
import { participants } from "./interactions.js";
import { escapeRegExp } from "./matchers.js";
import { buildReport, headline, type PactVerifierJson, type VerificationReport } from "./report.js";
import { createResigningFilter, type SignRequest } from "./resign.js";

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
  /** Pending pacts (a new consumer expectation fails no build until the provider passes it once). Default true. */
  enablePending?: boolean;
  /** Work-in-progress pacts since this date (ISO-8601), verified as pending. */
  includeWipPactsSince?: string;
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
  /**
   * Signs each replay and each state change with `secret`: the SDK's signer,
   * `(secret, id, body) => createSigner(secret).headers(id, body)` (see {@link SignRequest}).
   */
  sign: SignRequest;
  /** Sent as `Authorization: Bearer` when the provider's gateway demands it. */
  bearerToken?: string;
  /** Pact files to verify; default: the pact shipped in this package for that provider. */
  pactFiles?: string[];
  broker?: BrokerOptions;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error";
  /** Per request (each replay and each state change), in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Only the interactions whose description contains this text (case-insensitive). */
  interaction?: string;
  /** The environment variable the secret came from, named in the wrong-key hint. */
  secretEnv?: string;
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
 * const sign: SignRequest = (secret, id, body) => createSigner(secret).headers(id, body);
 * await verifyProvider({ provider: "dttracker", baseUrl, secret: process.env.WEBHOOK_SECRET!, sign, pactFiles: [shippedPactFor("dttracker")] });
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

/**
 * A state change, signed with the provider's key like the webhooks (createProviderStates checks it),
 * bounded by `timeoutMs`. Throws with the URL and the answer, which Pact reports for the interaction.
 */
async function postState(options: VerifyProviderOptions, state: string, params: unknown, action: "setup" | "teardown") {
  const statesUrl = options.statesUrl!;
  const body = JSON.stringify({ state, params: params ?? {}, action });
  let response: Response;
  try {
    response = await fetch(statesUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await options.sign(options.secret, crypto.randomUUID(), body)) },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (error) {
    throw new Error(`Provider state change "${state}" (${action}) got no answer from ${statesUrl}: ${(error as Error).message}`);
  }
  if (!response.ok) {
    const raw = await response.text();
    // createProviderStates answers { error: { message } }: show the message, not the JSON around it.
    let text = raw.slice(0, 300);
    try {
      const message = (JSON.parse(raw) as { error?: { message?: unknown } }).error?.message;
      if (typeof message === "string") text = message.slice(0, 300);
    } catch {
      // Not JSON: the raw text it is.
    }
    throw new Error(`Provider state change "${state}" (${action}) failed at ${statesUrl} with HTTP ${response.status}: ${text}`);
  }
}

/** A verification that could not run at all (not a mismatch): the CLI's exit code 2. */
export class VerificationSetupError extends Error {
  override name = "VerificationSetupError" as const;
}

/**
 * Verifies a provider (a real deployment, or the mock server) against the pacts and reports each
 * interaction: replays it, re-signed with the provider's secret, after setting its provider states
 * through `statesUrl`. Resolves with the report whether or not the provider passed; rejects with
 * {@link VerificationSetupError} only when verification could not run. Pact's own console output
 * goes to this process's stdout (the CLI runs it in a child process to keep it out of its table).
 *
 * @example
 * ```ts
 * const sign: SignRequest = (secret, id, body) => createSigner(secret).headers(id, body);
 * const report = await runVerification({ provider: "dttracker", baseUrl, statesUrl, secret: process.env.WEBHOOK_SECRET!, sign });
 * if (!report.passed) process.exitCode = 1;
 * ```
 */
export async function runVerification(options: VerifyProviderOptions): Promise<VerificationReport> {
  let Verifier: typeof import("@pact-foundation/pact").Verifier;
  try {
    ({ Verifier } = await import("@pact-foundation/pact"));
  } catch {
    throw new VerificationSetupError("Provider verification needs @pact-foundation/pact: npm install -D @pact-foundation/pact@17");
  }
  const pactFiles = options.broker ? [] : (options.pactFiles ?? [shippedPactFor(options.provider)]);
  const filter = createResigningFilter({ secret: options.secret, sign: options.sign, bearerToken: options.bearerToken });
  // Pact replays an interaction even when its state change failed: remember them for the report.
  const stateFailures = new Map<string, string>();
  const change = async (state: string, params: unknown, action: "setup" | "teardown") => {
    if (!options.statesUrl) return;
    try {
      await postState(options, state, params, action);
    } catch (error) {
      // The first failure (usually the setup) is the one that explains the interaction.
      if (!stateFailures.has(state)) stateFailures.set(state, (error as Error).message);
      throw error;
    }
  };
  const stateHandlers = Object.fromEntries(
    statesIn(pactFiles).map((state) => [
      state,
      {
        setup: async (params?: unknown) => {
          if (state === providerStates.foreignSignature) filter.useForeignSecretOnce();
          await change(state, params, "setup");
          return undefined;
        },
        teardown: async (params?: unknown) => {
          await change(state, params, "teardown");
          return undefined;
        },
      },
    ]),
  );
  const broker = options.broker;
  // pact-core reads the interaction filter from the environment only.
  const previousFilter = process.env.PACT_DESCRIPTION;
  if (options.interaction) {
    const description = descriptionFilter(options.interaction, pactFiles);
    if (description === undefined) throw new VerificationSetupError(`No interaction matches --interaction "${options.interaction}".`);
    process.env.PACT_DESCRIPTION = description;
  }
  const verifier = new Verifier({
    provider: participants[options.provider],
    providerBaseUrl: options.baseUrl,
    ...(broker
      ? {
          pactBrokerUrl: broker.url,
          // Pact refuses a token beside a username/password even when they are undefined: pass only what is set.
          ...(broker.token ? { pactBrokerToken: broker.token } : {}),
          ...(broker.username ? { pactBrokerUsername: broker.username, pactBrokerPassword: broker.password } : {}),
          ...(broker.publish ? { publishVerificationResult: true } : {}),
          ...(broker.providerVersion ? { providerVersion: broker.providerVersion } : {}),
          ...(broker.providerBranch ? { providerVersionBranch: broker.providerBranch } : {}),
          consumerVersionSelectors: broker.consumerVersionSelectors ?? [{ mainBranch: true }, { deployedOrReleased: true }],
          enablePending: broker.enablePending ?? true,
          ...(broker.includeWipPactsSince ? { includeWipPactsSince: broker.includeWipPactsSince } : {}),
        }
      : { pactUrls: pactFiles }),
    // The verifier types intersect HTTP and message state handlers; these are HTTP ones.
    stateHandlers: stateHandlers as never,
    requestFilter: filter as never,
    timeout: options.timeoutMs ?? 5000,
    logLevel: options.logLevel ?? "warn",
  });
  let json: string;
  try {
    json = (await verifier.verifyProvider()) as string;
  } catch (error) {
    json = (error as Error).message;
  } finally {
    if (options.interaction) {
      if (previousFilter === undefined) delete process.env.PACT_DESCRIPTION;
      else process.env.PACT_DESCRIPTION = previousFilter;
    }
  }
  let parsed: PactVerifierJson;
  try {
    parsed = JSON.parse(json) as PactVerifierJson;
  } catch {
    throw new VerificationSetupError(`The Pact verifier could not run: ${json.slice(0, 500)}`);
  }
  const report = buildReport(parsed, {
    provider: options.provider,
    baseUrl: options.baseUrl,
    statesUrl: options.statesUrl,
    secretEnv: options.secretEnv,
    stateFailures,
  });
  if (report.interactions.length === 0) {
    const errors = (parsed.errors ?? []).map((e) => e.mismatch?.message ?? e.interaction).filter(Boolean);
    throw new VerificationSetupError(
      options.interaction
        ? `No interaction matches --interaction "${options.interaction}".`
        : `No interaction was verified${errors.length > 0 ? `: ${errors.join("; ")}` : " (no pacts found)"}.`,
    );
  }
  return report;
}

/** The exact description to hand Pact (a regex there): the one interaction containing `text`. */
function descriptionFilter(text: string, pactFiles: string[]): string | undefined {
  const wanted = text.toLowerCase();
  const descriptions = new Set<string>();
  for (const file of pactFiles) {
    const pact = JSON.parse(readFileSync(file, "utf8")) as { interactions?: Array<{ description: string }> };
    for (const interaction of pact.interactions ?? []) if (interaction.description.toLowerCase().includes(wanted)) descriptions.add(interaction.description);
  }
  // Broker pacts are not read here: pass the text on as Pact's own (regex) filter.
  if (descriptions.size === 0) return pactFiles.length === 0 ? text : undefined;
  return `^(?:${[...descriptions].map(escapeRegExp).join("|")})$`;
}

/**
 * Verifies a provider against the pacts (see {@link runVerification}); resolves with the report
 * when every interaction passes, rejects with each failure in plain words otherwise.
 *
 * @example
 * ```ts
 * import { verifyProvider } from "@dttracker-dobbletap/contracts/pact";
 * import { createSigner } from "@dttracker-dobbletap/sdk";
 * await verifyProvider({
 *   sign: (secret, id, body) => createSigner(secret).headers(id, body),
 *   provider: "dobbletap",
 *   baseUrl: "https://your-project-ref.supabase.co/functions/v1/make-server-8061e72e",
 *   statesUrl: "https://your-project-ref.supabase.co/functions/v1/make-server-8061e72e/__pact/states",
 *   secret: process.env.WEBHOOK_SECRET!,
 * });
 * ```
 */
export async function verifyProvider(options: VerifyProviderOptions): Promise<VerificationReport> {
  const report = await runVerification(options);
  if (report.passed) return report;
  const lines = report.interactions
    .filter((interaction) => !interaction.passed && !interaction.pending)
    .map((interaction) => `✗ ${interaction.description}: ${headline(interaction)}\n    ${interaction.differences.join("\n    ")}`);
  throw new Error([...lines, ...report.hints.map((hint) => `hint: ${hint}`)].join("\n"));
}
