{
  "targets": [
    {
      "target_name": "dtls_napi",
      "sources": ["native/napi_dtls.c", "native/dtls_engine.c", "native/dtls_engine_setup.c",
                  "native/dtls_engine_drive.c", "native/dtls_engine_hello.c", "native/dtls_queue.c"],
      "include_dirs": ["native"],
      "cflags_c": ["-std=c99", "-Wall", "-Wextra", "-O2"],
      "libraries": ["-lmbedtls", "-lmbedx509", "-lmbedcrypto"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
