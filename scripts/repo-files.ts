import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The files git would commit under `root`, relative to it: tracked plus untracked-but-not-ignored,
 * so a check sees a new file before its first commit; a tracked file deleted from the working tree is
 * not listed. Pathspecs narrow the list (`"*.ts"`).
 */
export function repoFiles(root: string, ...pathspecs: string[]): string[] {
  const output = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ...pathspecs], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(output.split("\0").filter(Boolean))].filter((file) => existsSync(join(root, file))).sort();
}
