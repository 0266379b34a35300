import { contractInteractions } from "./interactions.js";

/**
 * One interaction's outcome, in plain words.
 *
 * @example
 * ```ts
 * const outcome: InteractionOutcome = report.interactions[0]!;
 * if (!outcome.passed) console.log(outcome.description, outcome.differences.join("; "));
 * ```
 */
export interface InteractionOutcome {
  description: string;
  consumer: string;
  provider: string;
  /** The provider states it was replayed under. */
  states: string[];
  /** What was sent, e.g. `POST /webhooks/dttracker offer_sent` (empty for a pact this package did not write). */
  sent: string;
  /** What the pact expects back, e.g. `404 CAMPAIGN_NOT_FOUND`, `200 duplicate`. */
  expected: string;
  /** What came back, as far as the verifier reported it (equals `expected` when it passed). */
  got: string;
  passed: boolean;
  /** A pending pact's failure does not fail the run (Pact Broker's pending pacts). */
  pending: boolean;
  /** Each difference in plain words: "status: expected 404, got 200". */
  differences: string[];
  durationMs?: number;
}

/**
 * What a verification run found: one outcome per interaction, and hints for the patterns people hit.
 *
 * @example
 * ```ts
 * import { createSigner } from "@dttracker-dobbletap/sdk";
 * const sign: SignRequest = (secret, id, body) => createSigner(secret).headers(id, body);
 * const report: VerificationReport = await runVerification({ provider: "dttracker", baseUrl, secret: process.env.WEBHOOK_SECRET!, sign });
 * process.exitCode = report.passed ? 0 : 1;
 * ```
 */
export interface VerificationReport {
  provider: string;
  baseUrl: string;
  /** True when no interaction failed (pending failures excepted). */
  passed: boolean;
  interactions: InteractionOutcome[];
  /** What to fix, when the failures have a known cause. */
  hints: string[];
}

interface PactMismatch {
  type?: string;
  path?: string;
  expected?: unknown;
  actual?: unknown;
  mismatch?: string;
  message?: string;
}

/**
 * The shape of pact_ffi's `pactffi_verifier_json` output, as far as it is read here.
 *
 * @example
 * ```ts
 * const json = JSON.parse(await verifier.verifyProvider()) as PactVerifierJson;
 * ```
 */
export interface PactVerifierJson {
  result?: boolean;
  interactionResults?: Array<{
    consumer?: string;
    provider?: string;
    description?: string;
    duration?: string;
    pending?: boolean;
    providerStates?: string[];
    result?: string;
    mismatch?: { type?: string; message?: string; mismatches?: PactMismatch[] };
  }>;
  errors?: Array<{ interaction?: string; mismatch?: { type?: string; message?: string } }>;
}

const unquote = (value: unknown) => (typeof value === "string" ? value.replace(/^"(.*)"$/, "$1") : String(value));

function expectedOf(description: string) {
  const known = contractInteractions().find((interaction) => interaction.description === description);
  if (!known) return undefined;
  const body = known.response.body as { duplicate?: boolean; error?: { code?: string } };
  return {
    sent: `POST ${known.path} ${known.event}`,
    status: known.response.status,
    what: body.error?.code ?? (body.duplicate ? "duplicate" : "success"),
  };
}

/** Pact says "Expected <actual> to be equal to <expected>"; this says it the other way round. */
function difference(mismatch: PactMismatch): string {
  if (mismatch.type === "StatusMismatch") return `status: expected ${mismatch.expected}, got ${mismatch.actual}`;
  const path = mismatch.path ?? "$";
  const missing = mismatch.mismatch?.match(/missing the following keys: (.*)$/);
  if (missing) return `${path}: the answer has no ${missing[1]}`;
  if (mismatch.type === "BodyMismatch" && mismatch.expected !== undefined && mismatch.actual !== undefined) {
    return `${path}: expected ${unquote(mismatch.expected)}, got ${unquote(mismatch.actual)}`;
  }
  if (mismatch.type === "HeaderMismatch") return `header ${mismatch.path ?? ""}: ${mismatch.mismatch ?? ""}`.trim();
  return `${mismatch.path ? `${mismatch.path}: ` : ""}${mismatch.mismatch ?? mismatch.message ?? JSON.stringify(mismatch)}`;
}

/** What came back, read from the mismatches: the status, then the error code or duplicate/success. */
function gotOf(mismatches: PactMismatch[], expected: { status: number; what: string } | undefined): string {
  const status = mismatches.find((m) => m.type === "StatusMismatch")?.actual ?? expected?.status;
  const code = mismatches.find((m) => m.path === "$.error.code")?.actual;
  const keys = mismatches.find((m) => m.path === "$" && typeof m.actual === "string" && m.actual.startsWith("["))?.actual as string | undefined;
  let what: string | undefined;
  if (code !== undefined) what = unquote(code);
  else if (keys?.includes('"duplicate"')) what = "duplicate";
  else if (keys?.includes('"error"')) what = "an error answer";
  else if (keys?.includes('"result"')) what = "success";
  else if (status === expected?.status) what = expected?.what;
  return [status, what].filter((part) => part !== undefined).join(" ");
}

function parseDuration(text: string | undefined): number | undefined {
  const match = text?.match(/^(\d+(?:\.\d+)?)(ms|s)$/);
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === "s" ? 1000 : 1);
}

/**
 * Options for {@link buildReport}: who was verified, and how (for the hints).
 *
 * @example
 * ```ts
 * const context: ReportContext = { provider: "dobbletap", baseUrl, statesUrl, secretEnv: "WEBHOOK_SECRET" };
 * ```
 */
export interface ReportContext {
  provider: string;
  baseUrl: string;
  statesUrl?: string;
  /** The environment variable the key was read from, for the wrong-key hint. */
  secretEnv?: string;
  /**
   * State changes that failed during the run, by state name. Pact replays an interaction even when
   * its state could not be set up, so these are folded in here: such an interaction fails.
   */
  stateFailures?: ReadonlyMap<string, string>;
}

/**
 * Turns pact_ffi's JSON result into a {@link VerificationReport}: one outcome per interaction with
 * its differences in plain words, and hints when every interaction failed the same way.
 *
 * @example
 * ```ts
 * const report = buildReport(JSON.parse(json), { provider: "dobbletap", baseUrl });
 * for (const interaction of report.interactions) console.log(interaction.passed ? "✓" : "✗", interaction.description);
 * ```
 */
export function buildReport(json: PactVerifierJson, context: ReportContext): VerificationReport {
  const interactions: InteractionOutcome[] = (json.interactionResults ?? []).map((result) => {
    const description = result.description ?? "(no description)";
    const expected = expectedOf(description);
    const passed = result.result === "Success" || result.result === "Ok" || result.mismatch === undefined;
    const mismatches = result.mismatch?.mismatches ?? [];
    const differences = passed
      ? []
      : mismatches.length > 0
        ? mismatches.map(difference)
        : [result.mismatch?.message ?? "the verifier reported an error with no detail"];
    const expectedText = expected ? `${expected.status} ${expected.what}` : "";
    const states = result.providerStates ?? [];
    const stateErrors = states.flatMap((state) => {
      const message = context.stateFailures?.get(state);
      return message === undefined ? [] : [message];
    });
    if (stateErrors.length > 0) {
      return {
        description,
        consumer: result.consumer ?? "",
        provider: result.provider ?? "",
        states,
        sent: expected?.sent ?? "",
        expected: expectedText,
        got: passed ? expectedText : mismatches.length > 0 ? gotOf(mismatches, expected) : "no answer",
        passed: false,
        pending: result.pending ?? false,
        differences: [...stateErrors, ...differences],
        durationMs: parseDuration(result.duration),
      };
    }
    return {
      description,
      consumer: result.consumer ?? "",
      provider: result.provider ?? "",
      states: result.providerStates ?? [],
      sent: expected?.sent ?? "",
      expected: expectedText,
      got: passed ? expectedText : mismatches.length > 0 ? gotOf(mismatches, expected) : "no answer",
      passed,
      pending: result.pending ?? false,
      differences,
      durationMs: parseDuration(result.duration),
    };
  });
  const failed = interactions.filter((interaction) => !interaction.passed && !interaction.pending);
  return {
    provider: context.provider,
    baseUrl: context.baseUrl,
    passed: failed.length === 0 && (json.result ?? true) !== false,
    interactions,
    hints: hintsFor(interactions, context),
  };
}

function hintsFor(interactions: InteractionOutcome[], context: ReportContext): string[] {
  const hints: string[] = [];
  const failed = interactions.filter((interaction) => !interaction.passed);
  if (failed.length === 0) return hints;
  const expects401 = (interaction: InteractionOutcome) => interaction.expected.startsWith("401");
  const others = interactions.filter((interaction) => !expects401(interaction));
  if (others.length > 1 && others.every((interaction) => !interaction.passed && interaction.got.startsWith("401"))) {
    hints.push(
      `Every interaction was refused with 401: the key does not match the provider's. Set $${context.secretEnv ?? "WEBHOOK_SECRET"} to the secret the provider at ${context.baseUrl} verifies with.`,
    );
  }
  if (context.stateFailures && context.stateFailures.size > 0) {
    hints.push(
      `${context.stateFailures.size} provider state(s) could not be set up (${[...context.stateFailures.keys()].join("; ")}): the message under each interaction is what the states URL answered; fix that state's handler.`,
    );
  }
  const withStates = interactions.filter((interaction) => interaction.states.length > 0 && !expects401(interaction));
  const without = interactions.filter((interaction) => interaction.states.length === 0);
  const stateFailures = failed.filter((interaction) => interaction.differences.some((text) => /state change|provider state/i.test(text)));
  if (
    stateFailures.length > 0 ||
    (withStates.length > 1 && withStates.every((interaction) => !interaction.passed) && without.some((interaction) => interaction.passed))
  ) {
    hints.push(
      context.statesUrl
        ? `Every interaction that needs a provider state failed: the states URL is not wired. Mount createProviderStates at ${context.statesUrl} (enabled on this deployment) or fix --states-url.`
        : "Every interaction that needs a provider state failed, and no --states-url was given: pass the URL where the provider mounts createProviderStates.",
    );
  }
  return hints;
}

/**
 * The report's one-line headline for a failed interaction: "expected 404 CAMPAIGN_NOT_FOUND, got 200 duplicate".
 *
 * @example
 * ```ts
 * report.interactions.filter((i) => !i.passed).forEach((i) => console.log(headline(i)));
 * ```
 */
export function headline(interaction: InteractionOutcome): string {
  // A failure with the expected answer: its provider state could not be set up.
  if (!interaction.expected || interaction.expected === interaction.got) return interaction.differences[0] ?? "failed";
  return `expected ${interaction.expected}, got ${interaction.got}`;
}
