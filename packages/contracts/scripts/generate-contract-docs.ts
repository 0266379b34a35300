/**
 * Writes `docs/contract.md` from the code.
 *   pnpm docs:contract           regenerate
 *   pnpm docs:contract --check   fail when the committed file differs from a fresh rendering
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderContractDoc } from "../src/docs/contract-doc.js";

const file = join(resolve(dirname(fileURLToPath(import.meta.url)), "../../.."), "docs", "contract.md");
const content = await renderContractDoc();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {}
  if (current !== content) {
    console.error("docs/contract.md is out of date with the code: run `pnpm docs:contract` and commit the result.");
    process.exit(1);
  }
  console.log("docs/contract.md is current.");
} else {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  console.log(`wrote ${file}`);
}
