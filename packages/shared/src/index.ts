// Public surface of @k3s-ha/shared: runs in the browser and in Node (no node: imports).

export * from "./commands/ids.js";
export * from "./net/ip.js";
export * from "./plan/lint/finding.js";
export * from "./plan/lint/index.js";
export * from "./plan/path.js";
export * from "./plan/ranges.js";
export * from "./plan/schema.js";
export * from "./plan/validate.js";
export * from "./protocol/api.js";
export * from "./protocol/ws.js";
