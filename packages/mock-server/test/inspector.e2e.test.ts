// The inspector at /__mock/ driven in headless Chromium as a developer uses it: a delivery sent with
// the SDK appears live (Server-Sent Events, no reload), its detail opens, a replay with the same id
// gets the duplicate answer, Accept changes the DTTracker mock's state, and an injected fault makes
// the next delivery fail. Every step waits for the page to change, with a bound: a page that does
// not update fails the test. Set UPDATE_SCREENSHOTS=1 to rewrite the README's screenshots.
import { mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { events } from "@dttracker-dobbletap/contracts";
import { startMockServer, type RunningMockServer } from "@dttracker-dobbletap/mock-server";
import { createDobbletapClient, generateSecret } from "@dttracker-dobbletap/sdk";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const secret = generateSecret();
const offer = events.offer_sent.example.data.offer;
const once = { attempts: 1, initialDelayMs: 10, maxDelayMs: 10, totalTimeoutMs: 5_000 };
const shots = fileURLToPath(new URL("../docs/", import.meta.url));
const WAIT = { timeout: 5_000 };

let dttracker: RunningMockServer;
let dobbletap: RunningMockServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dttracker = await startMockServer({ as: "dttracker", secret });
  dobbletap = await startMockServer({ as: "dobbletap", secret, dttrackerUrl: dttracker.url });
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it with \`apt-get install chromium\` (bash .ci/run does this), or set CHROMIUM_PATH.`);
  }
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  await page.goto(`${dobbletap.origin}/__mock/`);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([dobbletap?.close(), dttracker?.close()]);
});

async function screenshot(name: string) {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  mkdirSync(shots, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, name) });
}

describe("the inspector page at /__mock/", () => {
  it("GET /__mock/ serves the page to a browser and JSON to a script", async () => {
    expect(await page.title()).toBe("Mock Dobbletap · inspector");
    const json = await fetch(`${dobbletap.origin}/__mock/`);
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(((await json.json()) as { as: string }).as).toBe("dobbletap");
  });

  it("shows an offer delivered with the SDK live, and its detail", async () => {
    const client = createDobbletapClient({ baseUrl: dobbletap.url, secret, retry: once });
    const sent = await client.offerSent({ offer });
    expect(sent.success).toBe(true);
    const row = page.locator("#log tr", { hasText: "offer_sent" }).first();
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain("200");
    await row.click();
    await page.locator("#request-body", { hasText: offer.id }).waitFor(WAIT);
    expect(await page.locator("[data-testid=signature]").textContent()).toBe("verified");
    expect(await page.locator("#answer-body").textContent()).toContain('"status": "offered"');
    // The state panel follows the delivery: the offer is listed, with its buttons.
    await page.locator("[data-testid=offers] tr", { hasText: offer.id }).waitFor(WAIT);
    await screenshot("inspector-detail.png");
  });

  it("Replay (same id) shows the duplicate answer; Replay (new id) is a fresh delivery", async () => {
    const rowsBefore = await page.locator("#log tr").count();
    await page.click("#replay-same");
    await page.locator("#replay-answer", { hasText: '"duplicate": true' }).waitFor(WAIT);
    await expect.poll(() => page.locator("#log tr").count(), WAIT).toBe(rowsBefore + 1);
    await page.locator("#log tr").first().locator("td", { hasText: "(duplicate)" }).waitFor(WAIT);
    const sameId = /\(id ([0-9a-f-]{36})\)/.exec((await page.locator("#replay-answer").textContent()) ?? "")?.[1];
    expect(sameId).toBeDefined();
    await page.click("#replay-new");
    // A fresh delivery id (the offer itself is the same record, so the rules still call it a duplicate).
    await page.locator("#replay-answer", { hasNotText: sameId! }).waitFor(WAIT);
    expect(await page.locator("#replay-answer").textContent()).toMatch(/← 200 \(id [0-9a-f-]{36}\)/);
    await expect.poll(() => page.locator("#log tr").count(), WAIT).toBe(rowsBefore + 2);
  });

  it("Accept sends offer_accepted to DTTracker: its mock's state changes and the out delivery is listed", async () => {
    const known = events.offer_accepted.example.data.offerId;
    expect(dttracker.state.offers.get(known)?.status).toBe("offered");
    // The offer the SDK delivered is the contract example's, which DTTracker's demo seed holds too.
    expect(offer.id).toBe(known);
    await page.locator("[data-testid=offers] tr", { hasText: offer.id }).getByRole("button", { name: "Accept" }).click();
    await page.locator("#msg", { hasText: "accepted" }).waitFor(WAIT);
    expect(dttracker.state.offers.get(known)?.status).toBe("accepted");
    await page.locator("#log tr", { hasText: "→ out" }).filter({ hasText: "offer_accepted" }).waitFor(WAIT);
    await page.locator("[data-testid=offer-status]", { hasText: "accepted" }).waitFor(WAIT);
    await screenshot("inspector-accepted.png");
  });

  it("an injected fault makes the next delivery fail, on the page too", async () => {
    await page.fill("#f-status", "503");
    await page.fill("#f-count", "1");
    await page.click("#f-set");
    await page.locator("#fault", { hasText: "503" }).waitFor(WAIT);
    const client = createDobbletapClient({ baseUrl: dobbletap.url, secret, retry: once });
    const failed = await client.campaignCreated(events.campaign_created.example.data);
    expect(failed.success).toBe(false);
    const row = page.locator("#log tr", { hasText: "fault: status" }).first();
    await row.waitFor(WAIT);
    expect(await row.locator("td").nth(2).textContent()).toBe("503");
    await page.locator("#fault", { hasText: "none" }).waitFor(WAIT);
    await screenshot("inspector-fault.png");
  });

  it("a large state is shown a page at a time: Next page lists the offers the first page did not", async () => {
    const ids = Array.from({ length: 250 }, () => dobbletap.state.putOffer({ ...offer, id: crypto.randomUUID() }).id);
    await page.reload();
    // The first page: brand, campaign and creator, then the first 197 offers (200 records).
    await expect.poll(() => page.locator("[data-testid=offers] tr").count(), WAIT).toBe(197);
    expect(await page.locator("[data-testid=offers]").textContent()).toContain(ids[0]);
    await page.click("#state-next");
    await page.locator("[data-testid=offers] tr", { hasText: ids[249]! }).waitFor(WAIT);
    expect(await page.locator("[data-testid=offers]").textContent()).not.toContain(ids[0]);
    await page.click("#state-first");
    await page.locator("[data-testid=offers] tr", { hasText: ids[0]! }).waitFor(WAIT);
  });

  it("Reset clears the list and the state goes back to the seed", async () => {
    await page.click("#reset");
    await expect.poll(() => page.locator("#log tr").count(), WAIT).toBe(0);
    await expect.poll(() => page.locator("[data-testid=offers]").count(), WAIT).toBe(0);
  });
});
