/**
 * The direction logic: can every value an EMITTER's schema allows be taken by an ACCEPTOR's schema?
 * The same walk answers every question of the check; which schema is the emitter decides the
 * direction (old sender → new receiver is `emitterGaps(oldEmitted, newAccepted)`).
 *
 * The walk proposes candidates where the two schemas differ (a bound, an enum, a type, a required
 * key, a pattern); each is a whole payload built from a valid base, and it is only reported once
 * ajv confirms it passes the emitter's schema and fails the acceptor's. A proposal that does not
 * hold is dropped, so a structural difference that changes nothing on the wire reports nothing.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { generateSync } from "json-schema-faker";
import RandExpModule from "randexp";
import type { JsonSchema } from "./sides.js";

// randexp is CommonJS whose `module.exports` is the class; its types describe an ES default export.
const RandExp = RandExpModule as unknown as (typeof RandExpModule)["default"];

/** One value the emitter may send that the acceptor refuses, with the rule that makes it so. */
export interface Gap {
  /** Dotted path from the payload's root, e.g. `data.creators`. */
  path: string;
  /** The rule in plain words. */
  rule: string;
  /** A whole payload: valid for the emitter's schema, refused by the acceptor's. */
  counterexample: unknown;
}

type Schema = JsonSchema & {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  format?: string;
};

type Segment = string | number;
interface Candidate {
  at: Segment[];
  value: unknown;
  remove?: boolean;
  rule: string;
}

const REMOVE = Symbol("remove");

/** Formats are not checked: zod writes a `pattern` beside every `format`, which is the rule on the wire. */
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
const compiled = new WeakMap<object, (value: unknown) => boolean>();
function validator(schema: Schema): (value: unknown) => boolean {
  let check = compiled.get(schema);
  if (!check) {
    const fn = ajv.compile(schema);
    check = (value) => fn(value) as boolean;
    compiled.set(schema, check);
  }
  return check;
}
function accepts(schema: Schema, value: unknown): boolean {
  return validator(schema)(value);
}

/** A deterministic valid sample of `schema`: its example when valid, else json-schema-faker's. */
export function sampleOf(schema: Schema): unknown {
  for (const example of [schema.example, ...((schema.examples as unknown[] | undefined) ?? [])]) {
    if (example !== undefined && accepts(schema, example)) return example;
  }
  for (let seed = 1; seed <= 20; seed++) {
    const value = generateSync(schema as never, { seed, optionalsProbability: 0, useDefaultValue: true });
    if (accepts(schema, value)) return value;
  }
  return generateSync(schema as never, { seed: 1 });
}

function typesOf(schema: Schema): Set<string> | undefined {
  if (schema.const !== undefined) return new Set([jsonType(schema.const)]);
  if (schema.enum) return new Set(schema.enum.map(jsonType));
  if (schema.type === undefined) return undefined;
  const list = Array.isArray(schema.type) ? schema.type : [schema.type];
  return new Set(list);
}
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
function covers(accepted: Set<string>, type: string): boolean {
  return accepted.has(type) || (type === "integer" && accepted.has("number"));
}

function branches(schema: Schema): Schema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

function stringsMatching(pattern: string, seedValue: unknown, count: number): string[] {
  const out = typeof seedValue === "string" ? [seedValue] : [];
  const generator = new RandExp(new RegExp(pattern));
  generator.max = 8;
  let state = 0x2545f491;
  generator.randInt = (from: number, to: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return from + (state % (to - from + 1));
  };
  for (let i = 0; i < count; i++) out.push(generator.gen());
  return out;
}

/** Walks emitter `e` against acceptor `c` at `at`, `sample` being a value `e` allows there. */
function walk(e: Schema, c: Schema, at: Segment[], sample: unknown, out: Candidate[]): void {
  const eBranches = branches(e);
  if (eBranches) {
    for (const branch of eBranches) {
      const value = jsonType(sample) !== "undefined" && accepts(branch, sample) ? sample : sampleOf(branch);
      walk(branch, c, at, value, out);
    }
    return;
  }
  const cBranches = branches(c);
  if (cBranches) {
    const type = jsonType(sample);
    const match =
      cBranches.find((branch) => accepts(branch, sample)) ??
      cBranches.find((branch) => typesOf(branch)?.has(type)) ??
      cBranches.find((branch) => typesOf(branch) === undefined);
    if (match) walk(e, match, at, sample, out);
    else out.push({ at, value: sample, rule: `the type ${type} is refused` });
    return;
  }

  // Types: whatever the emitter may send that the acceptor's types do not include.
  const eTypes = typesOf(e);
  const cTypes = typesOf(c);
  if (cTypes && c.enum === undefined && c.const === undefined) {
    for (const type of eTypes ?? ["string", "number", "boolean", "null", "object", "array"]) {
      if (covers(cTypes, type)) continue;
      const value = type === "null" ? null : jsonType(sample) === type ? sample : sampleOf({ ...e, type });
      out.push({ at, value, rule: `a ${type} is refused (accepted: ${[...cTypes].join(" | ")})` });
    }
  }

  // Listed values.
  const eValues = e.enum ?? (e.const !== undefined ? [e.const] : undefined);
  const cListed = c.enum !== undefined || c.const !== undefined;
  if (eValues) {
    for (const value of eValues) {
      if (!accepts(c, value)) out.push({ at, value, rule: `the value ${show(value)} is refused` });
    }
    return; // a listed value has no further structure to compare
  }
  if (cListed) {
    const allowed = c.enum ?? [c.const];
    const tries = e.pattern ? stringsMatching(e.pattern, sample, 200) : [sample];
    const value = tries.find((candidate) => !allowed.some((a) => a === candidate)) ?? sample;
    out.push({ at, value, rule: `the value ${show(value)} is refused: only ${allowed.length} listed value(s) are accepted` });
    return;
  }

  if (typeof sample === "string" || (eTypes?.has("string") && typeof sample !== "object")) {
    const base = typeof sample === "string" ? sample : String(sampleOf({ ...e, type: "string" }));
    // The same `format` on both sides is the same set of values: a pattern is zod's spelling of it,
    // and OpenAPI documents drop it. Patterns are compared only where the emitter spells one out.
    const sameFormatOnly = e.format !== undefined && e.pattern === undefined && e.format === c.format;
    if (c.pattern && c.pattern !== e.pattern && !sameFormatOnly) {
      const value = (e.pattern ? stringsMatching(e.pattern, base, 200) : [base, "", "x"]).find((candidate) => !new RegExp(c.pattern!, "u").test(candidate));
      if (value !== undefined) out.push({ at, value, rule: `the pattern is narrower: ${show(value)} no longer matches ${c.pattern}` });
    }
    const eMax = e.maxLength ?? Infinity;
    if (c.maxLength !== undefined && eMax > c.maxLength) {
      const value = base.padEnd(c.maxLength + 1, base.slice(-1) || "x");
      out.push({ at, value, rule: `a string of ${c.maxLength + 1} characters is refused (at most ${c.maxLength})` });
    }
    const eMin = e.minLength ?? 0;
    if (c.minLength !== undefined && eMin < c.minLength) {
      out.push({ at, value: base.slice(0, eMin), rule: `a string of ${eMin} characters is refused (at least ${c.minLength})` });
    }
  }

  if (typeof sample === "number") {
    const eMax = e.maximum ?? (e.exclusiveMaximum !== undefined ? e.exclusiveMaximum - 1 : Infinity);
    const cMax = c.maximum ?? (c.exclusiveMaximum !== undefined ? c.exclusiveMaximum - 1 : undefined);
    if (cMax !== undefined && eMax > cMax) {
      const value = Number.isFinite(eMax) ? Math.min(eMax, cMax + 1) : cMax + 1;
      out.push({ at, value, rule: `${value} is refused (at most ${cMax})` });
    }
    const eMin = e.minimum ?? (e.exclusiveMinimum !== undefined ? e.exclusiveMinimum + 1 : -Infinity);
    const cMin = c.minimum ?? (c.exclusiveMinimum !== undefined ? c.exclusiveMinimum + 1 : undefined);
    if (cMin !== undefined && eMin < cMin) {
      const value = Number.isFinite(eMin) ? Math.max(eMin, cMin - 1) : cMin - 1;
      out.push({ at, value, rule: `${value} is refused (at least ${cMin})` });
    }
  }

  if (Array.isArray(sample)) {
    const item = sample[0] ?? (e.items ? sampleOf(e.items) : null);
    const eMax = e.maxItems ?? Infinity;
    if (c.maxItems !== undefined && eMax > c.maxItems) {
      const length = c.maxItems + 1;
      out.push({ at, value: Array.from({ length }, () => item), rule: `an array of ${length} items is refused (at most ${c.maxItems})` });
    }
    const eMin = e.minItems ?? 0;
    if (c.minItems !== undefined && eMin < c.minItems) {
      out.push({ at, value: Array.from({ length: eMin }, () => item), rule: `an array of ${eMin} items is refused (at least ${c.minItems})` });
    }
    if (e.items && c.items) walk(e.items, c.items, [...at, 0], sample.length > 0 ? sample[0] : sampleOf(e.items), out);
  }

  if (sample !== null && typeof sample === "object" && !Array.isArray(sample)) {
    const record = sample as Record<string, unknown>;
    const eRequired = new Set(e.required ?? []);
    for (const key of c.required ?? []) {
      if (!eRequired.has(key)) out.push({ at: [...at, key], value: REMOVE, remove: true, rule: `\`${key}\` is now required; a payload without it is refused` });
    }
    const eProps = e.properties ?? {};
    const cProps = c.properties ?? {};
    for (const [key, eProp] of Object.entries(eProps)) {
      const value = key in record ? record[key] : sampleOf(eProp);
      const cProp = cProps[key];
      if (cProp) walk(eProp, cProp, [...at, key], value, out);
      else if (c.additionalProperties === false) out.push({ at: [...at, key], value, rule: `the property \`${key}\` is refused (unknown to the acceptor)` });
      else if (typeof c.additionalProperties === "object") walk(eProp, c.additionalProperties, [...at, key], value, out);
    }
    if (e.additionalProperties !== false && c.additionalProperties === false) {
      const key = "unlistedProperty";
      out.push({ at: [...at, key], value: "x", rule: "properties the emitter does not list are refused" });
    }
  }
}

function setAt(root: unknown, at: Segment[], value: unknown): unknown {
  if (at.length === 0) return value;
  const [head, ...rest] = at;
  const container = (Array.isArray(root) ? [...root] : { ...((root ?? {}) as Record<string, unknown>) }) as Record<string | number, unknown>;
  if (rest.length === 0 && value === REMOVE) {
    if (Array.isArray(container)) (container as unknown[]).splice(Number(head), 1);
    else delete container[head!];
    return container;
  }
  container[head!] = setAt(container[head!], rest, value);
  return container;
}

/**
 * Every confirmed gap between what `emitted` allows and what `accepted` takes.
 * `base` is a payload valid for `emitted` to build counterexamples from (default: a sample of it).
 *
 * @example
 * ```ts
 * emitterGaps({ type: "array", maxItems: 500 }, { type: "array", maxItems: 100 });
 * // [{ path: "", rule: "an array of 101 items is refused (at most 100)", counterexample: [ … ] }]
 * ```
 */
export function emitterGaps(emitted: JsonSchema, accepted: JsonSchema, base?: unknown): Gap[] {
  const e = emitted as Schema;
  const c = accepted as Schema;
  const start = base !== undefined && accepts(e, base) ? base : sampleOf(e);
  const candidates: Candidate[] = [];
  walk(e, c, [], start, candidates);
  const gaps: Gap[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const payload = setAt(start, candidate.at, candidate.remove ? REMOVE : candidate.value);
    if (!accepts(e, payload) || accepts(c, payload)) continue;
    const path = candidate.at.join(".");
    const key = `${path}\u0000${candidate.rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    gaps.push({ path, rule: candidate.rule, counterexample: payload });
  }
  return gaps;
}
