// The Mbed TLS version the firmware was linked with (native/xs_mbedtls_version.c), e.g.
// "Mbed TLS 4.0.0", or "Mbed TLS 2.28.3 (compiled against 4.0.0 headers)" when another library
// was linked than the headers the glue was compiled with. Printed at boot.

export const linkedMbedtls = Object.freeze({
  describe(): string {
    return native("xs_mbedtls_version").call(this) as string;
  },
});
