// Catches a page that fails to render; after a redeploy the missing chunk of a lazy page is offered as a reload.
import { Component, type ReactNode } from "react";
import { Card, primaryButtonClass } from "./ui";

/** Browsers word a missing dynamic import differently; all mean "this build's chunk is gone". */
export function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /dynamically imported module|Importing a module script failed|Loading chunk .* failed|module script/i.test(
    message,
  );
}

interface State {
  error: unknown;
}

export class PageErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    // Another page was chosen: give it its own chance.
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const stale = isChunkLoadError(error);
    return (
      <Card className="p-4">
        <div role="alert" className="space-y-3">
          <h1 className="text-lg font-semibold">
            {stale ? "The console was updated" : "This page failed to load"}
          </h1>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {stale
              ? "A new version of the console was installed since this tab was opened; the part of the page it asked for no longer exists. Reload to get the new version (nothing you did is lost: the console keeps its state on the server)."
              : `Something went wrong while showing this page: ${error instanceof Error ? error.message : String(error)}`}
          </p>
          <button type="button" onClick={() => window.location.reload()} className={primaryButtonClass}>
            Reload the console
          </button>
        </div>
      </Card>
    );
  }
}
