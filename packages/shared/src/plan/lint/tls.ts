// TLS SAN rules: every name and address clients use for the API must be in k3s's serving certificate.
import { canonicalIp, parseIp } from "../../net/ip.js";
import type { Plan } from "../schema.js";
import type { Finding, LintRule } from "./finding.js";
import { normalizeName } from "./lookup.js";

const DNS_NAME = /^(\*\.)?([a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

// Current k3s adds every configured tls-san name to the shared serving certificate on start and never removes one
// (rancher/dynamiclistener; `k3s certificate rotate` keeps existing SANs too): a rolling restart is enough.
const ROTATE =
  "On a running cluster, restart k3s on every server, one at a time (quorum kept), and check the SANs with a TLS handshake to each server (`openssl s_client`): k3s adds configured names at start; no `k3s certificate rotate` is needed, and it would not remove a name either (that takes deleting the kube-system/k3s-serving secret). The console's guided setup does this as its API server step.";

type San = { kind: "ip"; value: string } | { kind: "name"; value: string } | { kind: "malformed" };

function classify(entry: string): San {
  const ip = canonicalIp(entry);
  if (ip) return { kind: "ip", value: ip };
  if (DNS_NAME.test(entry) && entry.length <= 254) return { kind: "name", value: normalizeName(entry) };
  return { kind: "malformed" };
}

/** True when a certificate with these SANs verifies for `name` (a leading `*.` covers exactly one label). */
function coversName(sans: San[], name: string): boolean {
  const n = normalizeName(name);
  return sans.some(
    (s) =>
      s.kind === "name" &&
      (s.value === n || (s.value.startsWith("*.") && n.slice(n.indexOf(".") + 1) === s.value.slice(2))),
  );
}

function missingSans(plan: Plan): Finding[] {
  const sans = plan.k3s.tlsSan.map(classify);
  const out: Finding[] = [];
  const names: { id: string; path: string; name: string; what: string }[] = [
    {
      id: "tls-san-missing-round-robin-name",
      path: "dns.roundRobinName",
      name: plan.dns.roundRobinName,
      what: "the round-robin name that joining servers, agents and kubeconfigs use",
    },
    {
      id: "tls-san-missing-vip-name",
      path: "dns.vipName",
      name: plan.dns.vipName,
      what: "the name of the API VIP that kubeconfigs use",
    },
  ];
  for (const n of names) {
    if (coversName(sans, n.name)) continue;
    out.push({
      id: n.id,
      severity: "error",
      message: `${n.name} (${n.path}, ${n.what}) is not in k3s.tlsSan: the API server's certificate does not name it, so \`https://${normalizeName(n.name)}:6443\` fails TLS verification (x509: certificate is valid for … not ${normalizeName(n.name)}).`,
      paths: ["k3s.tlsSan", n.path],
      fix: `Add "${normalizeName(n.name)}" to k3s.tlsSan (tls-san in /etc/rancher/k3s/config.yaml on every server). ${ROTATE}`,
    });
  }
  const vip = canonicalIp(plan.network.apiVip);
  if (vip && !sans.some((s) => s.kind === "ip" && s.value === vip)) {
    out.push({
      id: "tls-san-missing-api-vip",
      severity: "error",
      message: `API VIP ${plan.network.apiVip} is not in k3s.tlsSan: clients connecting to https://[${vip}]:6443 get a certificate that does not list the address and fail TLS verification.`,
      paths: ["k3s.tlsSan", "network.apiVip"],
      fix: `Add "${vip}" to k3s.tlsSan (tls-san in /etc/rancher/k3s/config.yaml on every server). ${ROTATE}`,
    });
  }
  return out;
}

/** What the operator probably meant: the host part of a URL, an address without brackets or port. */
function cleanedSan(entry: string): string | null {
  let s = entry.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const bracketed = /^\[([^\]]+)\](:\d+)?(\/.*)?$/.exec(s);
  if (bracketed?.[1]) s = bracketed[1];
  else if (!s.includes("::") && (s.match(/:/g) ?? []).length === 1) s = s.replace(/:\d+(\/.*)?$/, "");
  s = s.replace(/\/.*$/, "");
  const c = classify(s);
  if (c.kind === "malformed" || s === entry) return null;
  return c.kind === "ip" ? c.value : s;
}

function malformedSans(plan: Plan): Finding[] {
  return plan.k3s.tlsSan.flatMap((entry, i): Finding[] => {
    if (classify(entry).kind !== "malformed") return [];
    const cleaned = cleanedSan(entry);
    const range = entry.includes("/") && parseIp(entry.split("/")[0] ?? "") !== null;
    return [
      {
        id: "tls-san-malformed",
        severity: "error",
        message: `k3s.tlsSan[${i}] "${entry}" is neither an IP address nor a DNS name${range ? " (a SAN names one address, not a range)" : ""}: k3s writes it into the certificate as a DNS name that no client connects to, so the address or name you meant is not covered.`,
        paths: [`k3s.tlsSan[${i}]`],
        fix: cleaned
          ? `Write "${cleaned}" instead (no scheme, brackets, port or prefix length).`
          : "Remove the entry or write a plain host name or IP address.",
      },
    ];
  });
}

export const tlsSanRules: LintRule = (plan) => [...missingSans(plan), ...malformedSans(plan)];
