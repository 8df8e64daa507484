// Output files named on the command line (--msc, --html, --pcap, --keylog) are checked before
// a run starts: a chart is written only when the run ends (for `npm start`, at Ctrl-C), so a
// path that cannot be written must be refused first, not after the session it was meant to keep.
import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Why `path` cannot be written as a file, or undefined when it can. */
export function unwritableReason(path: string): string | undefined {
  const full = resolve(path);
  try {
    if (statSync(full).isDirectory()) return "is a directory";
    accessSync(full, constants.W_OK);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") return (error as NodeJS.ErrnoException).code ?? String(error);
  }
  const folder = dirname(full);
  try {
    if (!statSync(folder).isDirectory()) return `${folder} is not a directory`;
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? `no such directory ${folder}` : `cannot write in ${folder} (${code ?? String(error)})`;
  }
}
