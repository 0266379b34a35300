/**
 * buildReport turns pact_ffi's JSON into what a person reads. The inputs are shaped as pact_ffi 0.5
 * reports them (interactionResults[].mismatch.mismatches[]), for the failures people hit.
 */
import { describe, expect, it } from "vitest";
import { buildReport, headline, type PactVerifierJson } from "./report.js";
import { renderTable } from "./render.js";

const context = { provider: "dobbletap", baseUrl: "http://127.0.0.1:1/fn", statesUrl: "http://127.0.0.1:1/fn/__pact/states" };
type Result = NonNullable<PactVerifierJson["interactionResults"]>[number];
const ok = (description: string, providerStates: string[] = []): Result => ({
  description,
  providerStates,
  result: "Success",
  consumer: "DTTracker",
  provider: "Dobbletap",
});

describe("buildReport()", () => {
  it("says a duplicate answer to the offer-before-campaign interaction in plain words", () => {
    const report = buildReport(
      {
        result: false,
        interactionResults: [
          {
            description: "offer_sent before its campaign was synced",
            providerStates: ["no campaign exists", "a creator exists"],
            result: "Error",
            mismatch: {
              type: "mismatches",
              mismatches: [
                { type: "StatusMismatch", expected: 404, actual: 200, mismatch: "expected 404 but was 200" },
                {
                  type: "BodyMismatch",
                  path: "$",
                  expected: '["error","success"]',
                  actual: '["duplicate","eventId","result","success"]',
                  mismatch: "Actual map is missing the following keys: error",
                },
                {
                  type: "BodyMismatch",
                  path: "$.success",
                  expected: "false",
                  actual: "true",
                  mismatch: "Expected true (Boolean) to be equal to false (Boolean)",
                },
              ],
            },
          },
        ],
      },
      context,
    );
    const [outcome] = report.interactions;
    expect(report.passed).toBe(false);
    expect(headline(outcome!)).toBe("expected 404 CAMPAIGN_NOT_FOUND, got 200 duplicate");
    // Pact's "Expected <actual> to be equal to <expected>" turned the right way round.
    expect(outcome!.differences).toEqual(["status: expected 404, got 200", "$: the answer has no error", "$.success: expected false, got true"]);
    expect(outcome!.sent).toBe("POST /webhooks/dttracker offer_sent");
  });

  it("hints that the states URL is not wired when every state interaction failed and the others passed", () => {
    const stateFailure = (description: string, state: string): Result => ({
      description,
      providerStates: [state],
      result: "Error",
      mismatch: { type: "error", message: `Provider state change "${state}" (setup) failed at ${context.statesUrl} with HTTP 404: Not found` },
    });
    const report = buildReport(
      {
        result: false,
        interactionResults: [
          stateFailure("campaign_created for a new campaign", "no campaign exists"),
          stateFailure("activation_updated for a synced campaign", "a campaign exists"),
          ok("offer_sent signed with a secret Dobbletap does not hold", ["the request is signed with another secret"]),
        ],
      },
      context,
    );
    expect(report.hints).toEqual([
      `Every interaction that needs a provider state failed: the states URL is not wired. Mount createProviderStates at ${context.statesUrl} (enabled on this deployment) or fix --states-url.`,
    ]);
    expect(report.interactions[0]!.differences[0]).toContain("HTTP 404");
  });

  it("gives no hint, and renders no ANSI, when all passed with color off", () => {
    const report = buildReport({ result: true, interactionResults: [ok("campaign_created for a new campaign", ["no campaign exists"])] }, context);
    expect(report).toMatchObject({ passed: true, hints: [] });
    const table = renderTable(report, { color: false });
    expect(table).toBe(
      "✓ campaign_created for a new campaign [given no campaign exists] — sent POST /webhooks/dttracker campaign_created → 200 success\n\ndobbletap at http://127.0.0.1:1/fn: all 1 interactions pass.",
    );
    expect(renderTable(report, { color: true })).toContain("\u001b[32m");
  });
});
