// Route /failover, loaded on demand: its measurements will bring charts, which stay out of the initial bundle.
import { NotBuiltPage } from "../../not-built/pages/not-built-page";

const failover = {
  title: "Failover",
  purpose: "Failure tests of the control plane, measured from the client's side.",
  willShow: [
    "Runs of a chosen failure (stop k3s on a node, stop BIRD, cut the link) with the API probed throughout.",
    "Downtime, the longest gap and latency percentiles per run, charted over time.",
    "How DNS round-robin clients (kubectl, Node.js) behave when the first address is dead.",
  ],
};

export default function FailoverPage() {
  return <NotBuiltPage section={failover} />;
}
