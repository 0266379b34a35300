import type { SignRequest } from "./resign.js";

/**
 * What {@link preflight} checks before Pact starts.
 *
 * @example
 * ```ts
 * const sign: SignRequest = (secret, id, body) => createSigner(secret).headers(id, body);
 * const options: PreflightOptions = { baseUrl, statesUrl, secret: process.env.WEBHOOK_SECRET!, sign, secretEnv: "WEBHOOK_SECRET", timeoutMs: 5000 };
 * ```
 */
export interface PreflightOptions {
  baseUrl: string;
  statesUrl?: string;
  secret: string;
  /** Signs the no-op state change: the SDK's signer (see {@link SignRequest}). */
  sign: SignRequest;
  /** The environment variable the secret came from, for the messages. */
  secretEnv: string;
  timeoutMs: number;
}

/**
 * Seconds-fast checks before Pact starts, so a setup mistake is one line naming the option to fix
 * instead of minutes of failing replays: the key is well-formed, the base URL answers at all, the
 * states URL answers a no-op state change (signed, as every state change is). Returns the problems
 * found (empty when all is well).
 *
 * @example
 * ```ts
 * const sign: SignRequest = (secret, id, body) => createSigner(secret).headers(id, body);
 * const problems = await preflight({ baseUrl, statesUrl, secret: process.env.WEBHOOK_SECRET!, sign, secretEnv: "WEBHOOK_SECRET", timeoutMs: 5000 });
 * if (problems.length > 0) { console.error(problems.join("\n")); process.exit(2); }
 * ```
 */
export async function preflight(options: PreflightOptions): Promise<string[]> {
  const problems: string[] = [];
  const keyProblem = checkKey(options.secret, options.secretEnv);
  if (keyProblem) problems.push(keyProblem);
  const base = await reach(options.baseUrl, { method: "GET" }, options.timeoutMs);
  if (typeof base === "string") problems.push(`--base-url ${options.baseUrl}: ${base}. Start the provider or fix --base-url.`);
  if (options.statesUrl && !keyProblem) {
    const body = JSON.stringify({ state: "", params: {}, action: "setup" });
    const headers = { "content-type": "application/json", ...(await options.sign(options.secret, crypto.randomUUID(), body)) };
    const states = await reach(options.statesUrl, { method: "POST", headers, body }, options.timeoutMs);
    if (typeof states === "string") {
      problems.push(`--states-url ${options.statesUrl}: ${states}. Start the provider or fix --states-url.`);
    } else if (states.status === 401 || states.status === 403) {
      problems.push(
        `--states-url ${options.statesUrl} refused the signed state change (HTTP ${states.status}): the key in $${options.secretEnv} does not match the provider's.`,
      );
    } else if (!states.ok) {
      problems.push(
        `--states-url ${options.statesUrl} answered a no-op state change with HTTP ${states.status}: the states URL is not wired. Mount createProviderStates there, enabled on this deployment (it answers 404 when not enabled).`,
      );
    }
  }
  return problems;
}

/** The key's form only: `whsec_` + base64 of ≥ 24 bytes (v1), or `whsk_` + base64 of a 32- or 64-byte Ed25519 key (v1a). */
function checkKey(secret: string, env: string): string | undefined {
  const v1a = secret.startsWith("whsk_");
  const raw = secret.startsWith("whsec_") ? secret.slice(6) : v1a ? secret.slice(5) : undefined;
  if (raw === undefined) return `$${env} is not a signing key: it must start with whsec_ (v1) or whsk_ (v1a).`;
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, "base64").length : 0;
  if (v1a ? bytes !== 32 && bytes !== 64 : bytes < 24) {
    return v1a
      ? `$${env} is not a well-formed v1a key: whsk_ must be followed by base64 of a 32-byte Ed25519 seed (or the 64-byte seed‖public form).`
      : `$${env} is not a well-formed secret: whsec_ must be followed by base64 of at least 24 random bytes.`;
  }
  return undefined;
}

/** Any HTTP answer counts as reachable; a string says why there was none. */
async function reach(url: string, init: RequestInit, timeoutMs: number): Promise<Response | string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "not a URL";
  }
  try {
    const response = await fetch(parsed, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response;
  } catch (error) {
    // undici wraps the socket error; with several addresses tried, it is an AggregateError.
    const inner = (error as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause;
    const cause = inner?.code ?? inner?.errors?.[0]?.code;
    if ((error as Error).name === "TimeoutError") return `no answer within ${timeoutMs} ms (--timeout)`;
    return `nothing answers (${cause ?? (error as Error).message})`;
  }
}
