/**
 * Every TSDoc `@example` in packages/*\/src compiles: each is its own module, strict, with the names
 * it uses from the packages' public entry points (or, for an internal helper, from the module it
 * documents) and the stand-ins of test/support/tsdoc-examples.ts. One test per documented file, so a
 * failure names the file, the line and the TypeScript error. Mutated examples prove the check fails
 * for a wrong type and for an unknown name, which the stand-ins must not swallow.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { allExamples, compileExamples, examplesIn, type ExampleResult, type TsdocExample } from "./support/tsdoc-examples.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const examples = allExamples(root);
const files = [...new Set(examples.map((example) => example.file))];

const mutants: TsdocExample[] = [
  // Runs (types are stripped) but does not compile: a boolean where a number is declared.
  { file: "packages/sdk/src/index.ts", line: 1, code: "const sent = await dobbletap.offerSent(data);\nconst x: number = sent.syncStatus.synced;" },
  // A typo is not a stand-in.
  { file: "packages/sdk/src/index.ts", line: 1, code: "await dobletap.offerSent(data);" },
  // A public name used without its import is found in the public entry point.
  { file: "packages/contracts/src/index.ts", line: 1, code: "const name: number = events.offer_sent.name;" },
];

let results: ExampleResult[] = [];
beforeAll(() => {
  results = compileExamples(root, [...examples, ...mutants]);
}, 120_000);

describe("every @example in packages/*/src compiles", () => {
  it("finds the examples (over a hundred today)", () => {
    expect(examples.length).toBeGreaterThan(100);
  });

  it.each(files)("%s", (file) => {
    const errors = results.filter((result) => result.example.file === file && !mutants.includes(result.example)).flatMap((result) => result.errors);
    expect(errors).toEqual([]);
  });
});

describe("the check fails for what it should", () => {
  const errorsOf = (mutant: TsdocExample) => results.find((result) => result.example === mutant)!.errors;

  it("a wrong type, at the example's line", () => {
    expect(errorsOf(mutants[0]!)).toEqual([
      expect.stringMatching(/^packages\/sdk\/src\/index\.ts:2: TS2322 Type 'boolean' is not assignable to type 'number'/),
    ]);
  });

  it("an unknown name", () => {
    expect(errorsOf(mutants[1]!)).toEqual([expect.stringMatching(/TS(2304|2552) Cannot find name 'dobletap'/)]);
  });

  it("a misuse of a public name the example did not import", () => {
    expect(errorsOf(mutants[2]!)).toEqual([expect.stringMatching(/TS2322 Type 'string' is not assignable to type 'number'|TS2339/)]);
  });
});

describe("examplesIn(file, text)", () => {
  it("takes each @example of a TSDoc comment, fenced or not, with its code's first line", () => {
    const text = [
      "/**",
      " * Adds.",
      " * @example",
      " * ```ts",
      " * add(1, 2);",
      " * ```",
      " * @example",
      " * add(3, 4);",
      " * @returns the sum",
      " */",
      "export function add(a: number, b: number) { return a + b; }",
      "// @example not in a TSDoc comment",
    ].join("\n");
    expect(examplesIn("x.ts", text)).toEqual([
      { file: "x.ts", line: 5, code: "add(1, 2);\n" },
      { file: "x.ts", line: 8, code: "add(3, 4);" },
    ]);
  });
});
