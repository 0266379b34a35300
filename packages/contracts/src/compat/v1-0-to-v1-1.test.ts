/**
 * The check's first real test: the 1.0 contract as committed (45126c2) against this package.
 * It must report exactly the changes v1.1 tags as breaking, each with a counterexample that the
 * zod schemas themselves (not the check's own JSON Schema validator) confirm on the new side.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorAnswer } from "../errors.js";
import { events, type EventName } from "../events/index.js";
import { contractVersion } from "../version.js";
import { checkCompat, type CompatReport } from "./check.js";
import { runCompat } from "./cli.js";
import { dereferenceSides, loadSides } from "./load.js";
import { currentSides, type ContractSides } from "./sides.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const v10Commit = "45126c2";
let temp: string;
let old: ContractSides;
let report: CompatReport;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), "compat-v10-"));
  const archive = execFileSync("git", ["archive", v10Commit, "openapi"], { cwd: repo });
  execFileSync("tar", ["-x", "-C", temp], { input: archive });
  old = await loadSides(join(temp, "openapi"));
  report = checkCompat(old, await dereferenceSides(currentSides(contractVersion)));
}, 60_000);
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const ajv = new Ajv2020({ strict: false, validateFormats: false });

describe("compat 1.0 → 1.1", () => {
  it("reads the 1.0 documents as 1.0 and this package as 1.1.0", () => {
    expect(report.from).toBe("1.0.0");
    expect(report.to).toBe("1.1.0");
  });

  it("finds exactly the breaking changes v1.1 tags, each with who breaks and who ships first", () => {
    const found = report.breaking.map((b) => `${b.event} | ${b.message} | ${b.direction} | ${b.path} | ${b.breaks} | ${b.shipFirst}`).sort();
    const currency = (event: string, path: string) => `${event} | request | old sender → new receiver | ${path} | old senders | senders`;
    const nulls = ["brief", "budget", "startsAt", "endsAt"].map(
      (field) => `activation_updated | request | new sender → old receiver | data.changes.${field} | old receivers | receivers`,
    );
    expect(found).toEqual(
      [
        // creators 101–500 refused: breaks old senders
        "creators_synced | request | old sender → new receiver | data.creators | old senders | senders",
        // made-up currency codes: breaks their senders
        currency("campaign_created", "data.campaign.budget.currency"),
        currency("activation_updated", "data.changes.budget.currency"),
        currency("offer_sent", "data.offer.amount.currency"),
        // null clears a field: breaks old receivers, so receivers ship first
        ...nulls,
        // offer_sent's result is offered only: old receivers' accepted/declined/cancelled are refused
        ...["accepted", "declined", "cancelled"].map(
          () => "offer_sent | success answer | old receiver → new sender | result.status | old receivers | receivers",
        ),
        // NOT_FOUND and METHOD_NOT_ALLOWED: old senders do not know them, in error answers and per-creator failures
        ...[1, 2].map(() => "* | error answer | new receiver → old sender | error.code | old senders | senders"),
        ...[1, 2].map(() => "creators_synced | success answer | new receiver → old sender | result.failed.0.error.code | old senders | senders"),
      ].sort(),
    );
    expect(report.breaking.find((b) => b.path === "data.creators")?.rule).toMatch(/101 items.*at most 100/);
    expect(
      report.breaking
        .filter((b) => b.message === "error answer")
        .map((b) => (b.counterexample as ErrorAnswer).error.code)
        .sort(),
    ).toEqual(["METHOD_NOT_ALLOWED", "NOT_FOUND"]);
    expect(report.breaking.some((b) => /occurredAt|updatedAt|startsAt|endsAt|deadline/.test(b.path) && b.rule.includes("pattern"))).toBe(false);
  });

  it("every counterexample passes the old side (1.0 schema) and fails the new side (zod), or the reverse", () => {
    for (const change of report.breaking) {
      const event = change.event as EventName;
      const oldSides = change.message === "error answer" ? old.error : change.message === "request" ? old.events[event]!.request : old.events[event]!.success;
      const newSchema = change.message === "error answer" ? ErrorAnswer : change.message === "request" ? events[event].envelope : events[event].successAnswer;
      const oldEmits = change.direction.startsWith("old");
      const oldVerdict = ajv.validate(oldEmits ? oldSides.emitted : oldSides.accepted, change.counterexample);
      // zod's parse is what a new receiver (requests) or a new sender (answers) runs on what it takes.
      const newVerdict = newSchema.safeParse(change.counterexample).success;
      expect({ change: `${change.event} ${change.path}`, oldVerdict, newVerdict }).toEqual({
        change: `${change.event} ${change.path}`,
        oldVerdict: oldEmits,
        newVerdict: !oldEmits,
      });
    }
  });
});

describe("compat CLI", () => {
  const cli = join(repo, "packages/sdk/src/verify-cli.ts");
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", cli, "compat", ...args], { cwd: repo, encoding: "utf8", timeout: 60_000 });

  it("exits 1 with a JSON report for the 1.0 directory, and prints the rule and counterexample in text", async () => {
    const json = run("--from", join(temp, "openapi"), "--json");
    expect(json.status).toBe(1);
    const parsed = JSON.parse(json.stdout) as CompatReport & { compatible: boolean };
    expect(parsed.compatible).toBe(false);
    expect(parsed.breaking).toHaveLength(report.breaking.length);
    const lines: string[] = [];
    expect(await runCompat(["--from", temp], (text) => lines.push(text))).toBe(1);
    expect(lines.join("\n")).toContain("creators_synced · request · old sender → new receiver — breaks old senders; ship senders first");
    expect(lines.join("\n")).toContain("counterexample: ");
  }, 60_000);

  it("exits 0 against this package's own openapi/ (read through its per-side files) and from a .tgz of the 1.0 one", async () => {
    const out: string[] = [];
    expect(await runCompat(["--from", join(repo, "openapi")], (text) => out.push(text))).toBe(0);
    expect(out.join("")).toContain("compatible");
    const tgz = join(temp, "contracts-1.0.0.tgz");
    execFileSync("tar", ["-czf", tgz, "-C", temp, "openapi"]);
    expect(await runCompat(["--from", tgz, "--json"], () => {})).toBe(1);
  }, 60_000);

  it("exits 2 for bad usage, naming what is wrong", async () => {
    const errors: string[] = [];
    const err = (text: string) => errors.push(text);
    expect(await runCompat([], () => {}, err)).toBe(2);
    expect(await runCompat(["--from", join(temp, "nowhere")], () => {}, err)).toBe(2);
    expect(await runCompat(["--from", `${repo}/packages`], () => {}, err)).toBe(2);
    expect(await runCompat(["--frm", "x"], () => {}, err)).toBe(2);
    expect(errors[0]).toContain("--from is required");
    expect(errors[1]).toContain("not a directory, a .tgz, or a version");
    expect(errors[2]).toContain("no openapi/json-schema/");
    expect(run().status).toBe(2);
  }, 60_000);
});
