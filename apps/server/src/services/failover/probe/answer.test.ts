// The kept-alive connection's answer framing: complete only at the body's end however the bytes arrive, the
// connection kept only when the next answer can start clean, and a bad answer named.
import { describe, expect, it } from "vitest";
import { AnswerError, AnswerReader } from "./answer.js";

/** Feeds `text` in pieces of `size` bytes; the answer and the byte at which it completed. */
function feed(text: string, size: number, reader = new AnswerReader()) {
  for (let i = 0; i < text.length; i += size) {
    const answer = reader.push(text.slice(i, i + size));
    if (answer) return { answer, at: Math.min(text.length, i + size) };
  }
  return { answer: undefined, at: text.length, reader };
}

const GO_READYZ =
  "HTTP/1.1 200 OK\r\nAudit-Id: 1\r\nCache-Control: no-cache, private\r\nContent-Type: text/plain; charset=utf-8\r\n" +
  "X-Content-Type-Options: nosniff\r\nDate: Thu, 03 Dec 2026 16:00:00 GMT\r\nContent-Length: 2\r\n\r\nok";
const CHUNKED =
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
  '5;ext=1\r\n{"a":\r\n3\r\n12}\r\n0\r\nX-Trailer: t\r\n\r\n';

describe("an answer on a kept-alive connection", () => {
  it("is complete at the end of a Content-Length body, at any split, and keeps the connection", () => {
    for (const size of [1, 2, 7, 64, 4096]) {
      const r = feed(GO_READYZ, size);
      expect(r.answer, `split ${size}`).toEqual({ status: 200, keepAlive: true });
      expect(r.at).toBe(GO_READYZ.length);
    }
  });

  it("is complete at the last chunk and its trailer, at any split", () => {
    for (const size of [1, 3, 11, 4096]) {
      const r = feed(CHUNKED, size);
      expect(r.answer, `split ${size}`).toEqual({ status: 200, keepAlive: true });
      expect(r.at).toBe(CHUNKED.length);
    }
    // One byte short of the trailer's end: not yet.
    expect(feed(CHUNKED.slice(0, -1), 4096).answer).toBeUndefined();
  });

  it("reports the status of an error answer, body read", () => {
    const body = '{"kind":"Status","code":401}';
    expect(
      feed(`HTTP/1.1 401 Unauthorized\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 5).answer,
    ).toEqual({ status: 401, keepAlive: true });
  });

  it("does not keep a connection the server closes, an HTTP/1.0 one, or one with bytes after the answer", () => {
    expect(feed("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", 4096).answer).toEqual({
      status: 200,
      keepAlive: false,
    });
    expect(feed("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 4096).answer?.keepAlive).toBe(false);
    expect(
      feed("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", 9).answer,
    ).toEqual({
      status: 200,
      keepAlive: true,
    });
    expect(feed(`${GO_READYZ}HTTP/1.1 200 OK\r\n`, 4096).answer).toEqual({ status: 200, keepAlive: false });
  });

  it("reads a body without framing to the connection's close, never keeping it", () => {
    const r = feed("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nok and more", 4);
    expect(r.answer).toBeUndefined();
    expect(r.reader?.end()).toEqual({ status: 200, keepAlive: false });
    // A Content-Length body cut by the close is no answer.
    const cut = feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok", 4096);
    expect(cut.reader?.end()).toBeUndefined();
  });

  it("has no body for 204 and 304, and skips an interim 100", () => {
    expect(feed("HTTP/1.1 204 No Content\r\n\r\n", 4096).answer).toEqual({ status: 204, keepAlive: true });
    expect(feed("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", 4096).answer?.status).toBe(304);
    expect(feed(`HTTP/1.1 100 Continue\r\n\r\n${GO_READYZ}`, 13).answer).toEqual({
      status: 200,
      keepAlive: true,
    });
  });

  it("names what is wrong with a bad answer", () => {
    const bad = (text: string) => () => new AnswerReader().push(text);
    expect(bad("SSH-2.0-OpenSSH_9.2\r\n\r\n")).toThrow(/not an HTTP answer: "SSH-2.0-OpenSSH_9.2"/);
    expect(bad("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n")).toThrow(
      /Content-Length that is not a number/,
    );
    expect(bad("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")).toThrow(/header line without a name/);
    expect(bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")).toThrow(
      /not a chunk size: "zz"/,
    );
    expect(bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n")).toThrow(/line end/);
    expect(bad(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(17_000)}`)).toThrow(AnswerError);
    expect(bad(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(17_000)}`)).toThrow(/16 KiB/);
  });
});
