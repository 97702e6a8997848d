// libFuzzer target: PEP 440 versions and version specifiers. Parsing never throws; a rule that parses
// can be evaluated against any version that parses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "importspy/lang/version.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The first line is a specifier, the rest a version: both parsers see every input.
  const size_t cut = text.find('\n');
  const std::string_view rule_text = text.substr(0, cut);
  const std::string_view version_text = cut == std::string_view::npos ? text : text.substr(cut + 1);
  std::string error;
  const auto rule = importspy::VersionRule::parse(rule_text, &error);
  const auto version = importspy::Version::parse(version_text);
  if (version) {
    // A normalised spelling reads back as an equal version.
    const auto again = importspy::Version::parse(version->str());
    if (!again || again->compare(*version) != 0) std::abort();
  }
  if (rule) {
    (void)rule->matches(version, version_text);
    (void)rule->matches(version_text);
  }
  return 0;
}
