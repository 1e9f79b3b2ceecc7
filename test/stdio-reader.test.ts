import * as assert from "node:assert/strict";
import { test } from "node:test";
import { contentLength, FrameSplitter } from "../server/src/lsp/stdio-reader";

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const hover = '{"jsonrpc":"2.0","id":7,"method":"textDocument/hover"}';

function split(chunks: string[], deliver?: (m: unknown) => void) {
  const got: unknown[] = [];
  const dropped: string[] = [];
  const s = new FrameSplitter(deliver ?? ((m) => got.push(m)), (why) => dropped.push(why));
  for (const c of chunks) s.push(Buffer.from(c));
  return { got, dropped };
}

test("a header is valid only with well-formed lines and a Content-Length of digits up to 64 MB", () => {
  assert.equal(contentLength("Content-Length: 12"), 12);
  assert.equal(contentLength("content-length:12\r\nContent-Type: application/vscode-jsonrpc"), 12);
  assert.equal(contentLength("Content-Type: x"), undefined);
  assert.equal(contentLength("Content-Length: abc"), undefined);
  assert.equal(contentLength("Content-Length: -5"), undefined);
  assert.equal(contentLength("Content-Length: 1000000000000"), undefined);
  assert.equal(contentLength('{"a":1}\nContent-Length: 3'), undefined);
});

test("after any garbled frame the next well-formed message is read", () => {
  const header = "a header without a valid Content-Length";
  const cases: Array<[string, string[]]> = [
    ["Content-Type: x\r\n\r\n{}", [header]],
    ["Content-Length: abc\r\n\r\n{}", [header]],
    ["Content-Length: -5\r\n\r\n{}", [header]],
    // five bytes of body are not JSON; the rest of it is garbage before the next header
    ['Content-Length: 5\r\n\r\n{"jsonrpc":"2.0","method":"x"}', ["a message body that is not JSON", header]],
    ['{"jsonrpc":"2.0","id":1,"method":"x"}\n', [header]],
    ["Content-Length: 1000000000000\r\n\r\n{}", [header]],
  ];
  for (const [garbage, why] of cases) {
    const { got, dropped } = split([garbage, frame(hover)]);
    assert.deepEqual(got, [JSON.parse(hover)], garbage);
    assert.deepEqual(dropped, why, garbage);
  }
});

test("messages split anywhere across chunks arrive whole, in order", () => {
  const text = frame(hover) + frame('{"jsonrpc":"2.0","method":"initialized","params":{"é":1}}');
  const chunks = [...Buffer.from(text)].map((b) => String.fromCharCode(b));
  const got: unknown[] = [];
  const s = new FrameSplitter(
    (m) => got.push(m),
    () => assert.fail("nothing is dropped"),
  );
  for (const c of chunks) s.push(Buffer.from([c.charCodeAt(0)]));
  assert.deepEqual(got, [JSON.parse(hover), { jsonrpc: "2.0", method: "initialized", params: { é: 1 } }]);
});

test("a cancel without an id is dropped, and a message that throws does not hold back the next", () => {
  const cancel = (params: string) => frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":${params}}`);
  const got: unknown[] = [];
  const { dropped } = split([cancel("null") + cancel('{"id":null}') + cancel('{"id":3}') + frame(hover)], (m) => {
    if ((m as { id?: number }).id === 7 && got.length === 1) throw new Error("boom");
    got.push(m);
  });
  assert.deepEqual(dropped, [
    "a $/cancelRequest without a request id",
    "a $/cancelRequest without a request id",
    "a message that failed: boom",
  ]);
  assert.deepEqual(got, [{ jsonrpc: "2.0", method: "$/cancelRequest", params: { id: 3 } }]);
});
