#include "importspy/util/sha256.hpp"

#include <sodium.h>

#include <fstream>

namespace importspy {
namespace {

std::string hex(const unsigned char* digest, std::size_t length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (std::size_t i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

const unsigned char* bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

}  // namespace

std::string blake2b_hex(std::string_view data) {
  // No sodium_init() (as for SHA-256 here): it would pick a vectorised BLAKE2b, but costs about 100 µs in a
  // fresh process (processor probes), more than the portable implementation takes for a contract.
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, bytes(data), data.size(), nullptr, 0);
  return hex(digest, sizeof digest);
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, bytes(data), data.size());
  return hex(digest, sizeof digest);
}

std::optional<std::string> sha256_base64url_of_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  char block[1 << 16];
  while (in) {
    in.read(block, sizeof block);
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(block), static_cast<unsigned long long>(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char encoded[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(encoded, sizeof encoded, digest, sizeof digest, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(encoded);
}

std::string keyed_blake2b_hex(std::string_view key, std::string_view data) {
  unsigned char derived[crypto_generichash_BYTES];
  const unsigned char* key_bytes = bytes(key);
  std::size_t key_size = key.size();
  if (key_size < crypto_generichash_KEYBYTES_MIN || key_size > crypto_generichash_KEYBYTES_MAX) {
    crypto_generichash(derived, sizeof derived, key_bytes, key_size, nullptr, 0);
    key_bytes = derived;
    key_size = sizeof derived;
  }
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, bytes(data), data.size(), key_bytes, key_size);
  return hex(digest, sizeof digest);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0);
}

std::string random_hex(std::size_t count) {
  static const bool ready = sodium_init() >= 0;  // idempotent and thread-safe; picks the generator
  if (!ready) return {};
  std::string buffer(count, '\0');
  randombytes_buf(buffer.data(), buffer.size());
  return hex(bytes(buffer), buffer.size());
}

}  // namespace importspy
