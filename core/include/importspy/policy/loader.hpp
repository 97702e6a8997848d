#pragma once
// Policy text → Policy. Every problem is a PolicyError naming file, line and column, what was expected,
// what was found and how to fix it.

#include <filesystem>
#include <string>
#include <string_view>

#include "importspy/policy/policy.hpp"
#include "importspy/util/located_error.hpp"

namespace importspy::policy {

class PolicyError : public LocatedError {
public:
  PolicyError(std::string file, int line, int column, std::string message, std::string hint)
      : LocatedError(std::move(file), line, column, message), message_(std::move(message)), hint_(std::move(hint)) {}
  const std::string& message() const { return message_; }
  const std::string& hint() const { return hint_; }
  // `file:line:column: invalid policy: message (hint)`.
  std::string describe() const;

private:
  std::string message_;
  std::string hint_;
};

// True when `text` is YAML whose top level is a mapping with the key `schema_version`: the mark of a 0.5
// policy. False for anything else, including text that is not YAML (it is then read as a 0.4 contract).
bool is_policy_text(std::string_view text);

// Whether a policy must say `schema_version: 1`. ImportSpy 0.5.0 reads every contract as a policy, a 0.4
// contract (no `schema_version`) included; `optional` reads as it does, for a check made with 0.5's options.
enum class SchemaVersion { required, optional };

// Reads a 0.5 policy; `source` names it in errors and becomes Policy::source. Throws PolicyError.
Policy parse_policy(std::string_view text, std::string source, SchemaVersion schema_version = SchemaVersion::required);

// Reads the file (at most 4 MiB) and parses it. Throws PolicyError, also when it cannot be read.
Policy load_policy_file(const std::filesystem::path& path, std::string source, SchemaVersion schema_version = SchemaVersion::required);

}  // namespace importspy::policy
