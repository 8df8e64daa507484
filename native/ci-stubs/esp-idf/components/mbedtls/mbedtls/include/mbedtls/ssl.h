/* CI stand-in for Mbed TLS 4.0's include/mbedtls/ssl.h: every declaration the DTLS engine's
 * 4.x branch uses, with upstream's signatures and values, and contexts whose layouts follow
 * both halves of the configuration chain (TLS options from MBEDTLS_CONFIG_FILE, PSA structures
 * from the crypto configuration). */
#ifndef MBEDTLS_SSL_H
#define MBEDTLS_SSL_H
#include <stddef.h>
#include <stdint.h>
#include "mbedtls/platform_util.h"
#include "mbedtls/private_access.h"
#include "mbedtls/build_info.h"
#include "mbedtls/ssl_ciphersuites.h"
#include "mbedtls/x509_crt.h"
#include "psa/crypto.h"

#define MBEDTLS_ERR_SSL_BAD_INPUT_DATA PSA_ERROR_INVALID_ARGUMENT
#define MBEDTLS_ERR_SSL_ALLOC_FAILED PSA_ERROR_INSUFFICIENT_MEMORY
#define MBEDTLS_ERR_SSL_TIMEOUT -0x6800
#define MBEDTLS_ERR_SSL_WANT_WRITE -0x6880
#define MBEDTLS_ERR_SSL_WANT_READ -0x6900
#define MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED -0x6A80
#define MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE -0x6E00
#define MBEDTLS_ERR_SSL_INVALID_MAC -0x7180
#define MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE -0x7480
#define MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE -0x7780
#define MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY -0x7880
#define MBEDTLS_ERR_SSL_BAD_CERTIFICATE -0x7A00

#define MBEDTLS_SSL_IS_CLIENT 0
#define MBEDTLS_SSL_IS_SERVER 1
#define MBEDTLS_SSL_TRANSPORT_DATAGRAM 1
#define MBEDTLS_SSL_PRESET_DEFAULT 0
#define MBEDTLS_SSL_VERIFY_NONE 0
#define MBEDTLS_SSL_VERIFY_REQUIRED 2
#define MBEDTLS_SSL_ANTI_REPLAY_ENABLED 1
#define MBEDTLS_SSL_IANA_TLS_GROUP_NONE 0
#define MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1 0x0017

/* Defaults when the configuration leaves them out, as upstream. */
#if !defined(MBEDTLS_SSL_IN_CONTENT_LEN)
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#endif
#if !defined(MBEDTLS_SSL_OUT_CONTENT_LEN)
#define MBEDTLS_SSL_OUT_CONTENT_LEN 16384
#endif

#define MBEDTLS_SSL_ALERT_LEVEL_FATAL 2
#define MBEDTLS_SSL_ALERT_MSG_CLOSE_NOTIFY 0
#define MBEDTLS_SSL_ALERT_MSG_BAD_RECORD_MAC 20
#define MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE 40
#define MBEDTLS_SSL_ALERT_MSG_NO_CERT 41
#define MBEDTLS_SSL_ALERT_MSG_BAD_CERT 42
#define MBEDTLS_SSL_ALERT_MSG_UNSUPPORTED_CERT 43
#define MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED 44
#define MBEDTLS_SSL_ALERT_MSG_CERT_EXPIRED 45
#define MBEDTLS_SSL_ALERT_MSG_CERT_UNKNOWN 46
#define MBEDTLS_SSL_ALERT_MSG_UNKNOWN_CA 48
#define MBEDTLS_SSL_ALERT_MSG_ACCESS_DENIED 49

typedef enum {
  MBEDTLS_SSL_VERSION_UNKNOWN,
  MBEDTLS_SSL_VERSION_TLS1_2 = 0x0303,
  MBEDTLS_SSL_VERSION_TLS1_3 = 0x0304,
} mbedtls_ssl_protocol_version;

typedef enum {
  MBEDTLS_SSL_HELLO_REQUEST,
  MBEDTLS_SSL_CLIENT_HELLO,
  MBEDTLS_SSL_SERVER_HELLO,
  MBEDTLS_SSL_HANDSHAKE_OVER = 16,
} mbedtls_ssl_states;

typedef enum {
  MBEDTLS_SSL_KEY_EXPORT_TLS12_MASTER_SECRET = 0,
} mbedtls_ssl_key_export_type;

typedef enum {
  MBEDTLS_SSL_TLS_PRF_NONE,
  MBEDTLS_SSL_TLS_PRF_SHA384,
  MBEDTLS_SSL_TLS_PRF_SHA256,
} mbedtls_tls_prf_types;

typedef int mbedtls_ssl_send_t(void *ctx, const unsigned char *buf, size_t len);
typedef int mbedtls_ssl_recv_t(void *ctx, unsigned char *buf, size_t len);
typedef int mbedtls_ssl_recv_timeout_t(void *ctx, unsigned char *buf, size_t len, uint32_t timeout);
typedef void mbedtls_ssl_set_timer_t(void *ctx, uint32_t int_ms, uint32_t fin_ms);
typedef int mbedtls_ssl_get_timer_t(void *ctx);
typedef void mbedtls_ssl_export_keys_t(void *p_expkey, mbedtls_ssl_key_export_type type,
                                       const unsigned char *secret, size_t secret_len,
                                       const unsigned char client_random[32],
                                       const unsigned char server_random[32],
                                       mbedtls_tls_prf_types tls_prf_type);
typedef int mbedtls_ssl_cookie_write_t(void *ctx, unsigned char **p, unsigned char *end,
                                       const unsigned char *info, size_t ilen);
typedef int mbedtls_ssl_cookie_check_t(void *ctx, const unsigned char *cookie, size_t clen,
                                       const unsigned char *info, size_t ilen);

typedef struct mbedtls_ssl_config {
  const int *MBEDTLS_PRIVATE(ciphersuite_list);
  void *MBEDTLS_PRIVATE(p_cookie);
  uint32_t MBEDTLS_PRIVATE(hs_timeout_min);
  uint32_t MBEDTLS_PRIVATE(hs_timeout_max);
#if defined(MBEDTLS_SSL_DTLS_CONNECTION_ID)
  size_t MBEDTLS_PRIVATE(cid_len);
#endif
  unsigned int MBEDTLS_PRIVATE(endpoint) : 1;
} mbedtls_ssl_config;

typedef struct mbedtls_ssl_context {
  const mbedtls_ssl_config *MBEDTLS_PRIVATE(conf);
  int MBEDTLS_PRIVATE(state);
  unsigned char *MBEDTLS_PRIVATE(in_msg);
#if defined(MBEDTLS_SSL_DTLS_ANTI_REPLAY)
  uint64_t MBEDTLS_PRIVATE(in_window_top);
  uint64_t MBEDTLS_PRIVATE(in_window);
#endif
#if defined(MBEDTLS_SSL_DTLS_CONNECTION_ID)
  unsigned char MBEDTLS_PRIVATE(own_cid)[32];
  uint8_t MBEDTLS_PRIVATE(own_cid_len);
#endif
  /* Model: the real context reaches its PSA operations through the handshake and transform
   * pointers, whose layouts must match the library's all the same; embedding one here makes
   * sizeof show the crypto half of the chain. */
  psa_hash_operation_t MBEDTLS_PRIVATE(fin_hash);
} mbedtls_ssl_context;

void mbedtls_ssl_init(mbedtls_ssl_context *ssl);
void mbedtls_ssl_free(mbedtls_ssl_context *ssl);
int mbedtls_ssl_setup(mbedtls_ssl_context *ssl, const mbedtls_ssl_config *conf);
int mbedtls_ssl_session_reset(mbedtls_ssl_context *ssl);
int mbedtls_ssl_handshake(mbedtls_ssl_context *ssl);
int mbedtls_ssl_read(mbedtls_ssl_context *ssl, unsigned char *buf, size_t len);
int mbedtls_ssl_write(mbedtls_ssl_context *ssl, const unsigned char *buf, size_t len);
int mbedtls_ssl_close_notify(mbedtls_ssl_context *ssl);
int mbedtls_ssl_send_alert_message(mbedtls_ssl_context *ssl, unsigned char level, unsigned char message);
int mbedtls_ssl_check_pending(const mbedtls_ssl_context *ssl);
int mbedtls_ssl_get_record_expansion(const mbedtls_ssl_context *ssl);
int mbedtls_ssl_get_max_out_record_payload(const mbedtls_ssl_context *ssl);
const char *mbedtls_ssl_get_ciphersuite(const mbedtls_ssl_context *ssl);
int mbedtls_ssl_get_ciphersuite_id(const char *ciphersuite_name);
int mbedtls_ssl_set_hostname(mbedtls_ssl_context *ssl, const char *hostname);
int mbedtls_ssl_set_client_transport_id(mbedtls_ssl_context *ssl, const unsigned char *info, size_t ilen);
void mbedtls_ssl_set_bio(mbedtls_ssl_context *ssl, void *p_bio, mbedtls_ssl_send_t *f_send,
                         mbedtls_ssl_recv_t *f_recv, mbedtls_ssl_recv_timeout_t *f_recv_timeout);
void mbedtls_ssl_set_timer_cb(mbedtls_ssl_context *ssl, void *p_timer, mbedtls_ssl_set_timer_t *f_set_timer,
                              mbedtls_ssl_get_timer_t *f_get_timer);
void mbedtls_ssl_set_export_keys_cb(mbedtls_ssl_context *ssl, mbedtls_ssl_export_keys_t *f_export_keys,
                                    void *p_export_keys);

void mbedtls_ssl_config_init(mbedtls_ssl_config *conf);
void mbedtls_ssl_config_free(mbedtls_ssl_config *conf);
int mbedtls_ssl_config_defaults(mbedtls_ssl_config *conf, int endpoint, int transport, int preset);
void mbedtls_ssl_conf_authmode(mbedtls_ssl_config *conf, int authmode);
void mbedtls_ssl_conf_min_tls_version(mbedtls_ssl_config *conf, mbedtls_ssl_protocol_version tls_version);
void mbedtls_ssl_conf_max_tls_version(mbedtls_ssl_config *conf, mbedtls_ssl_protocol_version tls_version);
void mbedtls_ssl_conf_handshake_timeout(mbedtls_ssl_config *conf, uint32_t min, uint32_t max);
void mbedtls_ssl_conf_dtls_anti_replay(mbedtls_ssl_config *conf, char mode);
void mbedtls_ssl_conf_dtls_cookies(mbedtls_ssl_config *conf, mbedtls_ssl_cookie_write_t *f_cookie_write,
                                   mbedtls_ssl_cookie_check_t *f_cookie_check, void *p_cookie);
int mbedtls_ssl_conf_psk(mbedtls_ssl_config *conf, const unsigned char *psk, size_t psk_len,
                         const unsigned char *psk_identity, size_t psk_identity_len);
void mbedtls_ssl_conf_ca_chain(mbedtls_ssl_config *conf, mbedtls_x509_crt *ca_chain, mbedtls_x509_crl *ca_crl);
int mbedtls_ssl_conf_own_cert(mbedtls_ssl_config *conf, mbedtls_x509_crt *own_cert, mbedtls_pk_context *pk_key);
void mbedtls_ssl_conf_groups(mbedtls_ssl_config *conf, const uint16_t *groups);
void mbedtls_ssl_conf_sig_algs(mbedtls_ssl_config *conf, const uint16_t *sig_algs);
void mbedtls_ssl_conf_ciphersuites(mbedtls_ssl_config *conf, const int *ciphersuites);

/* CI layout check (test/device/mbedtls-config-chain.test.ts): the sizes a reference program
 * printed when compiled the way ESP-IDF compiles the library. A negative array size stops the
 * compile with the type's name (C99 has no _Static_assert message). */
#if defined(CI_STUB_IDF_SIZEOF_SSL_CONTEXT)
typedef char mbedtls_ssl_context_layout_differs_from_the_library_built_by_esp_idf
    [sizeof(mbedtls_ssl_context) == CI_STUB_IDF_SIZEOF_SSL_CONTEXT ? 1 : -1];
#endif
#if defined(CI_STUB_IDF_SIZEOF_SSL_CONFIG)
typedef char mbedtls_ssl_config_layout_differs_from_the_library_built_by_esp_idf
    [sizeof(mbedtls_ssl_config) == CI_STUB_IDF_SIZEOF_SSL_CONFIG ? 1 : -1];
#endif
#if defined(CI_STUB_IDF_SIZEOF_X509_CRT)
typedef char mbedtls_x509_crt_layout_differs_from_the_library_built_by_esp_idf
    [sizeof(mbedtls_x509_crt) == CI_STUB_IDF_SIZEOF_X509_CRT ? 1 : -1];
#endif
#if defined(CI_STUB_IDF_SIZEOF_PK_CONTEXT)
typedef char mbedtls_pk_context_layout_differs_from_the_library_built_by_esp_idf
    [sizeof(mbedtls_pk_context) == CI_STUB_IDF_SIZEOF_PK_CONTEXT ? 1 : -1];
#endif
#endif
