#ifndef TRIBUTARY_COPENSSL_SHIM_H
#define TRIBUTARY_COPENSSL_SHIM_H
// Only SHA-256 from libcrypto: the low-level calls hash on a stack context (no allocation, SHA-NI when present).
// OpenSSL 3 marks them deprecated in favour of EVP, whose one-shot SHA256() fetches a provider per call (~10x
// slower for short inputs), so the deprecation attributes are suppressed for this header only.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <stddef.h>
#include <openssl/sha.h>

/// SHA-256 of `count` bytes at `data` into the 32 bytes at `digest`.
static inline void tributary_sha256(const void *data, size_t count, unsigned char *digest) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, count);
    SHA256_Final(digest, &context);
}
#endif
