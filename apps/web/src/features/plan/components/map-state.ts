// What the map shows about each item beyond its position: selected, highlighted by a finding, dimmed.
import type { Severity } from "@k3s-ha/shared";

export interface MapSelection {
  type: "range" | "address";
  path: string;
}

/** Items a finding involves, drawn with a ring in the finding's colour while everything else fades. */
export interface MapHighlight {
  paths: ReadonlySet<string>;
  severity: Severity;
}

export interface ItemState {
  selected: boolean;
  highlighted: boolean;
  dimmed: boolean;
}

export function itemState(
  path: string,
  selection: MapSelection | null,
  highlight: MapHighlight | null,
): ItemState {
  const highlighted = highlight?.paths.has(path) ?? false;
  return {
    selected: selection?.path === path,
    highlighted,
    dimmed: highlight !== null && !highlighted,
  };
}
