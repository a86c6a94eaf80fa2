// After a page change the new page's heading takes focus and its name is announced (screen readers, keyboards).
let pending = false;

/** The shell calls this when the location changes; the next page heading to mount takes focus. */
export function requestHeadingFocus(): void {
  pending = true;
}

/** A page heading calls this when it mounts: true once after each page change. */
export function takeHeadingFocus(): boolean {
  const was = pending;
  pending = false;
  return was;
}

export const ANNOUNCER_ID = "route-announcer";

export function announce(text: string): void {
  const region = document.getElementById(ANNOUNCER_ID);
  if (region) region.textContent = text;
}
