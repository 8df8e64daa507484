// README "On a board" is a list of commands people type: every mcconfig line there must name a
// platform the manifest builds (not one it refuses) and only config keys the firmware knows,
// and the section must cover each target the issue asked for.
import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { matchPlatform, readManifest } from "./manifest-model.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## On a board"));
const manifest = readManifest(root);

/** The mcconfig command lines of the section, with placeholders like <pin> left in. */
const mcconfigLines = [...section.matchAll(/^.*\bmcconfig\b.*$/gm)].map((m) => m[0]).filter((l) => /\bmcconfig -/.test(l));

/** Keys mcconfig passes to mc/config: the manifest's config blocks plus the Wi-Fi ones. */
const configKeys = new Set([
  ...Object.keys(manifest.config ?? {}),
  ...Object.values(manifest.platforms).flatMap((b) => Object.keys(b.config ?? {})),
  "ssid", "password",
]);

test("the section has a build command for lin, classic ESP32 and a *_cdc board, in release and debug", (t) => {
  const has = (re: RegExp) => mcconfigLines.some((l) => re.test(l));
  t.true(has(/mcconfig -m -p lin\b/), "lin release");
  t.true(has(/mcconfig -d -m -p lin\b/), "lin debug");
  t.true(has(/mcconfig -m -p esp32\/nodemcu\b/), "classic ESP32 release");
  t.true(has(/mcconfig -d -m -p esp32\/nodemcu\b/), "classic ESP32 debug");
  t.true(has(/mcconfig -m -p esp32\/esp32s3_cdc\b/), "S3 cdc release");
  t.true(has(/mcconfig -d -m -p esp32\/esp32s3_cdc\b/), "S3 cdc debug");
  t.true(has(/C_FLAGS=-I\S+ LIBRARIES=-Wl,\S+libmbedtls\.a,\S+libmbedx509\.a,\S+libtfpsacrypto\.a mcconfig/), "lin with another Mbed TLS");
});

test("every mcconfig line names a platform the manifest builds and only config keys the firmware reads", (t) => {
  t.true(mcconfigLines.length >= 8);
  for (const line of mcconfigLines) {
    const platform = /-p (\S+)/.exec(line)?.[1];
    t.truthy(platform, line);
    if (platform!.includes("<")) continue; // nrf52/<board>: the reader picks the board
    const block = matchPlatform(manifest.platforms, platform!);
    t.truthy(block, `${platform}: no platform block`);
    t.is(block!.error, undefined, `${platform} is refused: ${block!.error}`);
    for (const [, key] of line.matchAll(/\s(\w+)=\S/g)) {
      if (key === "C_FLAGS" || key === "LIBRARIES" || key === "PATH") continue; // make variables, not mc/config keys
      t.true(configKeys.has(key!), `${line}: unknown config key ${key}`);
    }
  }
});

test("the versions checked are stated", (t) => {
  for (const v of ["Moddable SDK 8.2.3", "ESP-IDF v6.0", "Mbed TLS 2.28.3", "4.0.0"]) t.true(section.includes(v), v);
});
