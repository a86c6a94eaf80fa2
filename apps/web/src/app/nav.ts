// The console's sections, in the order an operator works through them.
export interface NavItem {
  href: string;
  label: string;
}

export const navItems: readonly NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/address-plan", label: "Address plan" },
  { href: "/bgp", label: "BGP" },
  { href: "/cluster", label: "Cluster" },
  { href: "/setup", label: "Setup" },
  { href: "/failover", label: "Failover" },
  { href: "/hosts", label: "Hosts" },
  { href: "/audit", label: "Audit" },
];

export function isActive(item: NavItem, location: string): boolean {
  return item.href === "/"
    ? location === "/"
    : location === item.href || location.startsWith(`${item.href}/`);
}
