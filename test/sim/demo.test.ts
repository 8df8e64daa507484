import test from "ava";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

test("npm run demo walks through server and client consoles and exits 0 with every expected line", async (t) => {
  const { status, stdout } = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "host-sim/demo.ts"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on("close", (code) => { clearTimeout(timer); resolve({ status: code, stdout: out }); });
  });
  t.is(status, 0, stdout);
  const lines = stdout.split("\n");
  const order = [
    "node 1 (server) | > coaps resource test-resource",
    "node 2 (client) | > coaps connect fdde:ad00:beef:0:0:0:0:1",
    "node 1 (server) | > coaps connected",
    "node 1 (server) | coaps request from fdde:ad00:beef:0:0:0:0:2 GET",
    "node 2 (client) | > coaps response from fdde:ad00:beef:0:0:0:0:1 with payload: 48656c6c6f",
    "node 1 (server) | coaps request from fdde:ad00:beef:0:0:0:0:2 PUT with payload: 3432",
    "node 2 (client) | > coaps disconnected",
    "demo OK: every expected line appeared.",
  ];
  let at = -1;
  for (const want of order) {
    const i = lines.indexOf(want, at + 1);
    t.true(i > at, `missing or out of order: ${want}`);
    at = i;
  }
});
