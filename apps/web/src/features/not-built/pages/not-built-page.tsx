// A section that is planned but not built yet: says what it will show, plainly.
import { Card, PageHeader } from "../../../components/ui";

export interface PlannedSection {
  title: string;
  purpose: string;
  willShow: readonly string[];
}

export function NotBuiltPage({ section }: { section: PlannedSection }) {
  return (
    <>
      <PageHeader title={section.title}>{section.purpose}</PageHeader>
      <Card className="p-6">
        <p className="inline-flex rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-semibold text-slate-700 ring-1 ring-slate-300 ring-inset dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600">
          Not built yet
        </p>
        <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">
          This page is not built yet. When it is, it will show:
        </p>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700 dark:text-slate-300">
          {section.willShow.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </Card>
    </>
  );
}

export const plannedSections = {
  setup: {
    title: "Setup",
    purpose: "Apply the plan step by step: router, Calico, MetalLB, k3s, DNS.",
    willShow: [
      "Each setup step with what it changes, a preview, and its result once applied.",
      "For pfSense, the GUI settings to change instead of commands (pfSense regenerates FRR's configuration).",
      "An audit record for every step applied.",
    ],
  },
} as const satisfies Record<string, PlannedSection>;
