#include <gtest/gtest.h>

#include <algorithm>

#include "importspy/policy/editing.hpp"

using namespace importspy;

namespace {

std::vector<std::string> labels(std::string_view text, TextPosition at) {
  std::vector<std::string> out;
  const auto place = yaml_place(text, at);
  if (!place) return out;
  const auto offered = policy::complete_policy(*place);
  if (!offered) return {"<contract>"};
  for (const auto& c : *offered) out.push_back(c.label);
  return out;
}

bool has(const std::vector<std::string>& list, std::string_view item) { return std::find(list.begin(), list.end(), item) != list.end(); }

}  // namespace

TEST(PolicyCompletion, offers_the_policys_own_keys_where_they_belong) {
  const auto top = labels("schema_version: 1\n\n", {1, 0});
  EXPECT_TRUE(has(top, "policy_id"));
  EXPECT_TRUE(has(top, "dependency_options"));
  EXPECT_TRUE(has(top, "functions"));  // a 0.4 structural key a policy may carry
  EXPECT_FALSE(has(top, "schema_version"));  // written already
  const auto runtime = labels("schema_version: 1\nruntime:\n  \n", {2, 2});
  EXPECT_TRUE(has(runtime, "implementation"));
  EXPECT_TRUE(has(runtime, "architecture"));
  const auto rule = labels("schema_version: 1\ndependencies:\n  requests:\n    \n", {3, 4});
  EXPECT_TRUE(has(rule, "declared"));
  EXPECT_TRUE(has(rule, "origin"));
}

TEST(PolicyCompletion, offers_enumerated_values_and_leaves_structural_keys_to_the_contract_language) {
  EXPECT_EQ(labels("dependency_options:\n  unlisted: \n", {1, 12}), (std::vector<std::string>{"allow", "deny"}));
  EXPECT_TRUE(has(labels("evidence_requirements:\n  - kind: x\n    status: \n", {2, 12}), "observed"));
  EXPECT_TRUE(has(labels("dependencies:\n  requests:\n    origin:\n      type: \n", {3, 12}), "vcs"));
  EXPECT_EQ(labels("functions:\n  - name: f\n    \n", {2, 4}), (std::vector<std::string>{"<contract>"}));
  EXPECT_TRUE(policy::is_structural_key("classes"));
  EXPECT_FALSE(policy::is_structural_key("runtime"));
}
