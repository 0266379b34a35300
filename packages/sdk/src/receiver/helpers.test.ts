// The receiver's small pieces: media-type parsing, the bearer comparison and the capped body reader.
import { describe, expect, it } from "vitest";
import { bearerMatches, expectedBearer } from "./bearer.js";
import { isJsonContentType } from "./content-type.js";
import { readCappedBody } from "./read-body.js";

describe("isJsonContentType", () => {
  it.each([
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["APPLICATION/JSON;CHARSET=UTF8", true],
    ['application/json; charset="utf-8"', true],
    ["application/json; foo=bar", true],
    ["application/json; charset=utf-16", false],
    ["application/jsonp", false],
    ["text/json", false],
    ["", false],
    [null, false],
  ] as const)("isJsonContentType(%j) is %s", (value, expected) => {
    expect(isJsonContentType(value)).toBe(expected);
  });
});

describe("bearerMatches", () => {
  const expected = expectedBearer("test-token-1234");
  it.each([
    ["Bearer test-token-1234", true],
    ["bearer test-token-1234", true],
    ["Bearer test-token-1234 ", true],
    ["Bearer test-token-123", false],
    ["Bearer test-token-12345", false],
    ["Basic test-token-1234", false],
    ["test-token-1234", false],
    [null, false],
  ] as const)("bearerMatches(%j) is %s", (header, result) => {
    expect(bearerMatches(header, expected)).toBe(result);
  });

  it("expectedBearer('') refuses an empty token", () => {
    expect(() => expectedBearer("")).toThrow(TypeError);
  });
});

describe("readCappedBody", () => {
  const streamOf = (...chunks: Uint8Array[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });

  it("readCappedBody(stream, limit) returns a single chunk as is, without a copy", async () => {
    const chunk = new Uint8Array([1, 2, 3]);
    expect(await readCappedBody(streamOf(chunk), 10)).toBe(chunk);
  });

  it("readCappedBody(stream, limit) joins chunks and accepts exactly the limit", async () => {
    expect(await readCappedBody(streamOf(new Uint8Array([1, 2]), new Uint8Array([3])), 3)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("readCappedBody(stream, limit) returns undefined past the limit", async () => {
    expect(await readCappedBody(streamOf(new Uint8Array([1, 2]), new Uint8Array([3, 4])), 3)).toBeUndefined();
  });

  it("readCappedBody(null, limit) is an empty body", async () => {
    expect(await readCappedBody(null, 3)).toEqual(new Uint8Array(0));
  });

  it("readCappedBody(stream of strings, limit) throws", async () => {
    const stream = new ReadableStream({ start: (controller) => controller.enqueue("text" as never) }) as ReadableStream<Uint8Array>;
    await expect(readCappedBody(stream, 10)).rejects.toThrow(TypeError);
  });
});
