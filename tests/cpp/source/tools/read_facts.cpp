// Test-only driver for tests/corpus/reader_differential.py: reads file paths on standard input, one a
// line, and prints for each "FILE <path>" then one line of facts JSON (docs/facts-format.md), or
// "ERROR <line> <column> <message>". Options: --platform P --python 3.N (decide platform and version
// branches for that target), --time (print only bytes, files and seconds), --no-hash (no file SHA-256).
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "importspy/facts/json.hpp"
#include "importspy/source/reader.hpp"
#include "importspy/source/source_error.hpp"

// The facts JSON with the module's imports added under "imports" (facts JSON leaves them out): each
// [module, name, alias, line, lazy, type_checking, in_class, main_guard]. Module names and aliases are identifiers and dots:
// nothing to escape.
std::string with_imports(std::string json, const std::vector<importspy::ImportFact>& imports) {
  std::string list = ",\"imports\":[";
  for (std::size_t i = 0; i < imports.size(); ++i) {
    const importspy::ImportFact& f = imports[i];
    if (i) list += ',';
    list += "[\"" + f.module + "\",\"" + f.name + "\",\"" + f.alias + "\"," + std::to_string(f.line) + ',' + (f.lazy ? "true" : "false") + ',' +
            (f.type_checking ? "true" : "false") + ',' + (f.in_class ? "true" : "false") + ',' + (f.main_guard ? "true" : "false") + ']';
  }
  list += ']';
  json.insert(json.rfind('}'), list);
  return json;
}

int main(int argc, char** argv) {
  importspy::ReadOptions options;
  bool timing = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--time") {
      timing = true;
    } else if (arg == "--no-hash") {
      options.file_sha256 = false;
    } else if (arg == "--platform" && i + 1 < argc) {
      if (!options.target) options.target.emplace();
      options.target->sys_platform = argv[++i];
      options.target->os_name = options.target->sys_platform == "win32" ? "nt" : "posix";
      options.target->platform_system = options.target->sys_platform == "win32" ? "Windows" : options.target->sys_platform == "darwin" ? "Darwin" : "Linux";
    } else if (arg == "--python" && i + 1 < argc) {
      if (!options.target) options.target.emplace();
      const std::string v = argv[++i];
      options.target->python_major = std::stoi(v.substr(0, v.find('.')));
      options.target->python_minor = std::stoi(v.substr(v.find('.') + 1));
    }
  }
  std::string path, out;
  double seconds = 0;
  std::size_t bytes = 0, files = 0, errors = 0;
  const std::clock_t cpu_start = std::clock();  // CPU time: the machine may be shared; file reading included
  while (std::getline(std::cin, path)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string data = buffer.str();
    const auto t0 = std::chrono::steady_clock::now();
    std::string line;
    try {
      importspy::FactsDocument document{importspy::read_module_source(data, path, "", options), std::nullopt};
      if (!timing) line = with_imports(importspy::facts_to_json(document), document.module.imports);
    } catch (const importspy::SourceReadError& e) {
      ++errors;
      line = "ERROR " + std::to_string(e.line()) + ' ' + std::to_string(e.column()) + ' ' + e.message();
    } catch (const std::exception& e) {
      ++errors;
      line = "ERROR 0 0 internal error: " + std::string(e.what());
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bytes += data.size();
    ++files;
    if (!timing) {
      for (char& c : line) {
        if (c == '\n') c = ' ';
      }
      out += "FILE " + path + "\n" + line + "\n";
      if (out.size() > (1 << 20)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (timing) {
    std::printf("files %zu errors %zu bytes %zu seconds %.6f cpu_seconds %.6f\n", files, errors, bytes, seconds,
                static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
  }
}
