// A parent process for the orphan test: starts a worker, prints its PID, then waits to be killed.
import { XsnapWorker } from "../../../host-sim/xs/xsnap-driver.js";

const worker = new XsnapWorker({ name: "orphan-test" });
process.stdout.write(`${worker.pid}\n`);
setInterval(() => {}, 1000);
