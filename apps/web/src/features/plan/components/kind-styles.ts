// Colours of range kinds, address kinds and severities, legible on both themes (full class names for Tailwind).
import type { AddressKind, RangeKind, Severity } from "@k3s-ha/shared";

export interface RangeStyle {
  /** Lane name on the map. */
  lane: string;
  /** A bar wide enough to read its label. */
  bar: string;
  /** A bar drawn wider than its true size: solid and hatched. */
  tiny: string;
  swatch: string;
}

export const rangeStyles: Record<RangeKind, RangeStyle> = {
  prefix: {
    lane: "Site prefix",
    bar: "border-slate-400 bg-slate-100 text-slate-800 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-100",
    tiny: "border-slate-600 bg-slate-400 text-slate-700 dark:bg-slate-500 dark:text-slate-200",
    swatch: "bg-slate-400 dark:bg-slate-500",
  },
  hosts: {
    lane: "Host range",
    bar: "border-sky-500 bg-sky-100 text-sky-950 dark:border-sky-400 dark:bg-sky-500/20 dark:text-sky-100",
    tiny: "border-sky-700 bg-sky-500 text-sky-800 dark:border-sky-300 dark:bg-sky-400 dark:text-sky-950",
    swatch: "bg-sky-500 dark:bg-sky-400",
  },
  services: {
    lane: "ClusterIP services",
    bar: "border-violet-500 bg-violet-100 text-violet-950 dark:border-violet-400 dark:bg-violet-500/20 dark:text-violet-100",
    tiny: "border-violet-800 bg-violet-500 text-violet-900 dark:border-violet-300 dark:bg-violet-400 dark:text-violet-950",
    swatch: "bg-violet-500 dark:bg-violet-400",
  },
  loadBalancers: {
    lane: "LoadBalancer IPs",
    bar: "border-amber-500 bg-amber-100 text-amber-950 dark:border-amber-400 dark:bg-amber-500/20 dark:text-amber-100",
    tiny: "border-amber-700 bg-amber-400 text-amber-900 dark:border-amber-200 dark:bg-amber-400 dark:text-amber-950",
    swatch: "bg-amber-400 dark:bg-amber-400",
  },
  pods: {
    lane: "Pods",
    bar: "border-emerald-500 bg-emerald-100 text-emerald-950 dark:border-emerald-400 dark:bg-emerald-500/20 dark:text-emerald-100",
    tiny: "border-emerald-800 bg-emerald-500 text-emerald-900 dark:border-emerald-300 dark:bg-emerald-400 dark:text-emerald-950",
    swatch: "bg-emerald-500 dark:bg-emerald-400",
  },
};

export const laneOrder: readonly RangeKind[] = ["prefix", "hosts", "services", "loadBalancers", "pods"];

export const addressStyles: Record<AddressKind, { pin: string; name: string }> = {
  router: { pin: "bg-rose-500 border-rose-800 dark:border-rose-200", name: "Router" },
  node: { pin: "bg-sky-600 border-sky-900 dark:bg-sky-400 dark:border-sky-100", name: "Node" },
  clusterDns: {
    pin: "bg-violet-600 border-violet-900 dark:bg-violet-400 dark:border-violet-100",
    name: "Cluster DNS",
  },
  apiVip: { pin: "bg-amber-500 border-amber-800 dark:bg-amber-400 dark:border-amber-100", name: "API VIP" },
  dnsServer: { pin: "bg-teal-500 border-teal-800 dark:bg-teal-400 dark:border-teal-100", name: "DNS server" },
};

export const severityStyles: Record<
  Severity,
  { badge: string; panel: string; ring: string; dot: string; label: string }
> = {
  error: {
    label: "Error",
    badge: "bg-red-100 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
    panel: "border-red-200 bg-red-50/60 dark:border-red-900/70 dark:bg-red-950/30",
    ring: "ring-red-500 dark:ring-red-400",
    dot: "bg-red-600 dark:bg-red-400",
  },
  warning: {
    label: "Warning",
    badge:
      "bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
    panel: "border-amber-200 bg-amber-50/60 dark:border-amber-900/70 dark:bg-amber-950/30",
    ring: "ring-amber-500 dark:ring-amber-400",
    dot: "bg-amber-500 dark:bg-amber-400",
  },
  info: {
    label: "Info",
    badge: "bg-sky-100 text-sky-900 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800",
    panel: "border-sky-200 bg-sky-50/60 dark:border-sky-900/70 dark:bg-sky-950/30",
    ring: "ring-sky-500 dark:ring-sky-400",
    dot: "bg-sky-600 dark:bg-sky-400",
  },
};
