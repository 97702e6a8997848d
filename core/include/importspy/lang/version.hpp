#pragma once
// PEP 440 versions and the version rules a contract can state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace importspy {

// A parsed PEP 440 version (normalised spellings accepted: v1.0, 1.0-1, 1.0.post1, 1.0RC1, 1!2.0+local).
struct Version {
  std::uint64_t epoch = 0;
  std::vector<std::uint64_t> release;
  // Pre-release phase: 0 = a, 1 = b, 2 = rc; absent when not a pre-release.
  std::optional<std::pair<int, std::uint64_t>> pre;
  std::optional<std::uint64_t> post;
  std::optional<std::uint64_t> dev;
  std::string local;  // lower-cased, separators normalised to '.'

  static std::optional<Version> parse(std::string_view text);
  bool is_prerelease() const { return pre.has_value() || dev.has_value(); }
  // PEP 440 ordering; the local label orders after the public version it decorates.
  int compare(const Version& other) const;
  int compare_public(const Version& other) const;  // ignores the local label
  std::string str() const;  // normalised spelling
};

// One clause of a specifier set: `>=3.10`, `==3.11.*`, `~=1.4`, `!=3.12.0`, `===foo`.
struct VersionClause {
  enum class Op { compatible, equal, not_equal, less_equal, greater_equal, less, greater, arbitrary };
  Op op = Op::equal;
  Version version;
  bool wildcard = false;  // `==X.*` / `!=X.*`
  std::string text;       // as written, for `===` and for messages

  // `actual_text` is the version as written, which `===` compares instead of the parsed form.
  bool matches(const Version& actual, std::string_view actual_text) const;
};

// What a contract's `version:` says. A bare version (`3.11`) matches every version it is a release
// prefix of (3.11, 3.11.0, 3.11.7; `3.11.7` matches only 3.11.7); a specifier set (`>=3.10,<3.13`) is
// matched by PEP 440 rules. Pre-releases of the running version are accepted: the check concerns what is
// installed, not what an installer may pick. A bare version that is not PEP 440 matches its exact text.
class VersionRule {
public:
  // nullopt and `error` filled when `text` is a specifier set that does not parse.
  static std::optional<VersionRule> parse(std::string_view text, std::string* error = nullptr);

  bool matches(std::string_view actual) const;
  // The same, for a version parsed once by the caller (nullopt: `actual_text` is not PEP 440).
  bool matches(const std::optional<Version>& actual, std::string_view actual_text) const;
  bool is_specifier_set() const { return !clauses_.empty(); }
  bool is_pep440() const { return bare_.has_value() || !clauses_.empty(); }
  const std::string& text() const { return text_; }

private:
  std::string text_;
  std::optional<Version> bare_;
  std::vector<VersionClause> clauses_;
};

}  // namespace importspy
