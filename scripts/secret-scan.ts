/**
 * Secret scan: fails (exit 1) when the repository holds something that looks like a live credential
 * for this integration. Run from anywhere inside the repo: `pnpm scan:secrets`.
 *
 * WHAT IS SCANNED
 *   Every file git would commit: `git ls-files --cached --others --exclude-standard` (tracked plus
 *   untracked-but-not-ignored, so a secret is caught before its first commit). Binary files (a NUL
 *   byte in the first 8 KiB) and files over 2 MiB are skipped.
 *
 * RULES (the rule id is printed with each finding)
 *   jwt                  Three base64url segments joined by dots whose first segment decodes to a JSON
 *                        object with an "alg" member. There is no "fake" exemption for JWTs: header
 *                        and payload are readable by anyone, and a well-formed token is exactly what
 *                        a gateway checks. Write `<anon-key>` in docs instead.
 *   supabase-jwt         A jwt whose payload has "role": "anon" or "service_role" (Supabase's legacy
 *                        anon and service-role keys; the second bypasses row-level security).
 *   supabase-key         `sb_secret_…` or `sb_publishable_…` (Supabase's current API keys) with at
 *                        least 16 key characters, unless obviously fake.
 *   whsec                A Standard Webhooks signing secret `whsec_<base64>`, unless obviously fake.
 *   service-role-assign  A literal value assigned to a name containing "service_role" (any case,
 *                        `_`/`-`/nothing between the words; e.g. SUPABASE_SERVICE_ROLE_KEY=…,
 *                        serviceRoleKey: "…"), either as a dotenv/shell/YAML line (`NAME=value`,
 *                        `export NAME=value`, `NAME: value`) or as a quoted string literal. Values
 *                        that are references (`$VAR`, `${…}`, `process.env…`, `Deno.env…`,
 *                        `import.meta.env…`, anything containing `(`), shorter than 20 characters,
 *                        or obviously fake are fine.
 *
 * "OBVIOUSLY FAKE" (whsec, supabase-key, service-role-assign), precisely: the value
 *   - contains, case-insensitively, one of the markers FAKE, EXAMPLE, TEST, DUMMY, PLACEHOLDER,
 *     REDACTED, CHANGEME, CHANGE_ME, YOUR, SAMPLE, NOTREAL, or a run of four x's (xxxx), or `...`/`…`;
 *   - or is a template: the characters right after the prefix start with `<`, `{`, `$` or `%`
 *     (`whsec_<base64>`, `whsec_${secret}`), so the captured value is empty or cut short;
 *   - or (whsec) its base64 part decodes to fewer than 16 bytes, the minimum the SDK accepts, so it
 *     cannot be a working secret (e.g. `whsec_c2hvcnQ=`);
 *   - or uses fewer than 10 distinct characters (`whsec_AAAA…`, `sb_secret_0000…`): random keys of
 *     this length use 25-35.
 *   Secrets the tests need are made at run time by generateSecret() and are never committed.
 *
 * ESCAPE HATCH
 *   A line containing `secret-scan:allow` is not reported. Use it only for a value that is public by
 *   design, and say why on the same line.
 *
 * OUTPUT
 *   `file:line  rule  prefix…  (n chars)  why`. A finding never prints the whole value: only a short
 *   prefix (at most 4 characters past the known prefix), enough to find it with your editor.
 *   Exit 0: clean; 1: findings; 2: the scan could not run (e.g. not a git repository).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** One suspicious value in one file. */
export interface Finding {
  file: string;
  line: number;
  rule: RuleId;
  /** A redacted prefix of the value, safe to print. */
  preview: string;
  /** The value's length, so a reviewer can tell a key from a stub without seeing it. */
  length: number;
  why: string;
}

export type RuleId = "jwt" | "supabase-jwt" | "supabase-key" | "whsec" | "service-role-assign";

const FAKE_MARKERS = /fake|example|test|dummy|placeholder|redacted|change_?me|your|sample|notreal|xxxx|\.\.\.|…/i;
const TEMPLATE_START = /^[<{$%]/;
const ALLOW_COMMENT = "secret-scan:allow";
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** True when a value is a marker-bearing or low-entropy stand-in, per the header's definition. */
export function isObviouslyFake(value: string): boolean {
  return FAKE_MARKERS.test(value) || new Set(value).size < 10;
}

/** Shows at most `keep` characters past a known prefix, never the whole value. */
export function redact(value: string, knownPrefix = "", keep = 4): string {
  const visible = Math.min(keep, Math.max(0, Math.floor((value.length - knownPrefix.length) / 4)));
  return `${value.slice(0, knownPrefix.length + visible)}…`;
}

function decodeBase64Url(segment: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  return Buffer.from(segment, "base64url").toString("utf8");
}

function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  const text = decodeBase64Url(segment);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// A JWT header is at least {"alg":"x"} (15 base64url characters); the signature may be empty (alg none).
const JWT_SHAPE = /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{15,})\.([A-Za-z0-9_-]{2,})\.([A-Za-z0-9_-]*)/g;
const WHSEC = /whsec_([A-Za-z0-9+/=_-]*)(.?)/g;
const SUPABASE_KEY = /\bsb_(secret|publishable)_([A-Za-z0-9_-]*)(.?)/g;
const SERVICE_ROLE_NAME = String.raw`[A-Za-z0-9_]*service[_-]?role[A-Za-z0-9_]*`;
const SERVICE_ROLE_LINE = new RegExp(String.raw`^\s*(?:export\s+)?["']?(${SERVICE_ROLE_NAME})["']?\s*[=:]\s*["'\x60]?([^\s"'\x60#,;]*)`, "i");
const SERVICE_ROLE_LITERAL = new RegExp(String.raw`(${SERVICE_ROLE_NAME})["']?\s*[=:]\s*["'\x60]([^"'\x60]*)["'\x60]`, "gi");
const REFERENCE = /^(?:\$|process\.env|Deno\.env|import\.meta\.env|env\.)|\(/;

function jwtFindings(line: string): Array<Omit<Finding, "file" | "line">> {
  const found: Array<Omit<Finding, "file" | "line">> = [];
  for (const match of line.matchAll(JWT_SHAPE)) {
    const [token, header, payload] = match as unknown as [string, string, string];
    const decodedHeader = decodeJsonObject(header);
    if (!decodedHeader || !("alg" in decodedHeader)) continue;
    const role = decodeJsonObject(payload)?.role;
    const supabase = role === "anon" || role === "service_role";
    found.push({
      rule: supabase ? "supabase-jwt" : "jwt",
      preview: redact(token, "", 8),
      length: token.length,
      why: supabase ? `JWT with "role":"${role}" (a Supabase ${role} key)` : `JWT-shaped string (header has "alg")`,
    });
  }
  return found;
}

function whsecFindings(line: string): Array<Omit<Finding, "file" | "line">> {
  const found: Array<Omit<Finding, "file" | "line">> = [];
  for (const match of line.matchAll(WHSEC)) {
    const [whole, encoded, next] = match as unknown as [string, string, string];
    if (encoded === "" && TEMPLATE_START.test(next)) continue;
    if (TEMPLATE_START.test(next) || isObviouslyFake(encoded)) continue;
    const bytes = Buffer.from(encoded.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (bytes.length < 16) continue;
    const value = whole.slice(0, whole.length - next.length);
    found.push({
      rule: "whsec",
      preview: redact(value, "whsec_"),
      length: value.length,
      why: `Standard Webhooks secret (${bytes.length} bytes) not marked as fake`,
    });
  }
  return found;
}

function supabaseKeyFindings(line: string): Array<Omit<Finding, "file" | "line">> {
  const found: Array<Omit<Finding, "file" | "line">> = [];
  for (const match of line.matchAll(SUPABASE_KEY)) {
    const [whole, kind, key, next] = match as unknown as [string, string, string, string];
    if (key.length < 16 || TEMPLATE_START.test(next) || isObviouslyFake(key)) continue;
    const value = whole.slice(0, whole.length - next.length);
    found.push({
      rule: "supabase-key",
      preview: redact(value, `sb_${kind}_`),
      length: value.length,
      why: `Supabase ${kind} API key`,
    });
  }
  return found;
}

function serviceRoleFindings(line: string): Array<Omit<Finding, "file" | "line">> {
  const candidates: Array<[string, string]> = [];
  const assignment = SERVICE_ROLE_LINE.exec(line);
  if (assignment) candidates.push([assignment[1]!, assignment[2]!]);
  for (const match of line.matchAll(SERVICE_ROLE_LITERAL)) candidates.push([match[1]!, match[2]!]);
  const found: Array<Omit<Finding, "file" | "line">> = [];
  const seen = new Set<string>();
  for (const [name, value] of candidates) {
    if (seen.has(value) || value.length < 20 || REFERENCE.test(value) || isObviouslyFake(value)) continue;
    seen.add(value);
    found.push({
      rule: "service-role-assign",
      preview: redact(value, "", 4),
      length: value.length,
      why: `literal value assigned to ${name}`,
    });
  }
  return found;
}

/**
 * Scans one file's text. A value matched by a more specific rule (a Supabase JWT) is reported once,
 * under that rule; a JWT assigned to a service-role name is reported by the JWT rules only.
 */
export function scanText(text: string, file: string): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.includes(ALLOW_COMMENT)) continue;
    const jwts = jwtFindings(line);
    const perLine = [...jwts, ...whsecFindings(line), ...supabaseKeyFindings(line)];
    if (jwts.length === 0) perLine.push(...serviceRoleFindings(line));
    for (const finding of perLine) findings.push({ file, line: index + 1, ...finding });
  }
  return findings;
}

/** The files git would commit, relative to the repository root. */
export function listRepoFiles(root: string): string[] {
  const output = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(output.split("\0").filter(Boolean))];
}

function readTextFile(path: string): string | undefined {
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return undefined;
    size = stats.size;
  } catch {
    return undefined; // tracked but deleted in the working tree
  }
  if (size > MAX_FILE_BYTES) return undefined;
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  return bytes.toString("utf8");
}

/** Scans every committable file under the repository containing `cwd`. */
export function scanRepository(cwd: string = process.cwd()): { files: number; findings: Finding[] } {
  const root = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8" }).trim();
  const files = listRepoFiles(root);
  const findings: Finding[] = [];
  for (const file of files) {
    const text = readTextFile(join(root, file));
    if (text !== undefined) findings.push(...scanText(text, file));
  }
  return { files: files.length, findings };
}

/** `file:line  rule  prefix…  (n chars)  why`: never the whole value. */
export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}  ${finding.rule}  ${finding.preview}  (${finding.length} chars)  ${finding.why}`;
}

function main(): number {
  let result: ReturnType<typeof scanRepository>;
  try {
    result = scanRepository();
  } catch (error) {
    console.error(`secret-scan: could not list the repository's files: ${(error as Error).message}`);
    return 2;
  }
  if (result.findings.length === 0) {
    console.log(`secret-scan: ${result.files} files, no secrets found.`);
    return 0;
  }
  console.error(`secret-scan: ${result.findings.length} possible secret(s) in ${result.files} files:`);
  for (const finding of result.findings) console.error(`  ${formatFinding(finding)}`);
  console.error(
    "Remove them (and rotate any that were real). Mark stand-ins as fake (e.g. whsec_<base64>, FAKE in the value), " +
      "or, for a value public by design, add `secret-scan:allow` with a reason on that line.",
  );
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
