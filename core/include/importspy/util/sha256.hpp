#pragma once
// SHA-256 and HMAC-SHA256, from libsodium.

#include <string>
#include <string_view>

namespace importspy {

// SHA-256 of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

// HMAC-SHA256 of `data` under `key` (any length), as 64 lowercase hex digits.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Whether two strings are equal, in time that depends only on their lengths (for comparing MACs).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace importspy
