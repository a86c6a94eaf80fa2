// Plan paths as operators read them in YAML terms: network.apiVip, nodes[1].address.
export type PathSegment = string | number | symbol;

export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out === "" ? "(document)" : out;
}
