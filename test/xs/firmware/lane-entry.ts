// The lane firmware as an xsnap entry: bundled into one strict IIFE and evaluated in the worker.
import { runOnXs } from "../../../src/platform/xsnap/runtime.js";
import { startLaneFirmware } from "./lane-firmware.js";

runOnXs(startLaneFirmware);
