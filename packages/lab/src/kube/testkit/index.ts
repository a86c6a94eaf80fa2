// Test scaffolding for the lab Kubernetes API (not a test file itself).
export * from "./certs.js";
export * from "./cluster.js";
export * from "./tools.js";
