// libFuzzer target: annotation normalisation. Canonical text must be a fixed point: normalising it again
// gives the same text, so equal annotations always compare equal.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "importspy/lang/annotation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  importspy::AnnotationSyntaxError error;
  if (const auto canonical = importspy::canonical_annotation(text, &error)) {
    const auto again = importspy::canonical_annotation(*canonical);
    if (!again || *again != *canonical) std::abort();
  } else if (error.offset > text.size()) {
    std::abort();  // an error must point inside the text
  }
  (void)importspy::canonical_annotation_or_text(text);
  return 0;
}
