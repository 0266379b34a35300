/**
 * The secret scan must fire on each kind of credential and stay quiet on stand-ins. Every
 * real-looking value here is built at run time (hashes, base64 of JSON, concatenation), so this file
 * itself never contains one and the scan of the repository stays clean.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { formatFinding, isObviouslyFake, scanText } from "./secret-scan.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** 32 high-entropy bytes, deterministic so that no run can accidentally contain a fake marker. */
function bytesFrom(seed: string, length = 32): Buffer {
  return createHash("sha512").update(seed).digest().subarray(0, length);
}
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = (payload: object) =>
  [b64url({ alg: "HS256", typ: "JWT" }), b64url(payload), bytesFrom("signature").toString("base64url")].join(".");

const WHSEC = "whsec" + "_";
const realWhsec = WHSEC + bytesFrom("webhook secret").toString("base64");
const sbSecret = "sb_" + "secret_" + bytesFrom("sb secret", 24).toString("base64url");
const sbPublishable = "sb_" + "publishable_" + bytesFrom("sb publishable", 24).toString("base64url");
const longOpaqueValue = bytesFrom("service role opaque", 30).toString("base64url");

function rulesIn(text: string) {
  return scanText(text, "fixture.ts").map((finding) => finding.rule);
}

describe("scanText(text, file) fires on each rule", () => {
  it("whsec: a Standard Webhooks secret of 32 random bytes", () => {
    expect(rulesIn(`const secret = "${realWhsec}";`)).toEqual(["whsec"]);
  });

  it("jwt: any token whose header decodes to JSON with alg", () => {
    expect(rulesIn(`Authorization: Bearer ${jwt({ sub: "user-1" })}`)).toEqual(["jwt"]);
  });

  it.each(["anon", "service_role"])("supabase-jwt: a JWT whose payload has role %s", (role) => {
    const findings = scanText(`SUPABASE_KEY=${jwt({ iss: "supabase", role })}`, "x.env");
    expect(findings.map((finding) => finding.rule)).toEqual(["supabase-jwt"]);
    expect(findings[0]!.why).toContain(role);
  });

  it("supabase-key: sb_secret_ and sb_publishable_ keys", () => {
    expect(rulesIn(`key: ${sbSecret}\nother: '${sbPublishable}'`)).toEqual(["supabase-key", "supabase-key"]);
  });

  it.each([
    ["dotenv", `SUPABASE_SERVICE_ROLE_KEY=${longOpaqueValue}`],
    ["shell export", `export SUPABASE_SERVICE_ROLE_KEY="${longOpaqueValue}"`],
    ["YAML", `  service_role_key: ${longOpaqueValue}`],
    ["string literal", `createClient(url, { serviceRoleKey: "${longOpaqueValue}" })`],
  ])("service-role-assign: %s", (_kind, line) => {
    expect(rulesIn(line)).toEqual(["service-role-assign"]);
  });

  it("reports a JWT assigned to a service-role name once, as a Supabase key", () => {
    expect(rulesIn(`SUPABASE_SERVICE_ROLE_KEY=${jwt({ role: "service_role" })}`)).toEqual(["supabase-jwt"]);
  });

  it("reports the right line of a multi-line file", () => {
    const findings = scanText(`line one\nline two\nconst s = "${realWhsec}";\n`, "src/config.ts");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "src/config.ts", line: 3 });
  });
});

describe("scanText(text, file) lets stand-ins pass", () => {
  it.each([
    ["a template", `${WHSEC}<base64>`],
    ["an interpolation", "`" + WHSEC + "${secret}`"],
    ["a FAKE marker", `${WHSEC}FAKEsecretFAKEsecretFAKEsecretFAKE0000000=`],
    ["an EXAMPLE marker", `${WHSEC}${Buffer.from("an EXAMPLE secret, 32 bytes long!").toString("base64")}EXAMPLE`],
    ["xxxx", `${WHSEC}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`],
    ["fewer than 16 bytes", `${WHSEC}${Buffer.from("short").toString("base64")}`],
    ["one repeated character", `${WHSEC}${"A".repeat(43)}=`],
    ["an ellipsis", `${WHSEC}MfKQ9r8G...`],
  ])("whsec: %s", (_kind, value) => {
    expect(rulesIn(`const secret = "${value}";`)).toEqual([]);
  });

  it.each([
    ["a template", `${"sb_" + "secret_"}<your-key>`],
    ["a placeholder", `${"sb_" + "publishable_"}PLACEHOLDER_KEY_0123456789abcdef`],
    ["too short", `${"sb_" + "secret_"}abc`],
  ])("supabase-key: %s", (_kind, value) => {
    expect(rulesIn(value)).toEqual([]);
  });

  it.each([
    `SUPABASE_SERVICE_ROLE_KEY=\${SUPABASE_SERVICE_ROLE_KEY}`,
    `const key = process.env.SUPABASE_SERVICE_ROLE_KEY;`,
    `SUPABASE_SERVICE_ROLE_KEY = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")`,
    `SUPABASE_SERVICE_ROLE_KEY=your-service-role-key-goes-here`,
    `SUPABASE_SERVICE_ROLE_KEY=`,
    `serviceRoleKey: "short"`,
  ])("service-role-assign: %s", (line) => {
    expect(rulesIn(line)).toEqual([]);
  });

  it("dotted names, versions and headers without alg are not JWTs", () => {
    const notJwts = [
      "packages.sdk.src",
      "node_modules.bin.tsx.something.else",
      "1.22.333",
      [b64url({ typ: "JWT", kid: "k1" }), b64url({ role: "anon" }), "sig"].join("."),
    ];
    expect(rulesIn(notJwts.join("\n"))).toEqual([]);
  });

  it("a line marked secret-scan:allow is skipped", () => {
    expect(rulesIn(`const publicByDesign = "${realWhsec}"; // secret-scan:allow documented test vector`)).toEqual([]);
  });

  it("isObviouslyFake(value) follows the documented markers and entropy floor", () => {
    expect(isObviouslyFake("my-Test-key-0123456789")).toBe(true);
    expect(isObviouslyFake("0".repeat(40))).toBe(true);
    expect(isObviouslyFake(longOpaqueValue)).toBe(false);
  });
});

describe("printing findings", () => {
  it("formatFinding never contains the whole value, only a short prefix", () => {
    const cases: Array<[value: string, knownPrefix: string]> = [
      [realWhsec, WHSEC],
      [sbSecret, "sb_" + "secret_"],
      [jwt({ role: "service_role" }), ""],
      [`SERVICE_ROLE_KEY=${longOpaqueValue}`, "SERVICE_ROLE_KEY="],
    ];
    for (const [value, knownPrefix] of cases) {
      const [finding] = scanText(value, "f.txt");
      expect(finding).toBeDefined();
      const printed = formatFinding(finding!);
      expect(printed).toMatch(/^f\.txt:1 {2}[a-z-]+ {2}\S+… {2}\(\d+ chars\)/);
      // At most 8 characters of the secret material are shown (4 past a known prefix, 8 of a JWT's header).
      const material = value.slice(knownPrefix.length);
      for (let start = 0; start + 9 <= material.length; start++) {
        expect(printed).not.toContain(material.slice(start, start + 9));
      }
    }
  });
});

describe("scripts/secret-scan.ts as a command", () => {
  const workdir = mkdtempSync(join(tmpdir(), "secret-scan-"));
  afterAll(() => rmSync(workdir, { recursive: true, force: true }));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: workdir, stdio: "pipe" });
  const run = () =>
    spawnSync(join(repoRoot, "node_modules/.bin/tsx"), [join(repoRoot, "scripts/secret-scan.ts")], {
      cwd: workdir,
      encoding: "utf8",
      timeout: 15_000,
    });

  it("exits 0 on a clean repository, 1 listing tracked and untracked (not ignored) files with secrets", () => {
    git("init", "-q");
    writeFileSync(join(workdir, ".gitignore"), "ignored.env\n");
    writeFileSync(join(workdir, "README.md"), `Set WEBHOOK_SECRET to ${WHSEC}<base64> from generateSecret().\n`);
    git("add", ".");
    const clean = run();
    expect(clean.stdout).toContain("no secrets found");
    expect(clean.status).toBe(0);

    writeFileSync(join(workdir, "config.ts"), `// config\nexport const secret = "${realWhsec}";\n`);
    git("add", "config.ts");
    writeFileSync(join(workdir, "draft.env"), `SUPABASE_SERVICE_ROLE_KEY=${jwt({ role: "service_role" })}\n`);
    writeFileSync(join(workdir, "ignored.env"), `SECRET=${sbSecret}\n`);
    const dirty = run();
    expect(dirty.status).toBe(1);
    expect(dirty.stderr).toContain("config.ts:2  whsec");
    expect(dirty.stderr).toContain("draft.env:1  supabase-jwt");
    expect(dirty.stderr).not.toContain("ignored.env");
    expect(dirty.stderr).not.toContain(realWhsec.slice(0, 16));
    expect(dirty.stderr).not.toContain(jwt({ role: "service_role" }).split(".")[1]);
  });
});
