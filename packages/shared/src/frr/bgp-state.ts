// BGP session states as FRR names them (bgpd's FSM), with the "(Admin)" / "(PfxCt)" suffixes split off.
export const bgpStates = [
  "Idle",
  "Connect",
  "Active",
  "OpenSent",
  "OpenConfirm",
  "Established",
  "Clearing",
  "Deleted",
] as const;
export type BgpState = (typeof bgpStates)[number];

export interface SessionState {
  state: BgpState;
  /** Why an Idle session is held down: `Admin` (neighbor shutdown) or `PfxCt` (maximum-prefix exceeded). */
  idleReason?: "Admin" | "PfxCt";
}

/** "Established", "Idle (Admin)", "Idle (PfxCt)" → a SessionState; undefined for a name FRR does not print. */
export function sessionState(text: string): SessionState | undefined {
  const m = /^([A-Za-z]+)(?: \((Admin|PfxCt)\))?$/.exec(text.trim());
  const state = bgpStates.find((s) => s === m?.[1]);
  if (!m || !state) return undefined;
  return m[2] ? { state, idleReason: m[2] as "Admin" | "PfxCt" } : { state };
}
