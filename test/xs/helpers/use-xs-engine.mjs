// `node --import ./test/xs/helpers/use-xs-engine.mjs`: installs xs-harness-hook.mjs.
import { register } from "node:module";

register("./xs-harness-hook.mjs", import.meta.url);
