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

}  // namespace

BENCHMARK_MAIN();
