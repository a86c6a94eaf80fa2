// Node objects as a k3s server registers them: labels, annotations, addresses, kubelet conditions, node info.
import { cidrFirst, formatIp, parseCidr } from "@k3s-ha/shared";
import type { KubeObject } from "../meta.js";

export interface SeedNode {
  name: string;
  /** The node's InternalIP (its address on the lab network). */
  address: string;
  /** k3s server (control-plane, etcd) or agent (default server). */
  role?: "server" | "agent";
}

/** The i-th /64 (IPv6) or /24 (IPv4) of the cluster pod CIDR: the node's podCIDR. */
export function nodePodCidr(podCidr: string | undefined, index: number): string | undefined {
  const cidr = podCidr ? parseCidr(podCidr) : null;
  if (!cidr) return undefined;
  const size = cidr.family === 6 ? 64 : 24;
  if (cidr.prefix > size) return podCidr;
  const bits = BigInt((cidr.family === 6 ? 128 : 32) - size);
  return `${formatIp(cidr.family, cidrFirst(cidr) + (BigInt(index) << bits))}/${size}`;
}

/** The lowest free address of a node's podCIDR, from the second one on (the first is the node's own bridge). */
export function freePodIp(podCidr: string | undefined, used: ReadonlySet<string>): string | undefined {
  const block = podCidr ? parseCidr(podCidr) : null;
  if (!block) return undefined;
  const bits = BigInt((block.family === 6 ? 128 : 32) - block.prefix);
  const size = bits > 16n ? 1n << 16n : 1n << bits;
  for (let i = 2n; i < size - 1n; i++) {
    const ip = formatIp(block.family, cidrFirst(block) + i);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

export function nodeObject(
  n: SeedNode,
  podCidr: string | undefined,
  k3sVersion: string,
  now: string,
): KubeObject {
  const server = (n.role ?? "server") === "server";
  const labels: Record<string, string> = {
    "beta.kubernetes.io/arch": "amd64",
    "beta.kubernetes.io/instance-type": "k3s",
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": n.name,
    "kubernetes.io/os": "linux",
    "node.kubernetes.io/instance-type": "k3s",
    ...(server
      ? {
          "node-role.kubernetes.io/control-plane": "true",
          "node-role.kubernetes.io/etcd": "true",
          "node-role.kubernetes.io/master": "true",
        }
      : {}),
  };
  const kubeletConditions = [
    ["MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
    ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
    ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
    ["Ready", "True", "KubeletReady", "kubelet is posting ready status"],
  ].map(([type, status, reason, message]) => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  }));
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: n.name,
      labels,
      annotations: {
        "alpha.kubernetes.io/provided-node-ip": n.address,
        "k3s.io/hostname": n.name,
        "k3s.io/internal-ip": n.address,
        "k3s.io/node-args": JSON.stringify(
          server ? ["server", "--disable", "servicelb", "--flannel-backend", "none"] : ["agent"],
        ),
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: { ...(podCidr ? { podCIDR: podCidr, podCIDRs: [podCidr] } : {}), providerID: `k3s://${n.name}` },
    status: {
      addresses: [
        { type: "InternalIP", address: n.address },
        { type: "Hostname", address: n.name },
      ],
      allocatable: { cpu: "2", "ephemeral-storage": "19586931083", memory: "3926364Ki", pods: "110" },
      capacity: { cpu: "2", "ephemeral-storage": "20134592Ki", memory: "4026364Ki", pods: "110" },
      conditions: kubeletConditions,
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: "amd64",
        bootID: "00000000-0000-0000-0000-000000000000",
        containerRuntimeVersion: "containerd://2.1.4-k3s1",
        kernelVersion: "6.1.0-40-amd64",
        kubeProxyVersion: k3sVersion,
        kubeletVersion: k3sVersion,
        machineID: n.name.padEnd(32, "0").slice(0, 32),
        operatingSystem: "linux",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        systemUUID: "00000000-0000-0000-0000-000000000000",
      },
    },
  };
}
