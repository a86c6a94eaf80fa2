// A fixed-order DNS responder on [::1] for tests of how clients dial a name's addresses: BIND (the lab's and the
// tests') rotates or shuffles answers, so "the first address is dead" cannot be arranged with it. Answers AAAA
// queries for the names given, in the order given, with the TTL given; anything else NXDOMAIN. Bounded to test use.
import { createSocket, type Socket } from "node:dgram";
import { parseIp } from "@k3s-ha/shared";

export interface FixedDns {
  port: number;
  queries: number;
  stop(): Promise<void>;
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  while (msg[i] !== 0 && i < msg.length) {
    const len = msg[i] ?? 0;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString());
    i += len + 1;
  }
  return { name: labels.join(".").toLowerCase(), end: i + 1 };
}

function ip6Bytes(address: string): Buffer {
  const ip = parseIp(address);
  if (ip?.family !== 6) throw new Error(`not IPv6: ${address}`);
  const out = Buffer.alloc(16);
  let v = ip.value;
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export async function startFixedDns(records: Record<string, string[]>, ttl = 60): Promise<FixedDns> {
  const socket: Socket = createSocket("udp6");
  const state = { queries: 0 };
  socket.on("message", (msg, rinfo) => {
    if (msg.length < 12) return;
    state.queries++;
    const { name, end } = readName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    const question = msg.subarray(12, end + 4);
    const answers = qtype === 28 ? (records[name.toLowerCase()] ?? []) : [];
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8400 | (records[name] ? 0 : 3), 2); // response, authoritative; NXDOMAIN when unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const rrs = answers.map((a) => {
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // the question's name
      rr.writeUInt16BE(28, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(ttl, 6);
      rr.writeUInt16BE(16, 10);
      return Buffer.concat([rr, ip6Bytes(a)]);
    });
    socket.send(Buffer.concat([header, question, ...rrs]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "::1", resolve));
  return {
    port: socket.address().port,
    get queries() {
      return state.queries;
    },
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
