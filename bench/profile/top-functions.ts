/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, and
 * the share of time under each package (by the script URL). Usage: tsx bench/profile/top-functions.ts FILE [N]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const file = args.find((arg) => arg.endsWith(".cpuprofile"));
const limit = args.find((arg) => /^\d+$/.test(arg)) ?? "25";
if (!file) throw new Error("usage: top-functions.ts FILE.cpuprofile [N]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, index) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

const owner = (url: string) => {
  if (url === "") return "(native/V8)";
  if (url.startsWith("node:")) return "node:internal";
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  const workspace = /packages\/([^/]+)\//.exec(url);
  return workspace ? `@dttracker-dobbletap/${workspace[1]}` : url.replace(/^file:\/\//, "");
};

const functions = new Map<string, number>();
const owners = new Map<string, number>();
for (const [id, time] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const key = `${functionName || "(anonymous)"}  ${owner(url)}${url ? `:${lineNumber + 1}` : ""}`;
  functions.set(key, (functions.get(key) ?? 0) + time);
  owners.set(owner(url), (owners.get(owner(url)) ?? 0) + time);
}
const pct = (time: number) => `${((100 * time) / total).toFixed(1).padStart(5)}%`;
console.log(`self time by owner (total ${(total / 1000).toFixed(0)} ms):`);
for (const [name, time] of [...owners].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${pct(time)}  ${name}`);
console.log(`top ${limit} functions by self time:`);
for (const [name, time] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(limit))) console.log(`  ${pct(time)}  ${name}`);
