// Node commands that change something, for failover runs: k3s through systemd (start, stop, restart, SIGKILL to the
// main process only — the document's "API process crash", systemd restarts it after RestartSec), BIRD killed inside
// calico-node, and the hard fault: an nftables table dropping all but loopback traffic for N seconds that removes
// itself. Its removal is scheduled (detached from the SSH session) before the drop starts, 0.3 s later, since the drop
// cuts the console's own session; the seconds are an argument, never part of the script's text.
import { z } from "zod";
import type { Parsed } from "../frr/parsed.js";

export const FAULT_TABLE = "k3s_ha_fault";
/** The drop starts this long after the command returns (so its exit status reaches the console first). */
export const FAULT_DELAY_MS = 300;

/** What the command printed (actions are judged by their exit status; stdout is kept for the run's events). */
export const parseText = (stdout: string): Parsed<string> => ({ ok: true, value: stdout.trim() });

export const k3sVerbParams = z.object({ verb: z.enum(["start", "stop", "restart", "is-active"]) }).strict();
export const bgpVerbParams = z.object({ verb: z.enum(["down", "up"]) }).strict();

/**
 * Calico's BGP on the node through runit inside calico-node (`sv down bird6`: BIRD stops and closes its sessions
 * with a Cease, so the router withdraws at once; `sv up bird6`: runit starts it again). The verb is an argument.
 */
export const CALICO_BGP_SCRIPT = [
  "set -e",
  `case "$1" in down|up) ;; *) echo "verb must be down or up" >&2; exit 2;; esac`,
  'id="$(k3s crictl ps --name calico-node --state running -q | head -n 1)"',
  '[ -n "$id" ] || { echo "no running calico-node container on this node" >&2; exit 3; }',
  'k3s crictl exec "$id" sv "$1" bird6',
].join("\n");
export const dropParams = z.object({ seconds: z.number().int().min(1).max(600) }).strict();

export const DROP_SCRIPT = [
  "set -e",
  's="$1"',
  `case "$s" in ''|*[!0-9]*) echo "seconds must be a whole number" >&2; exit 2;; esac`,
  'command -v nft >/dev/null || { echo "nft is not installed on this node" >&2; exit 127; }',
  'command -v setsid >/dev/null || { echo "setsid is not installed on this node" >&2; exit 127; }',
  `if nft list table inet ${FAULT_TABLE} >/dev/null 2>&1; then echo "a drop is already in place (table inet ${FAULT_TABLE})" >&2; exit 3; fi`,
  'f="$(mktemp /tmp/k3s-ha-fault.XXXXXX)"',
  `printf '%s\\n' 'table inet ${FAULT_TABLE} {' ` +
    `'  chain input { type filter hook input priority -300; policy accept; iifname != "lo" drop; }' ` +
    `'  chain output { type filter hook output priority -300; policy accept; oifname != "lo" drop; }' '}' > "$f"`,
  'nft -c -f "$f"',
  // The removal first, in its own session: it runs however the console's connection ends.
  `setsid sh -c 'sleep 0.3; sleep "$1"; nft delete table inet ${FAULT_TABLE}' k3s-ha-heal "$s" </dev/null >/dev/null 2>&1 &`,
  `setsid sh -c 'sleep 0.3; nft -f "$1"; rm -f "$1"' k3s-ha-drop "$f" </dev/null >/dev/null 2>&1 &`,
  'echo "dropping all but loopback traffic in 0.3 s for $s s (table inet ' +
    FAULT_TABLE +
    ', removes itself)"',
].join("\n");
