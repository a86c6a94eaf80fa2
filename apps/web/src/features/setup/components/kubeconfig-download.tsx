// The kubeconfig step's downloads: one per HA name, each confirmed first (the file holds the admin credentials;
// the server audits every download).
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { dangerButtonClass, FormAlert, secondaryButtonClass } from "../../../components/ui";
import { downloadPost } from "../../../lib/api";

type Endpoint = "vip-name" | "round-robin";
const LABEL: Record<Endpoint, string> = {
  "vip-name": "the VIP's name",
  "round-robin": "the round-robin name",
};

export function KubeconfigDownload() {
  const [asked, setAsked] = useState<Endpoint | null>(null);
  const download = useMutation({
    mutationFn: (endpoint: Endpoint) =>
      downloadPost("/api/setup/kubeconfig", { endpoint, confirm: true }, `kubeconfig-${endpoint}.yaml`),
    onSuccess: () => setAsked(null),
  });
  return (
    <div className="mt-3">
      <div className="flex flex-wrap gap-2">
        {(Object.keys(LABEL) as Endpoint[]).map((e) => (
          <button key={e} type="button" className={secondaryButtonClass} onClick={() => setAsked(e)}>
            Download kubeconfig for {LABEL[e]}
          </button>
        ))}
      </div>
      {asked && (
        <div className="mt-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950/40">
          <p className="font-semibold text-amber-950 dark:text-amber-100">
            This file holds the admin credentials of the console's kubeconfig. The download is recorded in the
            audit log. Keep the file where only administrators can read it.
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <button
              type="button"
              className={dangerButtonClass}
              disabled={download.isPending}
              onClick={() => download.mutate(asked)}
            >
              {download.isPending ? "Downloading…" : `Download for ${LABEL[asked]}`}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setAsked(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {download.isError && (
        <div className="mt-2">
          <FormAlert>{(download.error as Error).message}</FormAlert>
        </div>
      )}
    </div>
  );
}
