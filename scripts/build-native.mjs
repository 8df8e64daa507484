// Builds the N-API DTLS addon against Debian's libmbedtls-dev during `npm ci`.
// A missing library gives one clear line naming the package instead of a compiler dump.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const header = "/usr/include/mbedtls/ssl.h";
if (!existsSync("binding.gyp")) process.exit(0); // engine not in this tree yet
if (!existsSync(header)) {
  console.error(`moddable-coaps: ${header} not found. Install Debian's mbedTLS: apt-get install -y libmbedtls-dev`);
  process.exit(1);
}
const npmGyp = process.env.npm_config_node_gyp;
const [cmd, args] = npmGyp ? [process.execPath, [npmGyp, "rebuild"]] : ["npx", ["--no-install", "node-gyp", "rebuild"]];
const r = spawnSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
if (r.status !== 0) {
  process.stderr.write(r.stdout + r.stderr);
  console.error("moddable-coaps: building the DTLS addon failed (see above)");
  process.exit(1);
}
console.log("moddable-coaps: DTLS addon built (build/Release/dtls_napi.node)");
