/* CI stand-in for Mbed TLS 4.0's default include/mbedtls/mbedtls_config.h (the TLS options a
 * build gets when MBEDTLS_CONFIG_FILE is not set). Upstream enables DTLS connection ids and
 * keeps 16 KiB record buffers; ESP-IDF's esp_config.h does neither with this project's
 * sdkconfig. */
#ifndef CI_STUB_MBEDTLS_CONFIG_H
#define CI_STUB_MBEDTLS_CONFIG_H
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_DTLS
#define MBEDTLS_SSL_DTLS_ANTI_REPLAY
#define MBEDTLS_SSL_DTLS_HELLO_VERIFY
#define MBEDTLS_SSL_DTLS_CONNECTION_ID
#define MBEDTLS_SSL_COOKIE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
#endif
