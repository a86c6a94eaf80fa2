// The `k3s-ha` command as run from the repository: `lab …` goes to packages/lab (development and test tooling, never
// bundled with the product), everything else to the server's CLI, unchanged.
const [command] = process.argv.slice(2);
if (command === "lab") {
  const { runLabCli } = await import("../packages/lab/src/cli.js");
  runLabCli(process.argv.slice(3));
} else {
  await import("../apps/server/src/cli.js");
}
