// Load and check of the bundled example contract, and the serial steps of a batch (discovery of the
// files named on the command line, the JSON report). Run: build/bench/importspy_core_bench
// Report ratios measured in one run (the machine is shared); see bench/README.md.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "importspy/check/checker.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/facts/json.hpp"
#include "importspy/project/target_discovery.hpp"
#include "importspy/render/batch.hpp"
#include "importspy/render/report.hpp"
#include "importspy/source/reader.hpp"
#include "importspy/source/source_error.hpp"

namespace {

namespace fs = std::filesystem;
using namespace importspy;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const fs::path kExample = fs::path(IMPORTSPY_SOURCE_DIR) / "examples" / "plugin_host";

const std::string& contract_text() {
  static const std::string text = read_file(kExample / "spymodel.yml");
  return text;
}

const FactsDocument& facts(const char* name) {
  static std::map<std::string, FactsDocument> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, parse_facts_json(read_file(kExample / "facts" / name), name)).first;
  return it->second;
}

// A copy of the contract whose timestamp is old enough for the cache to trust it, as a file in
// a real project would be.
fs::path aged_contract_copy() {
  const fs::path path = fs::temp_directory_path() / "importspy_bench_spymodel.yml";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contract_text();
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::hours(1));
  return path;
}

void BM_CompileContract(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(parse_contract(contract_text(), "spymodel.yml"));
}
BENCHMARK(BM_CompileContract);

void BM_LoadContractFileUncached(benchmark::State& state) {
  const fs::path path = aged_contract_copy();
  for (auto _ : state) benchmark::DoNotOptimize(load_contract_file(path));
}
BENCHMARK(BM_LoadContractFileUncached);

void BM_LoadContractFileCached(benchmark::State& state) {
  const fs::path path = aged_contract_copy();
  ContractCache cache;
  cache.load(path);
  for (auto _ : state) benchmark::DoNotOptimize(cache.load(path));
}
BENCHMARK(BM_LoadContractFileCached);

void BM_CheckCompliant(benchmark::State& state) {
  auto contract = parse_contract(contract_text(), "spymodel.yml");
  const FactsDocument& doc = facts("good.json");
  for (auto _ : state) benchmark::DoNotOptimize(check(*contract, *doc.environment, doc.module));
}
BENCHMARK(BM_CheckCompliant);

void BM_CheckViolating(benchmark::State& state) {
  auto contract = parse_contract(contract_text(), "spymodel.yml");
  const FactsDocument& doc = facts("bad.json");
  for (auto _ : state) benchmark::DoNotOptimize(check(*contract, *doc.environment, doc.module));
}
BENCHMARK(BM_CheckViolating);

void BM_CheckViolatingAndRenderJson(benchmark::State& state) {
  auto contract = parse_contract(contract_text(), "spymodel.yml");
  const FactsDocument& doc = facts("bad.json");
  for (auto _ : state) benchmark::DoNotOptimize(render_json(check(*contract, *doc.environment, doc.module)));
}
BENCHMARK(BM_CheckViolatingAndRenderJson);

// 2,000 modules named by absolute path outside the working directory, as a shell glob or `find` gives them:
// discovery runs in the main thread before any worker starts, so its cost is serial in every batch.
const std::vector<std::string>& named_files() {
  static const std::vector<std::string> files = [] {
    const fs::path root = fs::temp_directory_path() / "importspy_bench_tree";
    std::vector<std::string> paths;
    for (int package = 0; package < 40; ++package) {
      const fs::path folder = root / "lib" / ("package_" + std::to_string(package)) / "sub";
      fs::create_directories(folder);
      for (int module = 0; module < 50; ++module) {
        const fs::path file = folder / ("module_" + std::to_string(module) + ".py");
        if (!fs::exists(file)) std::ofstream(file) << "value = 1\n";
        paths.push_back(file.string());
      }
    }
    return paths;
  }();
  return files;
}

void BM_DiscoverNamedFiles(benchmark::State& state) {
  const std::vector<std::string>& files = named_files();
  const DiscoveryOptions options{.jobs = static_cast<int>(state.range(0))};  // -j
  for (auto _ : state) benchmark::DoNotOptimize(discover_targets(files, options));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * files.size()));
}
BENCHMARK(BM_DiscoverNamedFiles)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_RenderBatchJson(benchmark::State& state) {
  BatchResult batch;
  for (const auto& file : named_files()) batch.results.push_back({file, file, "contract.yml", Report{}, std::nullopt, false, {}});
  for (auto _ : state) benchmark::DoNotOptimize(render_batch_json(batch));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch.results.size()));
}
BENCHMARK(BM_RenderBatchJson)->Unit(benchmark::kMillisecond);


// Hostile shapes of valid Python (and some CPython refuses for depth, which the reader must still read
// or refuse in linear time, never crash): one module of `size` bytes per shape, read by the C++ reader
// for a Linux target. Compare the 8 and 16 MiB rows of a shape: linear cost doubles.
//   build/bench/importspy_core_bench --benchmark_filter=HostileShape
std::string fill(std::string_view head, std::string_view unit, std::string_view tail, std::size_t size) {
  std::string out(head);
  while (out.size() + unit.size() + tail.size() <= size) out += unit;
  out += tail;
  return out;
}

std::string numbered(std::string_view head, const char* format, std::size_t size) {
  std::string out(head);
  char line[160];
  for (int i = 0; out.size() < size; ++i) {
    std::snprintf(line, sizeof line, format, i, i);
    out += line;
  }
  return out;
}

const std::vector<std::pair<std::string, std::string (*)(std::size_t)>>& hostile_shapes() {
  static const std::vector<std::pair<std::string, std::string (*)(std::size_t)>> shapes = {
      {"imports_then_conditions", [](std::size_t n) { return numbered("", "import m%d\nif m%d.x == 'win32':\n    W = 1\n", n); }},
      {"eq_chain", [](std::size_t n) { return fill("import sys\nX = ", "sys.platform == 'linux' == ", "sys.platform\n", n); }},
      {"or_chain", [](std::size_t n) { return fill("import sys\nif ", "sys.platform == 'win32' or ", "False:\n    W = 1\n", n); }},
      {"and_chain", [](std::size_t n) { return fill("X = ", "a and ", "b\n", n); }},
      {"not_chain", [](std::size_t n) { return fill("import sys\nif ", "not ", "sys.platform == 'linux':\n    W = 1\n", n); }},
      {"lower_chain", [](std::size_t n) { return fill("import sys\nif sys.platform", ".lower()", " == 'linux':\n    W = 1\n", n); }},
      {"subscript_chain", [](std::size_t n) { return fill("import sys\nif sys.platform", "[0:]", " == 'linux':\n    W = 1\n", n); }},
      {"dotted_condition", [](std::size_t n) { return fill("import sys\nif sys", ".a", " == 1:\n    W = 1\n", n); }},
      {"elif", [](std::size_t n) { return fill("import sys\nif sys.platform == 'x':\n    pass\n", "elif sys.platform == 'y':\n    W = 1\n", "", n); }},
      {"unary_minus_chain", [](std::size_t n) { return fill("X = ", "-", "1\n", n); }},
      {"call_chain", [](std::size_t n) { return fill("X = f", "()", "\n", n); }},
      {"nested_parentheses_lines", [](std::size_t n) { return fill("", "x = ((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))\n", "", n); }},
      {"long_string", [](std::size_t n) { return "X = '" + std::string(n, 'a') + "'\n"; }},
      {"long_number", [](std::size_t n) { return "X = " + std::string(n, '9') + "\n"; }},
      {"long_list", [](std::size_t n) { return fill("X = [", "1, ", "1]\n", n); }},
      {"long_dict", [](std::size_t n) { return numbered("X = {\n", "    'k%d': %d,\n", n) + "}\n"; }},
      {"decorators", [](std::size_t n) { return fill("", "@d\n", "def f(): pass\n", n); }},
      {"classes", [](std::size_t n) { return numbered("", "class C%d(Base):\n    def m(self): self.a%d = 1\n", n); }},
      {"methods", [](std::size_t n) { return numbered("class C:\n", "    def m%d(self, a, b=1, *c, d: int = 2, **e) -> int: self.a%d = 1\n", n); }},
      {"functions", [](std::size_t n) { return numbered("", "def f%d(a, b=1, *c, d: int = 2, **e) -> int: return %d\n", n); }},
      {"nested_blocks", [](std::size_t n) {
         std::string head;
         for (int i = 0; i < 99; ++i) head += std::string(4 * i, ' ') + "if x:\n";
         return fill(head + std::string(4 * 99, ' ') + "pass\n", "x = 1\n", "", n);
       }},
      {"rebindings", [](std::size_t n) { return fill("import sys\n", "for sys in x: pass\nwith a as (b, sys): pass\n(sys := 1)\n", "", n); }},
  };
  return shapes;
}

void BM_ReadHostileShape(benchmark::State& state) {
  const auto& [name, make] = hostile_shapes()[static_cast<std::size_t>(state.range(0))];
  const std::string source = make(static_cast<std::size_t>(state.range(1)) << 20);
  ReadOptions options;
  options.target = TargetEnvironment{};
  options.target->sys_platform = "linux";
  std::string outcome = "read";
  for (auto _ : state) {
    try {
      benchmark::DoNotOptimize(read_module_source(source, "hostile.py", "hostile", options));
    } catch (const SourceReadError& error) {
      outcome = "refused";  // a clear error is an answer too
    }
  }
  state.SetLabel(name + " (" + outcome + ")");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * source.size()));
}
BENCHMARK(BM_ReadHostileShape)
    ->ArgsProduct({benchmark::CreateDenseRange(0, 21, 1), {8, 16}})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
