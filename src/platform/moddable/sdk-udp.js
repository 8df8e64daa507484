// Moddable's ECMA-419 UDP socket (IPv4 only on lwIP and on the lin simulator). Types in
// sdk-udp.d.ts.
export { default as UDP } from "embedded:io/socket/udp";
