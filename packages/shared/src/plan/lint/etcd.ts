// Server count rules: embedded etcd needs a majority of servers, so the number of servers decides what failures it survives.
import type { Plan } from "../schema.js";
import type { Finding, LintRule } from "./finding.js";

export const etcdRules: LintRule = (plan: Plan): Finding[] => {
  const servers = plan.nodes.flatMap((n, i) =>
    n.role === "server" ? [{ name: n.name, path: `nodes[${i}].role` }] : [],
  );
  const count = servers.length;
  const paths = count > 0 ? servers.map((s) => s.path) : ["nodes"];
  if (count === 0) {
    return [
      {
        id: "no-server-nodes",
        severity: "error",
        message:
          "No node has role: server, so nothing runs the API server or etcd: agents have no control plane to join.",
        paths,
        fix: "Set role: server on three nodes (embedded etcd keeps working with one of them down).",
      },
    ];
  }
  if (count === 1) {
    return [
      {
        id: "etcd-single-server",
        severity: "warning",
        message: `Only ${servers[0]?.name} is a server: there is no control-plane high availability — when it is down the API is down, whatever the VIP or DNS round robin does.`,
        paths,
        fix: "Add two more servers (three in total) and start the first one with --cluster-init.",
      },
    ];
  }
  if (count === 2) {
    return [
      {
        id: "etcd-two-servers",
        severity: "error",
        message: `Two servers (${servers.map((s) => s.name).join(", ")}) run embedded etcd, which needs a majority (2 of 2) to accept writes: losing either one stops the control plane, so two servers are less available than one.`,
        paths,
        fix: "Use three servers (tolerates one failure), or one server with the second node as an agent.",
      },
    ];
  }
  if (count % 2 === 0) {
    return [
      {
        id: "etcd-even-servers",
        severity: "warning",
        message: `${count} servers run embedded etcd: a majority is ${count / 2 + 1}, so they tolerate ${count / 2 - 1} failure${count / 2 - 1 === 1 ? "" : "s"} — no more than ${count - 1} servers would, while adding one more member to every write and a way to split evenly in a network partition.`,
        paths,
        fix: `Use ${count - 1} or ${count + 1} servers (k3s recommends an odd number); make the others agents.`,
      },
    ];
  }
  return [];
};
