#include "importspy/render/merge.hpp"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

namespace importspy {
namespace {

using json = nlohmann::json;

enum class Format { json_batch, sarif, junit };

struct Shard {
  std::size_t index = 0, count = 0;
  const ShardOutput* input = nullptr;
  json document;  // JSON and SARIF
};

[[noreturn]] void fail(const std::string& file, const std::string& message) { throw LocatedError(file, 0, 0, file + ": " + message); }

std::optional<std::pair<std::size_t, std::size_t>> parse_marker(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  try {
    const std::size_t index = std::stoul(text.substr(0, slash)), count = std::stoul(text.substr(slash + 1));
    if (index < 1 || index > count) return std::nullopt;
    return std::pair{index, count};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string attribute(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const std::size_t at = tag.find(key);
  if (at == std::string::npos) return {};
  const std::size_t begin = at + key.size();
  return tag.substr(begin, tag.find('"', begin) - begin);
}

std::size_t count_of(const std::string& tag, const std::string& name) {
  const std::string value = attribute(tag, name);
  return value.empty() ? 0 : std::stoul(value);
}

// The test cases of one JUnit shard (the text between its <testsuite> and </testsuite>) and its counts.
struct JunitShard {
  std::string cases;
  std::size_t tests = 0, failures = 0, errors = 0;
};

JunitShard junit_body(const ShardOutput& input, std::pair<std::size_t, std::size_t>& marker) {
  const std::size_t open = input.text.find("<testsuite ");
  const std::size_t open_end = open == std::string::npos ? open : input.text.find('>', open);
  const std::size_t close = input.text.rfind("</testsuite>");
  if (open_end == std::string::npos || close == std::string::npos || close < open_end) fail(input.file, "not a JUnit report of `importspy check`");
  const std::string tag = input.text.substr(open, open_end - open);
  const std::string name = attribute(tag, "name");
  const std::string prefix = "importspy shard ";
  const auto parsed = name.starts_with(prefix) ? parse_marker(name.substr(prefix.size())) : std::nullopt;
  if (!parsed) fail(input.file, "this JUnit report records no shard; write it with `importspy check --shard I/N --format junit`");
  marker = *parsed;
  JunitShard out;
  out.cases = input.text.substr(open_end + 1, close - open_end - 1);
  while (!out.cases.empty() && out.cases.front() == '\n') out.cases.erase(0, 1);
  while (!out.cases.empty() && out.cases.back() == ' ') out.cases.pop_back();
  out.tests = count_of(tag, "tests"), out.failures = count_of(tag, "failures"), out.errors = count_of(tag, "errors");
  return out;
}

int status_of(std::size_t violating, std::size_t errors) { return errors > 0 ? 2 : violating > 0 ? 1 : 0; }

// Orders shards by index and checks that they are the N shards of one split.
template <typename T>
void order(std::vector<T>& shards, const std::function<const std::string&(const T&)>& file_of) {
  std::sort(shards.begin(), shards.end(), [](const T& a, const T& b) { return a.index < b.index; });
  const std::size_t count = shards.front().count;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    if (shards[i].count != count) fail(file_of(shards[i]), "shard " + std::to_string(shards[i].index) + "/" + std::to_string(shards[i].count) +
                                                              " is not of the same split as " + file_of(shards.front()) + " (" + std::to_string(count) + " shards)");
    if (i > 0 && shards[i].index == shards[i - 1].index) fail(file_of(shards[i]), "shard " + std::to_string(shards[i].index) + " is given twice (also " + file_of(shards[i - 1]) + ")");
  }
  for (std::size_t expected = 1, i = 0; expected <= count; ++expected) {
    if (i < shards.size() && shards[i].index == expected) {
      ++i;
      continue;
    }
    fail(file_of(shards.front()), "shard " + std::to_string(expected) + "/" + std::to_string(count) + " is missing; give the outputs of all " + std::to_string(count) + " shards");
  }
}

}  // namespace

MergedOutput merge_shard_outputs(const std::vector<ShardOutput>& inputs) {
  if (inputs.empty()) throw LocatedError("", 0, 0, "no shard output given");
  const auto format_of = [](const ShardOutput& input) {
    const std::size_t first = input.text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && input.text[first] == '<') return Format::junit;
    if (first != std::string::npos && input.text[first] == '{') return input.text.find("\"runs\"") != std::string::npos ? Format::sarif : Format::json_batch;
    fail(input.file, "not a JSON, SARIF or JUnit output of `importspy check`");
  };
  const Format format = format_of(inputs.front());
  for (const auto& input : inputs) {
    if (format_of(input) != format) fail(input.file, "this output is not in the format of " + inputs.front().file + "; merge outputs of one format");
  }

  if (format == Format::junit) {
    struct Item {
      std::size_t index, count;
      const ShardOutput* input;
      JunitShard body;
    };
    std::vector<Item> items;
    for (const auto& input : inputs) {
      std::pair<std::size_t, std::size_t> marker;
      JunitShard body = junit_body(input, marker);
      items.push_back({marker.first, marker.second, &input, std::move(body)});
    }
    order<Item>(items, [](const Item& i) -> const std::string& { return i.input->file; });
    std::size_t tests = 0, failures = 0, errors = 0;
    std::string cases;
    for (const auto& item : items) {
      tests += item.body.tests, failures += item.body.failures, errors += item.body.errors;
      cases += item.body.cases;
    }
    const std::string counts = "tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\"";
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites name=\"importspy\" " + counts + ">\n";
    out += "  <testsuite name=\"importspy\" " + counts + " skipped=\"0\">\n" + cases + "  </testsuite>\n</testsuites>\n";
    return {out, status_of(failures, errors)};
  }

  std::vector<Shard> shards;
  for (const auto& input : inputs) {
    Shard shard;
    shard.input = &input;
    try {
      shard.document = json::parse(input.text);
    } catch (const json::exception& error) {
      fail(input.file, std::string("not valid JSON: ") + error.what());
    }
    std::optional<std::pair<std::size_t, std::size_t>> marker;
    if (format == Format::json_batch && shard.document.contains("shard") && shard.document["shard"].is_string()) marker = parse_marker(shard.document["shard"]);
    if (format == Format::sarif) {
      const json* run = shard.document.contains("runs") && shard.document["runs"].is_array() && !shard.document["runs"].empty() ? &shard.document["runs"][0] : nullptr;
      if (run && run->contains("properties") && (*run)["properties"].contains("shard") && (*run)["properties"]["shard"].is_string()) marker = parse_marker((*run)["properties"]["shard"]);
    }
    if (!marker) fail(input.file, "this output records no shard; write it with `importspy check --shard I/N --format json|sarif|junit`");
    shard.index = marker->first, shard.count = marker->second;
    shards.push_back(std::move(shard));
  }
  order<Shard>(shards, [](const Shard& s) -> const std::string& { return s.input->file; });

  if (format == Format::json_batch) {
    json targets = json::array();
    json summary = {{"targets", 0}, {"compliant", 0}, {"violating", 0}, {"errors", 0}, {"violations", 0}};
    json left_out = json::array();  // what folders left out: recorded by shard 1 alone
    for (auto& shard : shards) {
      for (auto& t : shard.document.at("targets")) targets.push_back(std::move(t));
      if (shard.document.contains("left_out") && shard.document["left_out"].is_array()) {
        for (auto& m : shard.document["left_out"]) left_out.push_back(std::move(m));
      }
      for (auto& [key, value] : summary.items()) value = value.get<std::size_t>() + shard.document.at("summary").at(key).get<std::size_t>();
    }
    const std::size_t violating = summary["violating"], errors = summary["errors"];
    json out = {{"ok", violating == 0 && errors == 0}, {"summary", std::move(summary)}, {"targets", std::move(targets)}};
    if (!left_out.empty()) out["left_out"] = std::move(left_out);
    return {out.dump(2, ' ', false, json::error_handler_t::replace) + "\n", status_of(violating, errors)};
  }

  json merged = shards.front().document;
  json& run = merged["runs"][0];
  run.erase("properties");
  run["results"] = json::array();
  bool successful = true;
  std::size_t problems = 0;
  for (auto& shard : shards) {
    json& r = shard.document["runs"][0];
    for (auto& result : r["results"]) {
      ++problems;
      run["results"].push_back(std::move(result));
    }
    if (r.contains("invocations") && !r["invocations"].empty() && !r["invocations"][0].value("executionSuccessful", true)) successful = false;
  }
  run["invocations"] = json::array({{{"executionSuccessful", successful}}});
  return {merged.dump(2, ' ', false, json::error_handler_t::replace) + "\n", !successful ? 2 : problems > 0 ? 1 : 0};
}

}  // namespace importspy
