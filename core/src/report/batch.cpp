#include "importspy/report/batch.hpp"

namespace importspy {

std::size_t BatchResult::errors() const {
  std::size_t n = 0;
  for (const auto& r : results) n += r.error ? 1 : 0;
  return n;
}

std::size_t BatchResult::violating() const {
  std::size_t n = 0;
  for (const auto& r : results) n += (!r.error && r.report && !r.report->ok()) ? 1 : 0;
  return n;
}

std::size_t BatchResult::violation_count() const {
  std::size_t n = 0;
  for (const auto& r : results) n += r.report ? r.report->violations.size() : 0;
  return n;
}

int BatchResult::exit_status() const {
  if (errors() > 0) return 2;
  return violating() > 0 ? 1 : 0;
}

}  // namespace importspy
