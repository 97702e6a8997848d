// libFuzzer target: contract text → compiled contract. Any input either compiles or is a ContractError;
// anything else (a crash, another exception, a sanitizer report, a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "importspy/contract/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  importspy::ContractLimits limits;
  limits.max_bytes = 1u << 16;
  try {
    auto contract = importspy::parse_contract(text, "fuzz.yml", limits);
    (void)contract->is_secret("X");
  } catch (const importspy::ContractError& error) {
    (void)error.what();
  }
  return 0;
}
