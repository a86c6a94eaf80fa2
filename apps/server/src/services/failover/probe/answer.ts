// An HTTP/1.1 answer read off a kept-alive connection, as a client's HTTP stack frames it: the status line and
// headers, then the body to its end (Content-Length, chunked, or the connection's close), so that the next request
// on the connection starts clean. Fed latin1 text, where a character is a byte. Interim 1xx answers are skipped.

export interface Answer {
  status: number;
  /** Whether the connection may carry the next request (HTTP/1.1 without `Connection: close`, body framed). */
  keepAlive: boolean;
}

export class AnswerError extends Error {}

const MAX_HEAD = 16 * 1024;
const STATUS = /^HTTP\/1\.([01]) (\d{3})(?: |$)/;

type Body =
  | { kind: "length"; left: number }
  | { kind: "chunked"; state: "size" | "data" | "data-end" | "trailer"; left: number }
  | { kind: "until-close" };

export class AnswerReader {
  private buf = "";
  private head?: { status: number; keepAlive: boolean };
  private body?: Body;

  /** More bytes of the answer: the answer once it is complete, else undefined. Throws AnswerError on a bad answer. */
  push(chunk: string): Answer | undefined {
    this.buf += chunk;
    for (;;) {
      if (!this.head) {
        const end = this.buf.indexOf("\r\n\r\n");
        if (end < 0) {
          if (this.buf.length > MAX_HEAD) throw new AnswerError("the answer's headers exceed 16 KiB");
          return undefined;
        }
        const lines = this.buf.slice(0, end).split("\r\n");
        this.buf = this.buf.slice(end + 4);
        if (this.readHead(lines)) continue; // an interim 1xx: the real answer follows
      }
      return this.readBody();
    }
  }

  /** The connection closed: the answer if its body ran to the close, else undefined (it was cut short). */
  end(): Answer | undefined {
    if (this.head && this.body?.kind === "until-close") return { status: this.head.status, keepAlive: false };
    return undefined;
  }

  /** Returns true for an interim answer (skipped). */
  private readHead(lines: string[]): boolean {
    const m = STATUS.exec(lines[0] ?? "");
    if (!m) throw new AnswerError(`not an HTTP answer: ${JSON.stringify((lines[0] ?? "").slice(0, 40))}`);
    const status = Number(m[2]);
    if (status >= 100 && status < 200 && status !== 101) return true;
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon <= 0)
        throw new AnswerError(`a header line without a name: ${JSON.stringify(line.slice(0, 40))}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    const connection = (headers.get("connection") ?? "").toLowerCase();
    let keepAlive = m[1] === "1" ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
    const encoding = (headers.get("transfer-encoding") ?? "").toLowerCase();
    const length = headers.get("content-length");
    if (status === 204 || status === 304) this.body = { kind: "length", left: 0 };
    else if (/\bchunked\s*$/.test(encoding)) this.body = { kind: "chunked", state: "size", left: 0 };
    else if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length))
        throw new AnswerError(`a Content-Length that is not a number: ${length}`);
      this.body = { kind: "length", left: Number(length) };
    } else {
      this.body = { kind: "until-close" };
      keepAlive = false;
    }
    this.head = { status, keepAlive };
    return false;
  }

  private readBody(): Answer | undefined {
    const head = this.head as { status: number; keepAlive: boolean };
    const body = this.body as Body;
    if (body.kind === "until-close") {
      this.buf = "";
      return undefined;
    }
    if (body.kind === "length") {
      const take = Math.min(body.left, this.buf.length);
      body.left -= take;
      this.buf = this.buf.slice(take);
      if (body.left > 0) return undefined;
      return this.complete(head);
    }
    for (;;) {
      if (body.state === "data") {
        const take = Math.min(body.left, this.buf.length);
        body.left -= take;
        this.buf = this.buf.slice(take);
        if (body.left > 0) return undefined;
        body.state = "data-end";
      }
      const eol = this.buf.indexOf("\r\n");
      if (eol < 0) {
        if (this.buf.length > MAX_HEAD) throw new AnswerError("a chunk line exceeds 16 KiB");
        return undefined;
      }
      const line = this.buf.slice(0, eol);
      this.buf = this.buf.slice(eol + 2);
      if (body.state === "data-end") {
        if (line !== "") throw new AnswerError("a chunk not followed by its line end");
        body.state = "size";
      } else if (body.state === "size") {
        const size = /^([0-9a-fA-F]{1,12})(?:;.*)?$/.exec(line.trim());
        if (!size) throw new AnswerError(`not a chunk size: ${JSON.stringify(line.slice(0, 20))}`);
        body.left = Number.parseInt(size[1] as string, 16);
        body.state = body.left === 0 ? "trailer" : "data";
      } else if (line === "") return this.complete(head); // the trailer's end
    }
  }

  private complete(head: { status: number; keepAlive: boolean }): Answer {
    // Bytes after the answer that nobody asked for: the connection is not clean, so it is not kept.
    return { status: head.status, keepAlive: head.keepAlive && this.buf.length === 0 };
  }
}
