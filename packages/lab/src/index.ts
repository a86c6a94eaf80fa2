// What tests of the product may use of the lab (never product code): bring a lab up and down, inject faults, read
// the router's FIB. The console under test talks to the lab only through its plan, as to a real site.

export { digAnswer } from "./daemons/bind.js";
export { controllerLeader, type Drill, drills, findDrill, runDrill } from "./drills.js";
export {
  blackholeNode,
  cutLink,
  healBlackhole,
  k3sActive,
  killBird,
  restoreLink,
  startBirdAgain,
  startK3s,
  stopBirdGracefully,
  stopK3s,
} from "./faults.js";
export { ApiserverEndpoints, R, seedCluster } from "./kube/index.js";
export { startCluster, type TestCluster } from "./kube/testkit/index.js";
export { applyPreset, CALICO, PRESET_NAMES } from "./kube-lab.js";
export { installLabCrds, metallbCrds } from "./kube-state.js";
export { labDown, labStatusOf, labUp } from "./lab.js";
export { listNamespaces } from "./netns.js";
export { presetDnsNames, presetK3sSettings } from "./presets.js";
export { regenerateRouter, saveNeighbourTimers, setCarpState } from "./router.js";
export { fibNextHops, waitForConverged, waitForFib } from "./routes.js";
export { k3sConfigDropinDir } from "./standin/wrappers.js";
export { planFile } from "./state.js";
export { readPlan, uniqueLabName } from "./testing.js";
export { labTopology, type RouterKind, routerKinds } from "./topology.js";
