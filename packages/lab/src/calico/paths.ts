// Files of a node's calico-node stand-in (under the node's dir, so `lab down` removes them).
import path from "node:path";
import type { NodeSpec } from "../topology.js";

export const calicoDir = (node: NodeSpec) => path.join(node.dir, "calico");
export const calicoPidFile = (node: NodeSpec) => path.join(calicoDir(node), "calico-node.pid");
export const calicoLogFile = (node: NodeSpec) => path.join(calicoDir(node), "calico-node.log");
/** Lab-only knobs the renderer needs and the API does not hold (BFD on the router peer). */
export const calicoKnobsFile = (node: NodeSpec) => path.join(calicoDir(node), "lab-knobs.json");
/** Written once calico-node has rendered BIRD's config from the API (lab up waits for it). */
export const calicoRenderedFile = (node: NodeSpec) => path.join(calicoDir(node), "rendered-from-api");
export const birdConfFile = (node: NodeSpec) => path.join(node.dir, "bird", "bird.conf");

/** runit's `sv down bird6`: while this file exists calico-node's supervisor does not restart BIRD. */
export const birdDownFile = (node: NodeSpec) => path.join(calicoDir(node), "bird6.down");

export interface LabKnobs {
  bfd: boolean;
}
