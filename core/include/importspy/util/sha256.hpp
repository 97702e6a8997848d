#pragma once
// SHA-256, BLAKE2b (plain and keyed) and secret keys, from libsodium.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace importspy {

// SHA-256 of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

// BLAKE2b-256 of `data` as 64 lowercase hex digits: as collision-resistant as SHA-256, and about three
// times cheaper in libsodium's portable code. For lookup keys on a cold path; formats that name SHA-256
// keep it.
std::string blake2b_hex(std::string_view data);

// SHA-256 of a file's contents (read in blocks) in RECORD's form: URL-safe base64 without padding
// (PEP 376). nullopt when the file cannot be read.
std::optional<std::string> sha256_base64url_of_file(const std::filesystem::path& path);

// Keyed BLAKE2b-256 of `data` (RFC 7693's MAC mode), as 64 lowercase hex digits: a MAC as strong as
// HMAC-SHA256 at about a quarter of its cost in libsodium's portable code, for entries authenticated on
// a cold path. A key of 16 to 64 bytes is used as it is; any other is hashed to 32 bytes first.
std::string keyed_blake2b_hex(std::string_view key, std::string_view data);

// Whether two strings are equal, in time that depends only on their lengths (for comparing MACs).
bool constant_time_equal(std::string_view a, std::string_view b);

// `bytes` bytes from the operating system's cryptographically secure generator, as 2 × `bytes` hex digits.
std::string random_hex(std::size_t bytes);

}  // namespace importspy
