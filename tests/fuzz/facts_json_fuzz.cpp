// libFuzzer target: the facts JSON reader. Any input is a document or a FactsError; a document written
// back must read again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "importspy/facts/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto document = importspy::parse_facts_json(text, "fuzz.json");
    const std::string written = importspy::facts_to_json(document);
    try {
      (void)importspy::parse_facts_json(written, "written.json");
    } catch (const importspy::FactsError&) {
      std::abort();  // what we write, we must read
    }
  } catch (const importspy::FactsError& error) {
    (void)error.what();
  }
  return 0;
}
