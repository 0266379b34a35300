import { headline, type VerificationReport } from "./report.js";

/**
 * The report as a table for people: one line per interaction (✓/✗, the states, what was sent, what
 * came back), then each failure's differences in plain words, then the hints. ANSI colours only
 * when `color` is true (the CLI passes `process.stdout.isTTY`).
 *
 * @example
 * ```ts
 * console.log(renderTable(report, { color: process.stdout.isTTY === true }));
 * ```
 */
export function renderTable(report: VerificationReport, options: { color: boolean }): string {
  const paint = (code: number, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  for (const interaction of report.interactions) {
    const mark = interaction.passed ? paint(32, "✓") : interaction.pending ? paint(33, "…") : paint(31, "✗");
    const states = interaction.states.length > 0 ? ` [given ${interaction.states.join(", ")}]` : "";
    const sent = interaction.sent ? ` — sent ${interaction.sent}` : "";
    lines.push(`${mark} ${interaction.description}${states}${sent} → ${interaction.got || "?"}${interaction.pending ? " (pending)" : ""}`);
  }
  const failed = report.interactions.filter((interaction) => !interaction.passed);
  if (failed.length > 0) {
    lines.push("", paint(1, "What differs:"));
    for (const interaction of failed) {
      lines.push(`✗ ${interaction.description}: ${headline(interaction)}`);
      for (const text of interaction.differences) lines.push(`    ${text}`);
    }
  }
  for (const hint of report.hints) lines.push("", `${paint(33, "hint:")} ${hint}`);
  const passedCount = report.interactions.length - failed.length;
  lines.push(
    "",
    report.passed
      ? paint(32, `${report.provider} at ${report.baseUrl}: all ${report.interactions.length} interactions pass.`)
      : paint(31, `${report.provider} at ${report.baseUrl}: ${failed.length} of ${report.interactions.length} interactions fail (${passedCount} pass).`),
  );
  return lines.join("\n");
}

// XML 1.0 cannot carry most control characters at all, escaped or not.
const xml = (text: string) =>
  text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

/**
 * The report as JUnit XML: one `<testsuite>` per pact, one `<testcase>` per interaction, a
 * `<failure>` with the differences for each that failed (a pending one is `<skipped>`).
 *
 * @example
 * ```ts
 * writeFileSync("pact-results.xml", renderJunit(report));
 * ```
 */
export function renderJunit(report: VerificationReport): string {
  const suites = new Map<string, typeof report.interactions>();
  for (const interaction of report.interactions) {
    const name = `${interaction.consumer} → ${interaction.provider}`;
    suites.set(name, [...(suites.get(name) ?? []), interaction]);
  }
  const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
  const body = [...suites].map(([name, cases]) => {
    const failures = cases.filter((c) => !c.passed && !c.pending).length;
    const skipped = cases.filter((c) => !c.passed && c.pending).length;
    const total = cases.reduce((sum, c) => sum + (c.durationMs ?? 0), 0);
    const testcases = cases.map((c) => {
      const open = `    <testcase classname="${xml(name)}" name="${xml(c.description)}" time="${seconds(c.durationMs)}"`;
      if (c.passed) return `${open}/>`;
      if (c.pending) return `${open}>\n      <skipped message="${xml(`pending: ${headline(c)}`)}"/>\n    </testcase>`;
      return `${open}>\n      <failure message="${xml(headline(c))}" type="ContractMismatch">${xml(c.differences.join("\n"))}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(total)}">\n${testcases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="dttracker-dobbletap-verify ${xml(report.provider)}">\n${body.join("\n")}\n</testsuites>\n`;
}
