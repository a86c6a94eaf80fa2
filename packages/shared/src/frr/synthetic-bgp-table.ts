// A synthesised `show bgp ipv6 unicast json` table in FRR 10's shape, for the full-table bench and the large-table tests.

/** One table path as FRR 10 prints it (add-path over a mesh: one best path and two multipaths per prefix). */
function path(i: number, n: number, best: boolean): string {
  const peer = `2001:db8:1162:79fb::1${n}`;
  const net = `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::`;
  return JSON.stringify({
    valid: true,
    ...(best ? { bestpath: true, selectionReason: "Older Path" } : { multipath: true }),
    pathFrom: "external",
    prefix: net,
    prefixLen: 64,
    network: `${net}/64`,
    version: i,
    metric: 0,
    weight: 0,
    peerId: peer,
    path: "65010 64512 64513",
    origin: "IGP",
    nexthops: [
      { ip: peer, hostname: `node0${n}`, afi: "ipv6", scope: "global" },
      { ip: `fe80::1${n}`, hostname: `node0${n}`, afi: "ipv6", scope: "link-local", used: true },
    ],
  });
}

export const syntheticPrefix = (i: number) =>
  `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::/64`;

/** `count` prefixes with three paths each, with FRR 10.3's totals. */
export function syntheticBgpTable(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++)
    parts.push(`"${syntheticPrefix(i)}":[${path(i, 1, true)},${path(i, 2, false)},${path(i, 3, false)}]`);
  return (
    `{"vrfId":0,"vrfName":"default","tableVersion":${count},"routerId":"192.0.2.1","defaultLocPrf":100,` +
    `"localAS":65101,"routes":{${parts.join(",")}},"totalRoutes":${count},"totalPaths":${count * 3}}`
  );
}
