// Credential sets for DTLS tests: the built-in one (src/dtls/builtin-x509.ts) and an
// unrelated "rogue" CA + leaf (test/dtls/fixtures) that the built-in CA must reject.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BUILTIN_CA_PEM, BUILTIN_CERT_PEM, BUILTIN_KEY_PEM } from "../../../src/dtls/builtin-x509.js";
import type { DtlsCredentials } from "../../../src/platform/dtls-binding.js";
import { ascii } from "./pair.js";

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), "utf8");
export const ROGUE_CA_PEM = fixture("rogue-ca.pem");
export const ROGUE_CERT_PEM = fixture("rogue-leaf.pem");
export const ROGUE_KEY_PEM = fixture("rogue-leaf-key.pem");

export function x509(verifyPeer: boolean, own: "builtin" | "rogue" = "builtin"): DtlsCredentials {
  return {
    mode: "x509",
    certificate: ascii(own === "builtin" ? BUILTIN_CERT_PEM : ROGUE_CERT_PEM),
    privateKey: ascii(own === "builtin" ? BUILTIN_KEY_PEM : ROGUE_KEY_PEM),
    caChain: ascii(BUILTIN_CA_PEM),
    verifyPeer,
  };
}
