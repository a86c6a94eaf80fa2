// Host key rules: a host the plan pins no key for is contacted only after an admin approves the key it offers.
import type { Finding, LintRule } from "./finding.js";

export const hostKeyRules: LintRule = (plan) => {
  const hosts = [
    { path: "bgp.router", label: `the router ${plan.bgp.router.name}`, ssh: plan.bgp.router.ssh },
    ...plan.nodes.map((n, i) => ({ path: `nodes[${i}]`, label: `node ${n.name}`, ssh: n.ssh })),
  ];
  return hosts
    .filter((h) => !h.ssh.hostKey && !h.ssh.knownHostsFile)
    .map(
      (h): Finding => ({
        id: "host-key-not-pinned",
        severity: "info",
        message: `The plan pins no SSH host key for ${h.label}: the console will not run a command there until an admin approves the key the host offers (its SHA256 fingerprint is shown on the Hosts page), so nobody in between can pose as it.`,
        paths: [`${h.path}.ssh.hostKey`],
        fix: `Approve the offered key on the Hosts page after comparing its fingerprint with \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on the host, or set ${h.path}.ssh.hostKey to the line \`ssh-keyscan -t ed25519 <address>\` prints (or ${h.path}.ssh.knownHostsFile to a known_hosts file holding it).`,
      }),
    );
};
