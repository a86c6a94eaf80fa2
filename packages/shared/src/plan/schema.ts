// The plan file: one cluster environment (network ranges, BGP, nodes, DNS, k3s, Kubernetes access) as a zod schema.
// Addresses of either family are accepted here so that the linter can explain why IPv4 has no place in the plan.
import { z } from "zod";
import { parseCidr, parseIp } from "../net/ip.js";

const ipAddress = z
  .string()
  .refine((s) => parseIp(s) !== null, { message: "expected an IP address such as 2001:db8::1" });

const cidr = z
  .string()
  .refine((s) => parseCidr(s) !== null, { message: "expected a CIDR such as 2001:db8::/64" });

const dnsName = z
  .string()
  .regex(
    /^(?=.{1,253}\.?$)([a-zA-Z0-9_]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9_]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/,
    {
      message: "expected a DNS name such as k8s-api.example.org",
    },
  );

const port = z.number().int().min(1).max(65535);
const asn = z.number().int().min(0).max(4294967295);

/** An OpenSSH public host key line: "<type> <base64>" (a comment may follow). */
const hostKey = z
  .string()
  .regex(
    /^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/]+={0,3}( .*)?$/,
    {
      message: 'expected an OpenSSH public host key such as "ssh-ed25519 AAAAC3Nz…" (ssh-keyscan prints it)',
    },
  );

const filePath = z.string().min(1, { message: "expected a file path" });

export const sshSchema = z.strictObject({
  user: z.string().regex(/^[a-z_][a-z0-9_.-]*$/, { message: "expected a user name" }),
  port: port.default(22),
  /**
   * The key the host must present. Optional, so a plan can be linted and drawn before keys are collected: a host
   * without one is never contacted blindly (the console shows the key offered for an admin to approve).
   */
  hostKey: hostKey.optional(),
  /** An OpenSSH known_hosts file to take the pin from instead (hashed entries and `[host]:port` forms). */
  knownHostsFile: filePath.optional(),
  /** Secrets only by reference: the key stays in its file and never enters the plan. */
  privateKeyFile: filePath.optional(),
  /** Run privileged commands as `sudo -n <command>` (a least-privilege pfSense user). */
  sudo: z.boolean().default(false),
});

export const routerPlatforms = ["pfsense-frr", "linux-frr"] as const;

export const planSchema = z.strictObject({
  apiVersion: z.literal("k3s-ha/v1"),
  kind: z.literal("Plan"),
  metadata: z.strictObject({
    name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
      message: "expected a lower-case name (letters, digits, '-')",
    }),
    description: z.string().optional(),
  }),
  network: z.strictObject({
    prefix: cidr,
    hostRange: z.strictObject({ from: ipAddress, to: ipAddress }).optional(),
    onLink: z.boolean(),
    podCidr: cidr,
    podBlockSize: z.number().int().min(0).max(128).default(122),
    serviceCidr: cidr,
    clusterDns: ipAddress,
    loadBalancerCidr: cidr,
    apiVip: ipAddress,
  }),
  bgp: z.strictObject({
    clusterAsn: asn,
    router: z.strictObject({
      name: z.string().min(1),
      address: ipAddress,
      asn,
      platform: z.enum(routerPlatforms),
      ssh: sshSchema,
    }),
    rejectPodRoutes: z.boolean(),
    /**
     * The keepalive and hold timers the router should use toward the nodes (Calico has no BFD: the hold timer
     * bounds a hard failure's detection). Absent: the guided setup proposes 3/9 s.
     */
    timers: z
      .strictObject({
        keepaliveS: z.number().int().min(1).max(21845),
        holdS: z.number().int().min(3).max(65535),
      })
      .refine((t) => t.holdS >= 3 * t.keepaliveS, {
        message: "holdS should be at least three keepalives (RFC 4271 suggests hold = 3 × keepalive)",
        path: ["holdS"],
      })
      .optional(),
    /** Calico's node-to-node mesh (BGPConfiguration.nodeToNodeMeshEnabled). */
    nodeToNodeMesh: z.boolean().default(true),
    /** The pod IPPool's encapsulation; IPIP is IPv4-only, so IPv6 pools use VXLAN or none. */
    podEncapsulation: z
      .enum(["None", "VXLAN", "VXLANCrossSubnet", "IPIP", "IPIPCrossSubnet"])
      .default("None"),
  }),
  nodes: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, {
          message: "expected a Kubernetes node name (lower-case letters, digits, '-', '.')",
        }),
        address: ipAddress,
        role: z.enum(["server", "agent"]),
        ssh: sshSchema,
      }),
    )
    .min(1, { message: "expected at least one node" }),
  dns: z.strictObject({
    server: ipAddress,
    port: port.default(53),
    zone: dnsName,
    ttl: z.number().int().min(0).max(2147483647),
    roundRobinName: dnsName,
    vipName: dnsName,
    /** Only signed dynamic updates need it; reading DNS does not. */
    tsig: z
      .strictObject({
        name: dnsName,
        algorithm: z.enum([
          "hmac-sha256",
          "hmac-sha384",
          "hmac-sha512",
          "hmac-sha224",
          "hmac-sha1",
          "hmac-md5",
        ]),
        secretFile: filePath,
      })
      .optional(),
  }),
  k3s: z.strictObject({
    tlsSan: z.array(z.string().min(1)),
  }),
  kubernetes: z.strictObject({
    kubeconfig: filePath,
    context: z.string().min(1).optional(),
    /**
     * kube-controller-manager's --node-monitor-grace-period, when changed from upstream's 50 s: how long a stopped
     * kubelet's node stays Ready (and its endpoints ready). Failover predictions use it.
     */
    nodeMonitorGracePeriodS: z.number().int().min(1).max(3600).optional(),
  }),
});

/** A validated plan, defaults applied. */
export type Plan = z.output<typeof planSchema>;
/** A plan as written in the file (defaults optional). */
export type PlanInput = z.input<typeof planSchema>;
