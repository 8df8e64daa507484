// Builds the N-API DTLS addon against Debian's libmbedtls-dev during `npm ci`.
// A missing library gives one clear line naming the package instead of a compiler dump.
import { existsSync, realpathSync } from "node:fs";
import { spawnSync, execFileSync } from "node:child_process";
import { dirname, join } from "node:path";

const header = "/usr/include/mbedtls/ssl.h";
if (!existsSync("binding.gyp")) process.exit(0); // engine not in this tree yet
if (!existsSync(header)) {
  console.error(`moddable-coaps: ${header} not found. Install Debian's mbedTLS: apt-get install -y libmbedtls-dev`);
  process.exit(1);
}
// Run directly (not from npm), use npm's own node-gyp; build against the installed Node
// headers when the distribution ships them, since nothing can be downloaded here.
function npmBundledGyp() {
  try {
    const npmCli = realpathSync(execFileSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).trim());
    const gyp = join(dirname(npmCli), "..", "node_modules", "node-gyp", "bin", "node-gyp.js");
    return existsSync(gyp) ? gyp : undefined;
  } catch { return undefined; }
}
const gyp = process.env.npm_config_node_gyp ?? npmBundledGyp();
if (!gyp) {
  console.error("moddable-coaps: node-gyp not found (it ships with npm); reinstall npm");
  process.exit(1);
}
const args = [gyp, "rebuild"];
if (!process.env.npm_config_nodedir && existsSync("/usr/include/node/common.gypi")) args.push("--nodedir=/usr");
const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
if (r.status !== 0) {
  process.stderr.write(r.stdout + r.stderr);
  console.error("moddable-coaps: building the DTLS addon failed (see above)");
  process.exit(1);
}
console.log("moddable-coaps: DTLS addon built (build/Release/dtls_napi.node)");
