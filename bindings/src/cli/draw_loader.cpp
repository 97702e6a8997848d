#include "cli/draw_loader.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>

namespace importspy::cli {
namespace {

using DrawGraph = int (*)(const GraphPicture*, const char*, std::string*);

// libimportspy-draw.so beside the extension (the installed package's folder, or the build tree's).
DrawGraph load() {
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&draw_graph), &self) == 0 || !self.dli_fname)
    throw std::runtime_error("the extension's own file cannot be found, so neither can libimportspy-draw.so beside it");
  const std::filesystem::path module = std::filesystem::path(self.dli_fname).parent_path() / "libimportspy-draw.so";
  void* handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    throw std::runtime_error("the graph's pictures need " + module.string() + ", which cannot be loaded (" + dlerror() +
                             "); reinstall ImportSpy, or use --format dot or json");
  auto* entry = reinterpret_cast<DrawGraph>(dlsym(handle, "importspy_draw_graph"));
  if (!entry) throw std::runtime_error(module.string() + " has no importspy_draw_graph: it belongs to another ImportSpy build; reinstall ImportSpy");
  return entry;  // kept loaded for the life of the process
}

}  // namespace

std::string draw_graph(const GraphPicture& picture, const std::string& format) {
  static std::once_flag once;
  static DrawGraph entry = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    try {
      entry = load();
    } catch (const std::runtime_error& error) {
      failure = error.what();
    }
  });
  if (!entry) throw std::runtime_error(failure);
  std::string out;
  if (entry(&picture, format.c_str(), &out) != 0) throw std::runtime_error(out);
  return out;
}

}  // namespace importspy::cli
