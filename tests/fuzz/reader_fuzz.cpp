// libFuzzer target: the reader of Python source (decoder, tokenizer, statement reader, class completion).
// Any input gives module facts or a SourceReadError with a place; anything else (another exception, a
// crash, a hang, a sanitizer report) is a finding. Each input is read twice: with the target environment
// undecided and with one decided, since the two take different paths through conditional definitions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "importspy/source/reader.hpp"
#include "importspy/source/source_error.hpp"

namespace {

void read_once(std::string_view bytes, const importspy::ReadOptions& options) {
  try {
    const importspy::ModuleFacts facts = importspy::read_module_source(bytes, "fuzz.py", "pkg.fuzz", options);
    for (const auto& cls : facts.classes) {
      // Every class has a method resolution order past itself: at least `object`.
      if (cls.superclasses.empty()) std::abort();
    }
  } catch (const importspy::SourceReadError& error) {
    if (error.file() != "fuzz.py" || error.line() < 0 || error.column() < 0) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const importspy::ReadOptions undecided = [] {
    importspy::ReadOptions o;
    o.file_sha256 = false;
    return o;
  }();
  static const importspy::ReadOptions linux_313 = [] {
    importspy::ReadOptions o;
    o.file_sha256 = false;
    importspy::TargetEnvironment env;
    env.sys_platform = "linux", env.os_name = "posix", env.platform_system = "Linux";
    env.python_major = 3, env.python_minor = 13, env.python_micro = 0;
    o.target = env;
    return o;
  }();
  read_once(bytes, undecided);
  read_once(bytes, linux_313);
  return 0;
}
