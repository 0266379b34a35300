/**
 * Reads a previous contract version for `compat --from`: a directory holding `openapi/` (or the
 * `openapi/` folder itself, or an unpacked package), a `.tgz` of the contracts package, or a
 * published version (`1.0.0`, `@dttracker-dobbletap/contracts@1.0.0`, fetched with `npm pack`).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import $RefParser from "@apidevtools/json-schema-ref-parser";
import { parse } from "yaml";
import { sideFiles, type ContractSides, type JsonSchema, type MessageSides } from "./sides.js";

/** A `--from` that names nothing usable; the CLI exits 2 with its message. */
export class CompatUsageError extends Error {
  override name = "CompatUsageError";
}

const packageName = "@dttracker-dobbletap/contracts";

function findOpenapiDir(dir: string): string | undefined {
  for (const candidate of [dir, join(dir, "openapi"), join(dir, "package", "openapi")]) {
    if (existsSync(join(candidate, "json-schema")) && statSync(join(candidate, "json-schema")).isDirectory()) return candidate;
  }
  return undefined;
}

function unpack(tarball: string, into: string): void {
  execFileSync("tar", ["-xzf", tarball, "-C", into], { stdio: "pipe" });
}

/** Where a previous contract's `openapi/` is; `cleanup` removes what was fetched or unpacked. */
export function locateOld(from: string): { dir: string; cleanup: () => void } {
  const path = resolve(from);
  if (existsSync(path) && statSync(path).isDirectory()) {
    const dir = findOpenapiDir(path);
    if (!dir)
      throw new CompatUsageError(
        `${from} holds no openapi/json-schema/ folder: give the directory of a previous openapi/, an unpacked package, a .tgz or a published version.`,
      );
    return { dir, cleanup: () => {} };
  }
  const temp = mkdtempSync(join(tmpdir(), "dobbletap-compat-"));
  const cleanup = () => rmSync(temp, { recursive: true, force: true });
  try {
    if (existsSync(path) && /\.(tgz|tar\.gz)$/.test(path)) {
      unpack(path, temp);
    } else if (/^(@dttracker-dobbletap\/contracts@)?\d+\.\d+\.\d+(-[\w.]+)?$/.test(from)) {
      const spec = from.startsWith("@") ? from : `${packageName}@${from}`;
      const file = execFileSync("npm", ["pack", spec, "--silent", "--pack-destination", temp], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
        .trim()
        .split("\n")
        .pop()!;
      unpack(join(temp, file), temp);
    } else {
      throw new CompatUsageError(`--from ${from}: not a directory, a .tgz, or a version like 1.0.0.`);
    }
    const dir = findOpenapiDir(temp);
    if (!dir) throw new CompatUsageError(`${from} contains no openapi/json-schema/ folder: it is not a contracts package.`);
    return { dir, cleanup };
  } catch (error) {
    cleanup();
    if (error instanceof CompatUsageError) throw error;
    throw new CompatUsageError(`--from ${from} could not be read: ${(error as Error).message.split("\n")[0]}`);
  }
}

async function deref(schema: unknown): Promise<JsonSchema> {
  return (await $RefParser.dereference(structuredClone(schema) as never)) as unknown as JsonSchema;
}

/**
 * The same contract with every `$ref` replaced by what it points to: the direction logic walks
 * both schemas side by side, node by node.
 *
 * @example
 * ```ts
 * const current = await dereferenceSides(currentSides(contractVersion));
 * ```
 */
export async function dereferenceSides(contract: ContractSides): Promise<ContractSides> {
  const pair = async (sides: MessageSides): Promise<MessageSides> => ({ emitted: await deref(sides.emitted), accepted: await deref(sides.accepted) });
  const events: ContractSides["events"] = {};
  for (const [name, event] of Object.entries(contract.events)) {
    events[name] = { request: await pair(event.request), success: await pair(event.success) };
  }
  return { version: contract.version, events, error: await pair(contract.error) };
}

function readJson(path: string): JsonSchema {
  return JSON.parse(readFileSync(path, "utf8")) as JsonSchema;
}

type OpenApi = {
  info?: { version?: string };
  webhooks?: Record<string, { post?: { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> } }>;
};

/**
 * A previous contract's messages. A directory with per-side files (`<event>.request.emitted.schema.json`
 * …) is read as is. A 1.0 directory has one schema per event, `<event>.schema.json`: zod's INPUT
 * form of the envelope (what a receiver accepts). 1.0 had no transforms, so that one schema is
 * both sides; its answers are read from the webhooks of `dobbletap.yaml` and `dttracker.yaml`.
 */
export async function loadSides(openapiDir: string): Promise<ContractSides> {
  const jsonDir = join(openapiDir, "json-schema");
  const files = new Set(readdirSync(jsonDir));
  const documents: OpenApi[] = [];
  for (const party of ["dobbletap", "dttracker"]) {
    const file = join(openapiDir, `${party}.yaml`);
    if (existsSync(file)) documents.push((await deref(parse(readFileSync(file, "utf8")))) as OpenApi);
  }
  const version = documents[0]?.info?.version ?? "unknown";
  const names = [...files].flatMap((file) => /^([a-z_]+)\.schema\.json$/.exec(file)?.[1] ?? []);
  const perSide = (file: (side: keyof MessageSides) => string): MessageSides | undefined =>
    files.has(file("emitted")) && files.has(file("accepted"))
      ? { emitted: readJson(join(jsonDir, file("emitted"))), accepted: readJson(join(jsonDir, file("accepted"))) }
      : undefined;
  const both = (schema: JsonSchema): MessageSides => ({ emitted: schema, accepted: schema });
  const answerOf = (event: string, status: string): JsonSchema | undefined => {
    for (const document of documents) {
      const schema = document.webhooks?.[event]?.post?.responses?.[status]?.content?.["application/json"]?.schema;
      if (schema) return schema as JsonSchema;
    }
    return undefined;
  };

  const events: ContractSides["events"] = {};
  for (const name of names) {
    const request = perSide((side) => sideFiles.request(name, side)) ?? both(readJson(join(jsonDir, `${name}.schema.json`)));
    const successSchema = answerOf(name, "200");
    const success = perSide((side) => sideFiles.success(name, side)) ?? (successSchema ? both(successSchema) : undefined);
    if (!success) throw new CompatUsageError(`${openapiDir} has a schema for ${name} but no success answer for it in its OpenAPI documents.`);
    events[name] = {
      request: { emitted: await deref(request.emitted), accepted: await deref(request.accepted) },
      success: { emitted: await deref(success.emitted), accepted: await deref(success.accepted) },
    };
  }
  const firstEvent = names[0];
  const errorSchema = firstEvent ? (answerOf(firstEvent, "422") ?? answerOf(firstEvent, "400")) : undefined;
  const error = perSide((side) => sideFiles.error(side)) ?? (errorSchema ? both(errorSchema) : undefined);
  if (!error) throw new CompatUsageError(`${openapiDir} describes no error answer.`);
  if (names.length === 0) throw new CompatUsageError(`${jsonDir} holds no <event>.schema.json.`);
  return { version, events, error: { emitted: await deref(error.emitted), accepted: await deref(error.accepted) } };
}
