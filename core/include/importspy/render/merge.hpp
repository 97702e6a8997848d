#pragma once
// `importspy merge`: the outputs of `importspy check --shard I/N` (JSON, SARIF or JUnit) joined into the
// report one run over every target would have written.

#include <string>
#include <vector>

#include "importspy/util/located_error.hpp"

namespace importspy {

struct ShardOutput {
  std::string file;  // names it in errors
  std::string text;
};

struct MergedOutput {
  std::string text;  // in the format of the inputs
  int exit_status = 0;  // as `importspy check` over every target: 0 compliant, 1 violations, 2 errors
};

// Joins shard outputs of one format, ordered by the shard each records (`"shard": "I/N"` in JSON,
// runs[0].properties.shard in SARIF, the test suite's name in JUnit); the shard marker is dropped.
// Throws LocatedError (naming the file) for an input of another format, one without a shard marker,
// shards of different counts, a shard given twice or missing.
MergedOutput merge_shard_outputs(const std::vector<ShardOutput>& inputs);

}  // namespace importspy
