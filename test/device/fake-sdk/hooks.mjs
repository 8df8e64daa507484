// Node module-resolution hook for test/device/boot.test.ts: the Moddable SDK modules the
// device shims import resolve to the fakes in this folder.
const FAKES = {
  "embedded:io/serial": "serial.js",
  "embedded:io/socket/udp": "udp.js",
  "timer": "timer.js",
  "time": "time.js",
  "mc/config": "config.js",
  "wifi": "wifi.js",
  "net": "net.js",
};

export async function resolve(specifier, context, next) {
  const fake = FAKES[specifier];
  if (fake) return { url: new URL(fake, import.meta.url).href, shortCircuit: true, format: "module" };
  return next(specifier, context);
}
