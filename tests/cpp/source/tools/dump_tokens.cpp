// Test-only driver for tests/corpus/tokenizer_differential.py: reads file paths on standard input, one a
// line, and prints for each "FILE <path>", then "<TYPE> <begin> <end>" per token (byte offsets into
// the decoded UTF-8 text; TYPE as token.tok_name with exact operator names), then "END", or
// "ERROR <line> <column> <message>" when the file cannot be decoded or tokenized.
// With --time it prints only the total bytes and seconds spent decoding and tokenizing.
// With --nfkc it reads identifiers instead, one a line, and prints the NFKC form of each
// (tests/corpus/nfkc_differential.py).
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "importspy/lang/identifier.hpp"
#include "importspy/source/decode.hpp"
#include "importspy/source/source_error.hpp"
#include "importspy/source/tokenizer.hpp"

int main(int argc, char** argv) {
  const bool timing = argc > 1 && std::string(argv[1]) == "--time";
  if (argc > 1 && std::string(argv[1]) == "--nfkc") {
    std::string name, normal;
    while (std::getline(std::cin, name)) {
      normal += importspy::identifier_nfkc(name);
      normal += '\n';
    }
    std::fwrite(normal.data(), 1, normal.size(), stdout);
    return 0;
  }
  std::string path;
  std::string out;
  double seconds = 0;
  std::size_t bytes = 0, tokens = 0;
  const std::clock_t cpu_start = std::clock();  // CPU time: the machine may be shared; file reading included
  while (std::getline(std::cin, path)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string data = buffer.str();
    const auto t0 = std::chrono::steady_clock::now();
    if (!timing) out += "FILE " + path + "\n";
    try {
      const importspy::DecodedSource source = importspy::decode_source(data, path);
      importspy::Tokenizer tokenizer(source.text(), path, source.utf8_unchecked());
      while (true) {
        const importspy::Token t = tokenizer.next();
        ++tokens;
        if (!timing) {
          out += importspy::token_exact_name(t.kind);
          out += ' ' + std::to_string(t.begin) + ' ' + std::to_string(t.end) + '\n';
        }
        if (t.kind == importspy::TokenKind::end_marker) break;
      }
      if (!timing) out += "END\n";
    } catch (const importspy::SourceReadError& e) {
      if (!timing) out += "ERROR " + std::to_string(e.line()) + ' ' + std::to_string(e.column()) + ' ' + e.message() + "\n";
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bytes += data.size();
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (timing) {
    std::printf("bytes %zu tokens %zu seconds %.6f cpu_seconds %.6f\n", bytes, tokens, seconds,
                static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
  }
}
