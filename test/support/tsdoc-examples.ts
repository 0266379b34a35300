/**
 * Extracts the `@example` code of every TSDoc comment in packages/*\/src and compiles each one as
 * its own module in one TypeScript program (strict, the repository's compiler options), so an
 * example that no longer compiles fails a test. An example may use, without importing them, the
 * public exports of the three packages (resolved through their package.json `exports`, as a user
 * imports them; an example's own package wins a name two export) and the exports of the module it
 * documents (which win: an internal helper's example is about that helper): the import lines are
 * added for the names it uses and does not declare. Names it neither declares nor could import come from {@link EXAMPLE_GLOBALS}: the stand-ins
 * (a client, a request, some data) an example is written against.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { repoFiles } from "../../scripts/repo-files.js";

/** One `@example` block: where it is and its code. */
export interface TsdocExample {
  /** The documented file, relative to the repository root. */
  file: string;
  /** The 1-based line, in the documented file, of the example's first line of code. */
  line: number;
  code: string;
}

/** Every `@example` in one file's TSDoc comments, with ```ts fences unwrapped. */
export function examplesIn(file: string, text: string): TsdocExample[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const comments = new Map<number, string>();
  const visit = (node: ts.Node) => {
    for (const doc of ts.getJSDocCommentsAndTags(node)) {
      if (ts.isJSDoc(doc)) comments.set(doc.pos, doc.getText(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const examples: TsdocExample[] = [];
  for (const [pos, comment] of comments) {
    const lines = comment
      .replace(/^\/\*\*/, "")
      .replace(/\*\/$/, "")
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""));
    const first = source.getLineAndCharacterOfPosition(pos).line;
    for (let index = 0; index < lines.length; index++) {
      if (!/^@example\b/.test(lines[index]!.trim())) continue;
      let end = index + 1;
      while (end < lines.length && !/^@\w/.test(lines[end]!.trim())) end++;
      const body = lines.slice(index + 1, end).join("\n");
      const fences = [...body.matchAll(/^```(?:ts|typescript)?\n([\s\S]*?)^```/gm)];
      const code = fences.length > 0 ? fences.map((match) => match[1]!).join("\n") : body;
      // The code's first line: the line after the tag, or after the first fence's opening line.
      const skipped = fences.length > 0 ? body.slice(0, fences[0]!.index).split("\n").length : 0;
      if (code.trim() !== "") examples.push({ file, line: first + index + 2 + skipped, code });
    }
  }
  return examples;
}

/** Every `@example` under packages/*\/src, tests excluded. */
export function allExamples(root: string): TsdocExample[] {
  // A pathspec `*` spans folders: this is every .ts file under each src/.
  return repoFiles(root, "packages/*/src/*.ts")
    .filter((file) => !/\.test(-d)?\.ts$/.test(file))
    .flatMap((file) => examplesIn(file, readFileSync(join(root, file), "utf8")));
}

/**
 * What an example may use without declaring it: the values it is written against. The API objects
 * are typed by the packages' public types, so a misuse of what they return still fails to compile.
 */
const TYPED_STAND_INS = `
  const dobbletap: ReturnType<typeof sdk.createDobbletapClient>;
  const dttracker: ReturnType<typeof sdk.createDttrackerClient>;
  const client: ReturnType<typeof sdk.createDobbletapClient>;
  const sent: Awaited<ReturnType<ReturnType<typeof sdk.createDobbletapClient>["offerSent"]>>;
  const outbox: ReturnType<typeof postgres.createOutbox>;
  const dispatcher: ReturnType<typeof postgres.createDispatcher>;
  const tx: postgres.Queryable;
  const report: pact.VerificationReport;
  const handle: (request: Request) => Promise<Response>;
  const error: unknown;
  const request: Request;
  const req: import("node:http").IncomingMessage;
  const response: Response;
  const res: import("node:http").ServerResponse;
  const secret: string;
  const secrets: string[];
  const baseUrl: string;
  const url: string;
  const statesUrl: string;
  const providerBaseUrl: string;
  const bearerToken: string;
  const headers: Record<string, string>;
  const rawBody: string;
  const text: string;
  const bytes: Uint8Array;
  const rawBytes: Uint8Array;
  const id: string;
  const eventId: string;
  const offerEventId: string;
  const campaignId: string;
  const creatorId: string;
  const offerId: string;
  const brandId: string;
  const offer: contracts.Offer;
  const previous: { eventId: string };
  const writeFileSync: typeof import("node:fs").writeFileSync;
  const createServer: typeof import("node:http").createServer;
  const PactV4: typeof import("@pact-foundation/pact").PactV4;
  const Verifier: typeof import("@pact-foundation/pact").Verifier;
  const Deno: { serve(handler: (request: Request) => Response | Promise<Response>): unknown; env: { get(name: string): string | undefined } };
`;

/**
 * Stand-ins whose type the example does not depend on (a driver, a store, some input data, a helper
 * of another module):
 * \`any\`. A name in neither list fails to compile, as a typo in an example should.
 */
const UNTYPED_STAND_INS = [
  "data",
  "body",
  "method",
  "pool",
  "pg",
  "postgres",
  "ky",
  "supabase",
  "offer_sent",
  "offer_accepted",
  "offer_declined",
  "send",
  "scrub",
  "sameContent",
  "toRequest",
  "loadSides",
  "deliver",
  "result",
  "store",
  "offers",
  "campaigns",
  "creators",
  "campaign",
  "creator",
  "handlers",
  "envelope",
  "db",
  "returned",
  "options",
  "policy",
  "hooks",
  "init",
  "transport",
  "verifier",
  "receiver",
  "log",
  "work",
  "target",
  "amount",
  "expected",
  "json",
  "answerText",
  "delivery",
  "context",
  "app",
  "dedupStore",
  "pactUrls",
  "dir",
  "currentSides",
  "state",
  "entry",
  "mock",
  "listener",
  "input",
  "params",
  "changes",
];

/** Exported names that examples use as plain variables (contracts' zod helper `text`, a body's text). */
const NEVER_IMPORTED = new Set(["text"]);

/** The global declarations every example is compiled with. */
export const EXAMPLE_GLOBALS = `
import type * as sdk from "@dttracker-dobbletap/sdk";
import type * as postgres from "@dttracker-dobbletap/sdk/postgres";
import type * as contracts from "@dttracker-dobbletap/contracts";
import type * as pact from "@dttracker-dobbletap/contracts/pact";
declare global {${TYPED_STAND_INS}${UNTYPED_STAND_INS.map((name) => `  const ${name}: any;\n`).join("")}}
export {};
`;

const PACKAGES = ["contracts", "sdk", "mock-server"];

/** A compiled example's errors, each `file:line: TSnnnn message` pointing into the documented file. */
export interface ExampleResult {
  example: TsdocExample;
  errors: string[];
}

/** Compiles every example (and any `extra` ones) in one program rooted at `root`. */
export function compileExamples(root: string, examples: TsdocExample[]): ExampleResult[] {
  const base = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.base.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  // Examples are fragments: unused names are fine, and the added imports may name types.
  const options: ts.CompilerOptions = {
    ...base.options,
    verbatimModuleSyntax: false,
    isolatedModules: false,
    noUnusedLocals: false,
    noUnusedParameters: false,
    noEmit: true,
    skipLibCheck: true,
  };
  const folder = join(root, "test", ".tsdoc-examples");
  const globalsFile = join(folder, "globals.ts");
  const entryFiles = PACKAGES.flatMap((name) => publicEntries(root, name));

  // First pass: what each public entry and each documented module exports.
  const exportsProgram = ts.createProgram([...entryFiles.map((entry) => entry.file), ...new Set(examples.map((example) => join(root, example.file)))], options);
  const checker = exportsProgram.getTypeChecker();
  const exportsOf = (file: string) => {
    const source = exportsProgram.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    return symbol ? checker.getExportsOfModule(symbol).map((each) => each.name) : [];
  };
  const publicNames = entryFiles.map((entry) => ({ ...entry, names: new Set(exportsOf(entry.file)) }));

  const virtual = new Map<string, string>([[globalsFile, EXAMPLE_GLOBALS]]);
  const offsets = new Map<string, number>();
  const placed = examples.map((example, index) => {
    const file = join(folder, `${example.file.replaceAll("/", "__")}-${example.line}-${index}.ts`);
    const own = join(root, example.file);
    const packageName = example.file.split("/")[1]!;
    const declared = declaredNames(example.code);
    const imports = new Map<string, string[]>();
    for (const name of usedNames(example.code)) {
      const ownExport = exportsOf(own).includes(name);
      if (declared.has(name) || (NEVER_IMPORTED.has(name) && !ownExport)) continue;
      // The documented module first (its example is about it), then its package, then the others.
      const entry = publicNames.find((each) => each.packageName === packageName && each.names.has(name)) ?? publicNames.find((each) => each.names.has(name));
      const specifier = ownExport ? relativeSpecifier(file, own) : entry?.specifier;
      if (specifier) imports.set(specifier, [...(imports.get(specifier) ?? []), name]);
    }
    const header = [...imports].map(([specifier, names]) => `import { ${names.join(", ")} } from "${specifier}";`);
    // An example may be a function's body (it returns): its statements then run inside one.
    const { imports: ownImports, rest, returns } = splitExample(example.code);
    const code = returns ? `${ownImports}async function example() {\n${rest}\n}` : example.code;
    const lineOffset = returns ? -1 : 0; // the wrapper adds one line before the example's own
    // One line of header, so an error's line in the example is its line in the file minus one.
    virtual.set(file, `${header.join(" ")}\n${code}\nexport {};\n`);
    offsets.set(file, lineOffset);
    return { example, file };
  });

  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (path) => virtual.has(path) || fileExists.call(host, path);
  host.readFile = (path) => virtual.get(path) ?? readFile.call(host, path);
  host.getSourceFile = (path, language, onError, create) => {
    const text = virtual.get(path);
    return text === undefined ? getSourceFile.call(host, path, language, onError, create) : ts.createSourceFile(path, text, language, true);
  };
  const program = ts.createProgram([globalsFile, ...placed.map((each) => each.file)], { ...options, moduleDetection: ts.ModuleDetectionKind.Force }, host);
  const globalErrors = ts.getPreEmitDiagnostics(program, program.getSourceFile(globalsFile)).map(describe);
  return placed.map(({ example, file }) => ({
    example,
    errors: [
      ...globalErrors,
      ...ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((diagnostic) => {
        // Line 0 of the file is the added imports; line 1 is the example's first.
        const line = diagnostic.file ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line : 1;
        return `${example.file}:${example.line + line - 1 + offsets.get(file)!}: TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
      }),
    ],
  }));
}

function describe(diagnostic: ts.Diagnostic): string {
  return `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
}

/** A package's public entry points: its `exports` with a source condition, as `import` specifiers. */
function publicEntries(root: string, packageName: string): Array<{ packageName: string; specifier: string; file: string }> {
  const manifest = JSON.parse(readFileSync(join(root, "packages", packageName, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, string | Record<string, unknown>>;
  };
  return Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    const source = typeof target === "object" ? target["@dttracker-dobbletap/source"] : undefined;
    if (typeof source !== "string" || subpath.includes("*")) return [];
    return [{ packageName, specifier: join(manifest.name, subpath), file: join(root, "packages", packageName, source) }];
  });
}

function relativeSpecifier(from: string, to: string): string {
  const path = relative(dirname(from), to).replace(/\.ts$/, ".js");
  return path.startsWith(".") ? path : `./${path}`;
}

/** An example's import lines, the rest, and whether the rest returns at its top level. */
function splitExample(code: string): { imports: string; rest: string; returns: boolean } {
  const source = ts.createSourceFile("example.ts", code, ts.ScriptTarget.Latest, true);
  // A `return` outside any function: the example is a function's body.
  const returnsOutsideFunctions = (node: ts.Node): boolean =>
    ts.isReturnStatement(node) || (!ts.isFunctionLike(node) && !ts.isClassLike(node) && (ts.forEachChild(node, returnsOutsideFunctions) ?? false));
  const returns = returnsOutsideFunctions(source);
  const lastImport = source.statements.filter(ts.isImportDeclaration).at(-1);
  const cut = lastImport ? lastImport.end : 0;
  return { imports: code.slice(0, cut), rest: code.slice(cut), returns };
}

/** The identifiers an example's code mentions. */
function usedNames(code: string): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile("example.ts", code, ts.ScriptTarget.Latest, true));
  return names;
}

/** The names an example declares or imports at its top level. */
function declaredNames(code: string): Set<string> {
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of ts.createSourceFile("example.ts", code, ts.ScriptTarget.Latest, true).statements) {
    if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    else if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}
