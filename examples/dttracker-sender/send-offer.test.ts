/**
 * The idea: the script a DTTracker developer copies must tell the truth about every send. Run it
 * against the mock Dobbletap (the real contract rules, in this process) and check what it reported
 * against what the mock actually holds: the offer sent before its campaign was refused (404
 * CAMPAIGN_NOT_FOUND, synced: false, and nothing was created), and the same event id sent again after
 * the campaign arrived created exactly one offer of ₦75,000 in status `offered`.
 */
import { startMockServer, type RunningMockServer } from "@dttracker-dobbletap/mock-server";
import { generateSecret } from "@dttracker-dobbletap/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSendOfferFlow, WICKHED7_DOBBLETAP_ID, type SendOfferFlowReport } from "./send-offer.js";

let mock: RunningMockServer;
let report: SendOfferFlowReport;
const lines: string[] = [];
const secret = generateSecret();

beforeAll(async () => {
  mock = await startMockServer({ as: "dobbletap", port: 0, secret });
  report = await runSendOfferFlow({ baseUrl: mock.url, secret, log: (line) => lines.push(line) });
});

afterAll(async () => {
  await mock?.close();
});

describe("runSendOfferFlow({ baseUrl, secret }) against the mock Dobbletap", () => {
  it("reports the offer sent before its campaign as 404 CAMPAIGN_NOT_FOUND, not synced, not queued", () => {
    expect(report.offerBeforeCampaign.status).toBe(404);
    expect(report.offerBeforeCampaign.success).toBe(false);
    expect(report.offerBeforeCampaign.syncStatus).toMatchObject({
      synced: false,
      retryQueued: false,
      error: { code: "CAMPAIGN_NOT_FOUND" },
    });
  });

  it("reports campaign_created as synced, naming the campaign it created", () => {
    expect(report.campaignCreated.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
    // v1.1: result.id is Dobbletap's own record id for the campaign, not DTTracker's campaign id.
    const stored = mock.state.campaigns.get(report.campaignId);
    expect(report.campaignCreated.result).toEqual({ type: "campaign", id: stored?.recordId, status: "active" });
    expect(stored?.recordId).not.toBe(report.campaignId);
  });

  it("resends the offer with the same event id and reports it synced, status offered", () => {
    expect(report.offerResent.eventId).toBe(report.offerBeforeCampaign.eventId);
    expect(report.offerResent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
    expect(report.offerResent.result).toEqual({ type: "offer", id: mock.state.offers.get(report.offerId)?.recordId, status: "offered" });
    // Failures are not remembered, so this is the first success for the id: not a duplicate.
    expect(report.offerResent.duplicate).toBe(false);
  });

  it("leaves exactly one ₦75,000 offer in the mock's state, for wickhed7, in status offered", () => {
    expect(mock.state.campaigns.get(report.campaignId)?.status).toBe("active");
    const offers = [...mock.state.offers.values()].filter((offer) => offer.campaignId === report.campaignId);
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({
      id: report.offerId,
      creatorId: WICKHED7_DOBBLETAP_ID,
      amount: { currency: "NGN", amountMinor: 7_500_000 },
      status: "offered",
    });
    expect(offers[0]?.message).toBeTruthy();
  });

  it("prints each syncStatus, and never the secret", () => {
    const printed = lines.join("\n");
    expect(printed).toMatch(/HTTP 404 syncStatus \{"synced":false,"error":\{"code":"CAMPAIGN_NOT_FOUND"/);
    expect(printed).toMatch(/HTTP 200 syncStatus \{"synced":true,"error":null,"retryQueued":false\}/);
    expect(printed).not.toContain(secret);
  });
});
