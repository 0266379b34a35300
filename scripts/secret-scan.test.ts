/**
 * `pnpm scan:secrets` is secretlint (`secretlint "**\/*"`) with .secretlintrc.json: the recommended
 * preset plus this integration's rules as patterns (@secretlint/secretlint-rule-pattern):
 *
 *   jwt                  a JWT: three base64url segments, the header's JSON has "alg". No fake
 *                        exemption (header and payload are readable by anyone): write `<anon-key>`.
 *   supabase-jwt         a JWT whose payload has "role":"anon" or "service_role" (Supabase's legacy keys).
 *   supabase-key         `sb_secret_…` / `sb_publishable_…` with 16 or more key characters.
 *   whsec / whsk         a Standard Webhooks secret (`whsec_`, 16 bytes or more) or v1a secret key (`whsk_`).
 *   service-role-assign  a literal of 20 or more characters assigned to a name containing
 *                        "service_role" (dotenv, shell, YAML or a string literal); a reference
 *                        (`$VAR`, `process.env…`, `Deno.env…`) is fine.
 *
 * The last four pass when the value is obviously fake: a marker (FAKE, EXAMPLE, TEST, DUMMY,
 * PLACEHOLDER, REDACTED, CHANGEME, YOUR, SAMPLE, NOTREAL, xxxx, `...`), a template (`whsec_<base64>`,
 * `${secret}`) or fewer than 10 distinct characters. A line that must hold a value public by design
 * says `// secretlint-disable-line` with the reason. Secretlint reads every file .gitignore does not
 * ignore, tracked or not, dot files included, and masks each value it prints.
 *
 * Each kind is planted in a scratch folder and must be reported; each stand-in must pass. Every
 * real-looking value here is built at run time (hashes, base64 of JSON, concatenation), so this file
 * never contains one and the repository's own scan stays clean.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const secretlint = join(repoRoot, "node_modules/.bin/secretlint");
const config = join(repoRoot, ".secretlintrc.json");

/** High-entropy bytes, deterministic so that no run can accidentally contain a fake marker. */
function bytesFrom(seed: string, length = 32): Buffer {
  return createHash("sha512").update(seed).digest().subarray(0, length);
}
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = (payload: object, header: object = { alg: "HS256", typ: "JWT" }) =>
  [b64url(header), b64url(payload), bytesFrom("signature").toString("base64url")].join(".");

// Prefixes split in two, so this file holds none of them whole.
const WHSEC = "whsec" + "_";
const WHSK = "whsk" + "_";
const SB_SECRET = "sb_" + "secret_";
const SB_PUBLISHABLE = "sb_" + "publishable_";
const realWhsec = WHSEC + bytesFrom("webhook secret").toString("base64");
const realWhsk = WHSK + bytesFrom("ed25519 seed").toString("base64");
const sbSecret = SB_SECRET + bytesFrom("sb secret", 24).toString("base64url");
const sbPublishable = SB_PUBLISHABLE + bytesFrom("sb publishable", 24).toString("base64url");
const longOpaqueValue = bytesFrom("service role opaque", 30).toString("base64url");

interface Finding {
  file: string;
  line: number;
  rule: string;
}

/** Writes `files` into a fresh folder and scans it as `pnpm scan:secrets` does; the rule of each finding. */
async function scan(files: Record<string, string>, flags: string[] = ["--format", "json", "--no-maskSecrets"]) {
  const folder = mkdtempSync(join(tmpdir(), "secret-scan-"));
  try {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(folder, file)), { recursive: true });
      writeFileSync(join(folder, file), text);
    }
    const { status, stdout, stderr } = await run(secretlint, ["--secretlintrc", config, ...flags, "**/*"], { cwd: folder }).then(
      ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    return { status, stdout, stderr, folder };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function findingsOf(stdout: string, folder: string): Finding[] {
  const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ message: string; loc: { start: { line: number } } }> }>;
  return results.flatMap(({ filePath, messages }) =>
    messages.map(({ message, loc }) => ({
      file: filePath.slice(folder.length + 1),
      line: loc.start.line,
      // Pattern findings read "found matching <rule> (why): <value>"; the preset's name their rule in brackets.
      rule: /found matching ([\w-]+)/.exec(message)?.[1] ?? message,
    })),
  );
}

const fires: Record<string, [text: string, rules: string[]]> = {
  "whsec.ts": [`const secret = "${realWhsec}";`, ["whsec"]],
  "whsk.ts": [`const key = "${realWhsk}";`, ["whsk"]],
  "jwt.txt": [`Authorization: Bearer ${jwt({ sub: "user-1" })}`, ["jwt"]],
  "jwt-alg-later.txt": [`token: ${jwt({ sub: "user-1" }, { typ: "JWT", kid: "k1", alg: "ES256" })}`, ["jwt"]],
  "anon.env": [`SUPABASE_KEY=${jwt({ iss: "supabase", role: "anon" })}`, ["supabase-jwt"]],
  "service-role-jwt.env": [`SUPABASE_SERVICE_ROLE_KEY=${jwt({ iss: "supabase", role: "service_role" })}`, ["supabase-jwt"]],
  "sb-keys.yaml": [`key: ${sbSecret}\nother: '${sbPublishable}'`, ["supabase-key", "supabase-key"]],
  ".env": [`SUPABASE_SERVICE_ROLE_KEY=${longOpaqueValue}`, ["service-role-assign"]],
  "export.sh": [`export SUPABASE_SERVICE_ROLE_KEY="${longOpaqueValue}"`, ["service-role-assign"]],
  "config.yaml": [`supabase:\n  service_role_key: ${longOpaqueValue}`, ["service-role-assign"]],
  "client.ts": [`createClient(url, { serviceRoleKey: "${longOpaqueValue}" })`, ["service-role-assign"]],
  "nested/.hidden/line-three.ts": [`line one\nline two\nconst s = "${realWhsec}";\n`, ["whsec"]],
};

const passes: Record<string, string> = {
  "whsec-template.md": `Set WEBHOOK_SECRET to ${WHSEC}<base64> from generateSecret().`,
  "whsec-interpolation.ts": `const s = \`${WHSEC}\${secret}\`;`,
  "whsec-fake.ts": `const s = "${WHSEC}FAKEsecretFAKEsecretFAKEsecretFAKE0000000=";`,
  "whsec-example.ts": `const s = "${WHSEC}${Buffer.from("an EXAMPLE secret, 32 bytes long!").toString("base64")}EXAMPLE";`,
  "whsec-xxxx.ts": `const s = "${WHSEC}${"x".repeat(42)}";`,
  "whsec-short.ts": `const s = "${WHSEC}${Buffer.from("short").toString("base64")}";`,
  "whsec-repeated.ts": `const s = "${WHSEC}${"A".repeat(43)}=";`,
  "whsec-few-characters.ts": `const s = "${WHSEC}${"abcdefgh".repeat(6)}";`,
  "whsec-ellipsis.md": `${WHSEC}MfKQ9r8G...`,
  "sb-template.md": `${SB_SECRET}<your-key>`,
  "sb-placeholder.md": `${SB_PUBLISHABLE}PLACEHOLDER_KEY_0123456789abcdef`,
  "sb-short.md": `${SB_SECRET}abc`,
  "role-reference.env": `SUPABASE_SERVICE_ROLE_KEY=\${SUPABASE_SERVICE_ROLE_KEY}`,
  "role-process-env.ts": "const key = process.env.SUPABASE_SERVICE_ROLE_KEY;",
  "role-deno-env.ts": `const SUPABASE_SERVICE_ROLE_KEY = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY");`,
  "role-your.env": "SUPABASE_SERVICE_ROLE_KEY=your-service-role-key-goes-here",
  "role-empty.env": "SUPABASE_SERVICE_ROLE_KEY=",
  "role-short.ts": `const options = { serviceRoleKey: "short" };`,
  "dotted.txt": [
    "packages.sdk.src",
    "node_modules.bin.tsx.something.else",
    "1.22.333",
    [b64url({ typ: "JWT", kid: "k1" }), b64url({ role: "anon" }), "sig"].join("."),
  ].join("\n"),
  // secretlint ignores the comment on a last line with no line break; files end with one.
  "disabled-line.ts": `const publicByDesign = "${realWhsec}"; // secretlint-disable-line -- a documented test vector\n`,
};

describe("the secret scan (secretlint with .secretlintrc.json)", () => {
  let fired: Finding[] = [];
  let passed: Finding[] = [];
  beforeAll(async () => {
    const found = await scan(Object.fromEntries(Object.entries(fires).map(([file, [text]]) => [file, text])));
    expect(found.status, found.stderr).toBe(1);
    fired = findingsOf(found.stdout, found.folder);
    const clean = await scan(passes);
    passed = findingsOf(clean.stdout, clean.folder);
  }, 60_000);

  it.each(Object.entries(fires))("reports %s", (file, [, rules]) => {
    expect(fired.filter((finding) => finding.file === file).map((finding) => finding.rule)).toEqual(rules);
  });

  it("reports the line the value is on, in a dot folder too", () => {
    expect(fired.find((finding) => finding.file === "nested/.hidden/line-three.ts")?.line).toBe(3);
  });

  it.each(Object.keys(passes))("lets the stand-in in %s pass", (file) => {
    expect(passed.filter((finding) => finding.file === file)).toEqual([]);
  });
});

describe("scan output", () => {
  const workdir = mkdtempSync(join(tmpdir(), "secret-scan-repo-"));
  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  it("exits 0 on a clean folder, 1 naming the file and line of a secret, never the value, skipping what .gitignore ignores", async () => {
    const clean = await scan({ "README.md": `Set WEBHOOK_SECRET to ${WHSEC}<base64>.\n` }, []);
    expect(clean.status).toBe(0);

    const dirty = await scan(
      {
        ".gitignore": "ignored.env\n",
        "config.ts": `// config\nexport const secret = "${realWhsec}";\n`,
        "draft.env": `SUPABASE_SERVICE_ROLE_KEY=${jwt({ role: "service_role" })}\n`,
        "ignored.env": `SECRET=${sbSecret}\n`,
      },
      ["--no-color"],
    );
    expect(dirty.status).toBe(1);
    expect(dirty.stdout).toMatch(/config\.ts\n\s+2:\d+\s+error/);
    expect(dirty.stdout).toMatch(/draft\.env\n\s+1:\d+\s+error/);
    expect(dirty.stdout).not.toContain("ignored.env");
    for (const value of [realWhsec, jwt({ role: "service_role" })]) {
      // Not even a 9-character run of the secret material is printed.
      const material = value.slice(value.indexOf("_") + 1);
      for (let start = 0; start + 9 <= material.length; start++) expect(dirty.stdout).not.toContain(material.slice(start, start + 9));
    }
  }, 30_000);
});
