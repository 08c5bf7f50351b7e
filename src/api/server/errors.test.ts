import assert from "node:assert/strict";
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, it } from "node:test";
import { BerthError, type ErrorKind } from "../../lib/errors.js";
import { httpStatusOf, jsonStreamErrorLine, writeError } from "./errors.js";

describe("httpStatusOf", () => {
  it("httpStatusOf maps every error kind once", () => {
    const table: [ErrorKind, number][] = [
      ["invalid-argument", 400],
      ["unauthorized", 401],
      ["permission-denied", 403],
      ["not-found", 404],
      ["conflict", 409],
      ["failed-precondition", 409],
      ["not-modified", 304],
      ["unavailable", 503],
      ["not-implemented", 501],
      ["internal", 500],
    ];
    for (const [kind, status] of table) assert.equal(httpStatusOf(new BerthError(kind, "x")), status, kind);
  });

  it("httpStatusOf treats foreign errors and non-errors as 500", () => {
    assert.equal(httpStatusOf(new Error("boom")), 500);
    assert.equal(httpStatusOf("boom"), 500);
    assert.equal(httpStatusOf(undefined), 500);
  });
});

/** A ServerResponse whose bytes land in a string. */
function capture(): { res: ServerResponse; out: () => string } {
  const req = new IncomingMessage(new Socket());
  req.method = "GET";
  const res = new ServerResponse(req);
  let data = "";
  const sink = new Socket();
  sink.write = ((chunk: string | Buffer, ...rest: unknown[]) => {
    data += chunk.toString();
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof sink.write;
  res.assignSocket(sink);
  return { res, out: () => data };
}

describe("writeError", () => {
  it("writeError writes Docker's {message} body with the mapped status", () => {
    const { res, out } = capture();
    writeError(res, new BerthError("not-found", "No such image: x"));
    const text = out();
    assert.match(text, /^HTTP\/1\.1 404 Not Found\r\n/);
    assert.match(text, /Content-Type: application\/json\r\n/);
    assert.ok(text.endsWith('{"message":"No such image: x"}\n'));
  });

  it("writeError sends no body for 304", () => {
    const { res, out } = capture();
    writeError(res, new BerthError("not-modified", "container already started"));
    assert.match(out(), /^HTTP\/1\.1 304 Not Modified\r\n/);
    assert.ok(!out().includes("message"));
  });

  it("jsonStreamErrorLine is Docker's in-band error message", () => {
    assert.equal(
      jsonStreamErrorLine(new BerthError("internal", "layer broke")),
      '{"errorDetail":{"message":"layer broke"},"error":"layer broke"}\n',
    );
  });
});
