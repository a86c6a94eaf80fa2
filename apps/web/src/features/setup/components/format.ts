// Words and tones for the setup's statuses and changes (the word carries the meaning; colour only repeats it).
import type { SetupChange, SetupStepStatus, SetupStepSummary } from "@k3s-ha/shared";
import type { Tone } from "../../../components/ui";

export const statusText: Record<SetupStepStatus, string> = {
  "not-started": "Not started",
  satisfied: "Already satisfied",
  applied: "Applied, not verified",
  verified: "Verified",
  failed: "Failed",
  drifted: "Drifted",
};

export const statusTone: Record<SetupStepStatus, Tone> = {
  "not-started": "neutral",
  satisfied: "good",
  applied: "warn",
  verified: "good",
  failed: "bad",
  drifted: "bad",
};

export const actionText: Record<SetupChange["action"], string> = {
  create: "create",
  update: "update",
  unchanged: "unchanged",
  delete: "delete",
  manual: "by hand",
  skip: "not applied",
};

const DONE: readonly SetupStepStatus[] = ["satisfied", "applied", "verified"];

/** The first step that still needs the operator and is not blocked: what the page offers next. */
export function nextStep(steps: readonly SetupStepSummary[]): SetupStepSummary | undefined {
  return steps.find((s) => !DONE.includes(s.status) && !s.blockedBy?.length) ?? undefined;
}
