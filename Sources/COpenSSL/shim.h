#ifndef TRIBUTARY_COPENSSL_SHIM_H
#define TRIBUTARY_COPENSSL_SHIM_H
// Only SHA-256 from libcrypto: the low-level calls hash on a stack context (no allocation, SHA-NI when present).
// OpenSSL 3 marks them deprecated in favour of EVP, whose one-shot SHA256() fetches a provider per call (~10x
// slower for short inputs), so the deprecation attributes are suppressed for this header only.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <stddef.h>
#include <string.h>
#include <openssl/sha.h>

/// SHA-256 of `count` bytes at `data` into the 32 bytes at `digest`, through the Update/Final buffering.
static inline void tributary_sha256_buffered(const void *data, size_t count, unsigned char *digest) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, count);
    SHA256_Final(digest, &context);
}

/// SHA-256 of `count` bytes at `data` into the 32 bytes at `digest`. Inputs of at most 55 bytes (MST keys) fit one
/// padded block, which is padded here and compressed with one call, skipping the Update/Final buffering (a
/// verification hashes dozens of keys); longer ones take `tributary_sha256_buffered`.
static inline void tributary_sha256(const void *data, size_t count, unsigned char *digest) {
    if (count > 55) {
        tributary_sha256_buffered(data, count, digest);
        return;
    }
    unsigned char block[64];
    memcpy(block, data, count);
    block[count] = 0x80;
    memset(block + count + 1, 0, 63 - count);
    unsigned long long bits = (unsigned long long)count * 8;
    for (int index = 0; index < 8; index++) block[63 - index] = (unsigned char)(bits >> (8 * index));
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Transform(&context, block);
    for (int word = 0; word < 8; word++) {
        unsigned int value = context.h[word];
        digest[4 * word] = (unsigned char)(value >> 24);
        digest[4 * word + 1] = (unsigned char)(value >> 16);
        digest[4 * word + 2] = (unsigned char)(value >> 8);
        digest[4 * word + 3] = (unsigned char)value;
    }
}
#endif
