import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { errorCodeList, errorCodes } from "../errors.js";
import { eventNames, events } from "../events/index.js";
import { contractVersion } from "../version.js";
import { wireRules } from "../wire-rules.js";
import { renderContractDoc } from "./contract-doc.js";

const committed = join(resolve(dirname(fileURLToPath(import.meta.url)), "../../../.."), "docs", "contract.md");

describe("docs/contract.md", () => {
  it("is what the code renders today (run `pnpm docs:contract` after changing the contract)", async () => {
    expect(readFileSync(committed, "utf8")).toBe(await renderContractDoc());
  });

  it("states the version, every event with its own example, every error code with its status, and the wire rules", async () => {
    const doc = await renderContractDoc();
    expect(doc).toContain(`version ${contractVersion}`);
    for (const name of eventNames) {
      expect(doc).toContain(`### \`${name}\``);
      expect(doc).toContain(JSON.stringify(events[name].example, null, 2));
    }
    for (const code of errorCodeList) expect(doc).toContain(`| \`${code}\` | ${errorCodes[code].status} |`);
    expect(doc).toContain(`more than ${wireRules.signatureToleranceSeconds} seconds`);
    expect(doc).toContain(`at least ${wireRules.dedupRetentionDays} days`);
    // v1.1's rules as the schemas say them, not as prose typed twice
    expect(doc).toMatch(/`data\.creators` \| array of object \| required; 1–100 items/);
    expect(doc).toMatch(/`data\.changes\.brief` \| string \| optional; `null` clears it/);
    expect(doc).toMatch(/`data\.offer\.amount\.currency` \| one of \d+ codes/);
  });
});
