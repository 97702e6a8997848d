// Test-only robustness driver: for each file path on standard input, reads the file, then reads many
// damaged copies of it (truncated, with bytes removed, with Python punctuation inserted) and checks
// that the reader either gives facts or raises SourceReadError: never another exception, and never a
// crash (run it under -fsanitize=address,undefined). Prints a summary; exit 1 on any other outcome.
// Usage: fuzz_reader [--variants N] < files.txt
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>

#include "importspy/source/reader.hpp"
#include "importspy/source/source_error.hpp"

int main(int argc, char** argv) {
  int variants = 24;
  if (argc > 2 && std::string(argv[1]) == "--variants") variants = std::stoi(argv[2]);
  const std::string punctuation = "()[]{}:;,.=@#'\"\\\n\t  fbr*-<>!\r\x80\xC3";
  std::mt19937 random(12);  // deterministic: a failure can be reproduced
  std::size_t runs = 0, facts = 0, errors = 0, failures = 0;
  importspy::ReadOptions with_target;
  with_target.target.emplace();
  std::string path;
  while (std::getline(std::cin, path)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string original = buffer.str();
    for (int v = 0; v < variants; ++v) {
      std::string text = original;
      const std::size_t size = text.size();
      const std::size_t at = size == 0 ? 0 : random() % size;
      switch (v % 3) {
        case 0: text.resize(at); break;
        case 1: text.erase(at, 1 + random() % 16); break;
        default:
          for (int k = 0; k < 3; ++k) text.insert(std::min(text.size(), static_cast<std::size_t>(random() % (size + 1))), 1, punctuation[random() % punctuation.size()]);
      }
      ++runs;
      try {
        const importspy::ModuleFacts result = importspy::read_module_source(text, path, "pkg.mod", v % 2 ? with_target : importspy::ReadOptions{});
        ++facts;
      } catch (const importspy::SourceReadError& e) {
        ++errors;
        if (e.line() < 0 || e.column() < 0) {
          ++failures;
          std::printf("BAD PLACE %s variant %d: %s\n", path.c_str(), v, e.what());
        }
      } catch (const std::exception& e) {
        ++failures;
        std::printf("FAILURE %s variant %d: %s\n", path.c_str(), v, e.what());
      }
    }
  }
  std::printf("runs %zu facts %zu source errors %zu failures %zu\n", runs, facts, errors, failures);
  return failures == 0 ? 0 : 1;
}
