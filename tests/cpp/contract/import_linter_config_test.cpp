// import-linter's configuration files read as import-linter reads them (INI through configparser's
// rules, TOML through tomllib), into the raw form of architecture rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "importspy/contract/import_linter_config.hpp"
#include "importspy/contract/import_linter_ini.hpp"
#include "importspy/contract/loader.hpp"

using namespace importspy;
namespace fs = std::filesystem;

namespace {

const RawArchitectureOption* option(const std::vector<RawArchitectureOption>& options, std::string_view key) {
  for (const RawArchitectureOption& each : options)
    if (each.key == key) return &each;
  return nullptr;
}

ContractError ini_error(std::string_view text) {
  try {
    import_linter_from_ini(text, "setup.cfg");
  } catch (const ContractError& error) {
    return error;
  }
  ADD_FAILURE() << "expected an error for:\n" << text;
  return ContractError(ContractErrorKind::syntax, "", 0, 0, "", "");
}

ContractError toml_error(std::string_view text) {
  try {
    import_linter_from_toml(text, "pyproject.toml");
  } catch (const ContractError& error) {
    return error;
  }
  ADD_FAILURE() << "expected an error for:\n" << text;
  return ContractError(ContractErrorKind::syntax, "", 0, 0, "", "");
}

class TempDir {
public:
  TempDir() : path_(fs::temp_directory_path() / ("importspy-il-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  void write(const std::string& name, std::string_view text) const { std::ofstream(path_ / name, std::ios::binary) << text; }

private:
  fs::path path_;
};

ContractError find_error(const std::vector<std::string>& named, const fs::path& directory) {
  try {
    find_import_linter_config(named, directory);
  } catch (const ContractError& error) {
    return error;
  }
  ADD_FAILURE() << "expected an error";
  return ContractError(ContractErrorKind::syntax, "", 0, 0, "", "");
}

constexpr std::string_view kLayers =
    "[importlinter]\n"
    "root_package = mypackage\n"
    "\n"
    "[importlinter:contract:my-layers]\n"
    "name = My layers\n"
    "type = layers\n"
    "layers =\n"
    "    mypackage.high\n"
    "    mypackage.medium | mypackage.other\n"
    "    mypackage.low\n";

}  // namespace

// ---- INI: what configparser reads ----------------------------------------------------------------------

TEST(ImportLinterIni, reads_the_session_and_one_rule_per_contract_section_with_its_id) {
  const auto raw = import_linter_from_ini(kLayers, "setup.cfg");
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->file, "setup.cfg");
  EXPECT_EQ(raw->mark.line, 1);
  ASSERT_EQ(raw->session.size(), 1u);
  EXPECT_EQ(raw->session[0].key, "root_package");
  EXPECT_EQ(raw->session[0].values, std::vector<std::string>{"mypackage"});
  EXPECT_FALSE(raw->session[0].is_list);
  EXPECT_EQ(raw->session[0].mark.line, 2);
  EXPECT_EQ(raw->session[0].mark.column, 1);
  EXPECT_EQ(raw->session[0].value_marks.at(0).column, 16);
  ASSERT_EQ(raw->rules.size(), 1u);
  EXPECT_EQ(raw->rules[0].id, "my-layers");
  EXPECT_EQ(raw->rules[0].mark.line, 4);
}

TEST(ImportLinterIni, splits_a_continued_value_per_line_with_the_place_of_each_line) {
  const auto raw = import_linter_from_ini(kLayers, "setup.cfg");
  const RawArchitectureOption* layers = option(raw->rules.at(0).options, "layers");
  ASSERT_NE(layers, nullptr);
  EXPECT_TRUE(layers->is_list);
  EXPECT_EQ(layers->values, (std::vector<std::string>{"mypackage.high", "mypackage.medium | mypackage.other", "mypackage.low"}));
  ASSERT_EQ(layers->value_marks.size(), 3u);
  EXPECT_EQ(layers->value_marks[1].line, 9);
  EXPECT_EQ(layers->value_marks[1].column, 5);
  EXPECT_EQ(layers->mark.line, 7);
}

TEST(ImportLinterIni, a_value_on_the_key_line_and_continued_below_is_a_list_starting_with_it) {
  const auto raw = import_linter_from_ini("[importlinter]\nroot_packages = a\n  b\n", "x");
  const RawArchitectureOption* roots = option(raw->session, "root_packages");
  ASSERT_NE(roots, nullptr);
  EXPECT_TRUE(roots->is_list);
  EXPECT_EQ(roots->values, (std::vector<std::string>{"a", "b"}));
}

TEST(ImportLinterIni, one_line_below_an_empty_key_line_is_a_list_of_one) {
  // import-linter splits any value holding a line break: `name =` then one indented line is a list.
  const auto raw = import_linter_from_ini("[importlinter]\nroot_packages =\n    a\n", "x");
  EXPECT_TRUE(option(raw->session, "root_packages")->is_list);
  EXPECT_EQ(option(raw->session, "root_packages")->values, std::vector<std::string>{"a"});
}

TEST(ImportLinterIni, blank_lines_and_comment_lines_inside_a_value_neither_end_it_nor_become_values) {
  const auto raw = import_linter_from_ini("[importlinter]\nroot_packages =\n    a\n\n    # b\n    ; c\n    d\n\n\n", "x");
  EXPECT_EQ(option(raw->session, "root_packages")->values, (std::vector<std::string>{"a", "d"}));
}

TEST(ImportLinterIni, a_hash_or_semicolon_after_text_is_part_of_the_value) {
  // configparser has no inline comments by default.
  const auto raw = import_linter_from_ini("[importlinter]\nroot_package = a # b ; c\n", "x");
  EXPECT_EQ(option(raw->session, "root_package")->values, std::vector<std::string>{"a # b ; c"});
}

TEST(ImportLinterIni, keys_fold_to_lower_case_and_a_colon_separates_like_an_equals_sign) {
  const auto raw = import_linter_from_ini("[importlinter]\nRoot_Package: a = b\n", "x");
  ASSERT_NE(option(raw->session, "root_package"), nullptr);
  EXPECT_EQ(option(raw->session, "root_package")->values, std::vector<std::string>{"a = b"});
}

TEST(ImportLinterIni, an_empty_value_is_one_empty_value) {
  const auto raw = import_linter_from_ini("[importlinter]\nroot_package =\n", "x");
  EXPECT_FALSE(option(raw->session, "root_package")->is_list);
  EXPECT_EQ(option(raw->session, "root_package")->values, std::vector<std::string>{""});
}

TEST(ImportLinterIni, a_line_indented_like_its_key_starts_a_new_key) {
  const auto raw = import_linter_from_ini("[importlinter]\n  a = 1\n  b = 2\n", "x");
  EXPECT_EQ(option(raw->session, "a")->values, std::vector<std::string>{"1"});
  EXPECT_EQ(option(raw->session, "b")->values, std::vector<std::string>{"2"});
  EXPECT_EQ(option(raw->session, "b")->mark.column, 3);
}

TEST(ImportLinterIni, windows_and_old_mac_line_ends_are_line_ends) {
  const auto raw = import_linter_from_ini("[importlinter]\r\nroot_packages =\r\n  a\r  b\r\n", "x");
  EXPECT_EQ(option(raw->session, "root_packages")->values, (std::vector<std::string>{"a", "b"}));
}

TEST(ImportLinterIni, default_section_options_are_inherited_unless_the_section_has_its_own) {
  const auto raw = import_linter_from_ini("[DEFAULT]\nroot_package = base\nname = inherited\n[importlinter]\n"
                                          "[importlinter:contract:one]\nname = own\ntype = forbidden\n",
                                          "x");
  EXPECT_EQ(option(raw->session, "root_package")->values, std::vector<std::string>{"base"});
  EXPECT_EQ(option(raw->rules.at(0).options, "name")->values, std::vector<std::string>{"own"});
  EXPECT_EQ(option(raw->rules.at(0).options, "root_package")->values, std::vector<std::string>{"base"});
}

TEST(ImportLinterIni, percent_references_are_interpolated_and_a_double_percent_is_one) {
  const auto raw = import_linter_from_ini("[importlinter]\nbase = mypackage\nroot_package = %(BASE)s\n"
                                          "[importlinter:contract:c]\nname = 100%%\n",
                                          "x");
  EXPECT_EQ(option(raw->session, "root_package")->values, std::vector<std::string>{"mypackage"});
  EXPECT_EQ(option(raw->rules.at(0).options, "name")->values, std::vector<std::string>{"100%"});
  // A contract section has no `root_package` of its own: the reference is unknown there.
  EXPECT_EQ(ini_error("[importlinter]\nroot_package = a\n[importlinter:contract:c]\nname = %(root_package)s\n").kind(),
            ContractErrorKind::invalid_value);
  const auto with_default = import_linter_from_ini("[DEFAULT]\npkg = p\n[importlinter]\nroot_package = %(pkg)s\n"
                                                   "[importlinter:contract:c]\nname = 100%% %(pkg)s\n",
                                                   "x");
  EXPECT_EQ(option(with_default->rules.at(0).options, "name")->values, std::vector<std::string>{"100% p"});
}

TEST(ImportLinterIni, a_lone_percent_sign_is_an_error_at_its_column) {
  const ContractError error = ini_error("[importlinter]\nroot_package = a\n[importlinter:contract:c]\nname = 5% done\n");
  EXPECT_EQ(error.kind(), ContractErrorKind::invalid_value);
  EXPECT_EQ(error.line(), 4);
  EXPECT_EQ(error.column(), 9);
  EXPECT_NE(error.hint().find("%%"), std::string::npos);
}

TEST(ImportLinterIni, a_self_reference_is_an_error_not_an_endless_loop) {
  EXPECT_EQ(ini_error("[importlinter]\nroot_package = %(root_package)s\n").kind(), ContractErrorKind::invalid_value);
  EXPECT_EQ(ini_error("[importlinter]\nroot_package = %(oops\n").kind(), ContractErrorKind::invalid_value);
}

TEST(ImportLinterIni, references_that_multiply_are_refused_before_they_take_the_machine) {
  // Each level repeats the one below 8 times: 8^7 copies of `x` (2 MiB), or of nothing.
  for (const std::string bottom : {"x", ""}) {
    std::string text = "[importlinter]\nk0 = " + bottom + "\n";
    for (int level = 1; level <= 7; ++level) {
      text += "k" + std::to_string(level) + " = ";
      for (int copy = 0; copy < 8; ++copy) text += "%(k" + std::to_string(level - 1) + ")s";
      text += "\n";
    }
    text += "root_package = %(k7)s\n";
    EXPECT_EQ(ini_error(text).kind(), ContractErrorKind::too_large) << "bottom: `" << bottom << "`";
  }
}

TEST(ImportLinterIni, percent_signs_in_sections_import_linter_never_reads_are_left_alone) {
  EXPECT_TRUE(import_linter_from_ini("[flake8]\nformat = %(path)s 5%\n[importlinter]\nroot_package = a\n", "setup.cfg"));
}

TEST(ImportLinterIni, a_contract_id_is_the_text_after_the_last_colon_of_the_section_name) {
  const auto raw = import_linter_from_ini("[importlinter]\nroot_package = a\n[importlinter:contract:one]\nname = x\n"
                                          "[importlinter:two]\nname = y\n[other:contract:three]\nname = z\n",
                                          "x");
  ASSERT_EQ(raw->rules.size(), 2u);
  EXPECT_EQ(raw->rules[0].id, "one");
  EXPECT_EQ(raw->rules[1].id, "two");
}

TEST(ImportLinterIni, an_id_key_overrides_the_id_of_the_section_name) {
  const auto raw = import_linter_from_ini("[importlinter]\nroot_package = a\n[importlinter:contract:one]\nid = uno\nname = x\n", "x");
  EXPECT_EQ(raw->rules.at(0).id, "uno");
  EXPECT_EQ(option(raw->rules.at(0).options, "id"), nullptr);
}

TEST(ImportLinterIni, a_file_without_an_importlinter_section_holds_no_configuration) {
  EXPECT_FALSE(import_linter_from_ini("[flake8]\nmax-line-length = 100\n", "setup.cfg"));
  EXPECT_FALSE(import_linter_from_ini("", "setup.cfg"));
  EXPECT_FALSE(import_linter_from_ini("[ImportLinter]\nroot_package = a\n", "setup.cfg"));  // section names are case-sensitive
}

TEST(ImportLinterIni, a_byte_order_mark_is_skipped) {
  EXPECT_TRUE(import_linter_from_ini("\xEF\xBB\xBF[importlinter]\nroot_package = a\n", "x"));
}

// ---- INI: malformed files --------------------------------------------------------------------------------

TEST(ImportLinterIni, a_key_before_any_section_is_an_error_at_its_line) {
  const ContractError error = ini_error("\nroot_package = a\n[importlinter]\n");
  EXPECT_EQ(error.kind(), ContractErrorKind::syntax);
  EXPECT_EQ(error.file(), "setup.cfg");
  EXPECT_EQ(error.line(), 2);
  EXPECT_NE(std::string(error.what()).find("setup.cfg:2:1:"), std::string::npos);
}

TEST(ImportLinterIni, a_line_without_a_delimiter_is_an_error_at_its_line) {
  const ContractError error = ini_error("[importlinter]\nroot_package = a\nlayers\n");
  EXPECT_EQ(error.kind(), ContractErrorKind::syntax);
  EXPECT_EQ(error.line(), 3);
  EXPECT_NE(error.message().find("`layers`"), std::string::npos);
}

TEST(ImportLinterIni, a_key_without_a_name_is_an_error) {
  EXPECT_EQ(ini_error("[importlinter]\n= a\n").line(), 2);
  EXPECT_EQ(ini_error("[importlinter]\n[]\n").kind(), ContractErrorKind::syntax);
}

TEST(ImportLinterIni, a_section_written_twice_is_an_error_naming_the_first) {
  const ContractError error = ini_error("[importlinter]\nroot_package = a\n[importlinter]\nroot_package = b\n");
  EXPECT_EQ(error.kind(), ContractErrorKind::duplicate_key);
  EXPECT_EQ(error.line(), 3);
  EXPECT_NE(error.message().find("line 1"), std::string::npos);
}

TEST(ImportLinterIni, a_key_written_twice_in_a_section_is_an_error_in_any_case) {
  const ContractError error = ini_error("[importlinter]\nroot_package = a\nROOT_PACKAGE = b\n");
  EXPECT_EQ(error.kind(), ContractErrorKind::duplicate_key);
  EXPECT_EQ(error.line(), 3);
  EXPECT_EQ(error.column(), 1);
}

TEST(ImportLinterIni, the_parser_keeps_each_sections_options_and_marks) {
  const IniDocument document = parse_import_linter_ini("[a]\nx = 1\n[b]\n  y : 2\n", "f.ini");
  ASSERT_EQ(document.sections.size(), 2u);
  EXPECT_EQ(document.sections[1].name, "b");
  EXPECT_EQ(document.sections[1].options.at(0).key, "y");
  EXPECT_EQ(document.sections[1].options.at(0).lines.at(0).mark.column, 7);
}

// ---- TOML -------------------------------------------------------------------------------------------------

TEST(ImportLinterToml, reads_the_session_and_the_contracts_array_with_marks) {
  const auto raw = import_linter_from_toml("[tool.importlinter]\nroot_packages = [\"a\", \"b\"]\ninclude_external_packages = true\n\n"
                                           "[[tool.importlinter.contracts]]\nid = \"f\"\nname = \"Forbidden\"\ntype = \"forbidden\"\n"
                                           "source_modules = [\"a.x\"]\nforbidden_modules = [\"b\"]\nallow_indirect_imports = false\n"
                                           "[[tool.importlinter.contracts]]\nname = \"No id\"\ntype = \"independence\"\nmodules = [\"a.x\", \"a.y\"]\n",
                                           "pyproject.toml");
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->mark.line, 1);
  const RawArchitectureOption* roots = option(raw->session, "root_packages");
  ASSERT_NE(roots, nullptr);
  EXPECT_TRUE(roots->is_list);
  EXPECT_EQ(roots->values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(roots->mark.line, 2);
  EXPECT_EQ(roots->value_marks.at(1).column, 23);
  EXPECT_EQ(option(raw->session, "include_external_packages")->values, std::vector<std::string>{"True"});
  EXPECT_EQ(option(raw->session, "contracts"), nullptr);
  ASSERT_EQ(raw->rules.size(), 2u);
  EXPECT_EQ(raw->rules[0].id, "f");
  EXPECT_EQ(raw->rules[0].mark.line, 5);
  EXPECT_EQ(option(raw->rules[0].options, "allow_indirect_imports")->values, std::vector<std::string>{"False"});
  EXPECT_FALSE(option(raw->rules[0].options, "name")->is_list);
  EXPECT_EQ(option(raw->rules[0].options, "id"), nullptr);
  EXPECT_EQ(raw->rules[1].id, "");
  EXPECT_EQ(option(raw->rules[1].options, "modules")->values.size(), 2u);
}

TEST(ImportLinterToml, a_number_is_passed_on_as_its_text) {
  const auto raw = import_linter_from_toml("[tool.importlinter]\nroot_package = \"a\"\n[[tool.importlinter.contracts]]\n"
                                           "name = \"c\"\ntype = \"acyclic_siblings\"\ndepth = 3\n",
                                           "pyproject.toml");
  EXPECT_EQ(option(raw->rules.at(0).options, "depth")->values, std::vector<std::string>{"3"});
}

TEST(ImportLinterToml, no_or_an_empty_importlinter_table_holds_no_configuration) {
  EXPECT_FALSE(import_linter_from_toml("[tool.ruff]\nline-length = 100\n", "pyproject.toml"));
  EXPECT_FALSE(import_linter_from_toml("[tool.importlinter]\n", "pyproject.toml"));
  EXPECT_FALSE(import_linter_from_toml("", "pyproject.toml"));
}

TEST(ImportLinterToml, invalid_toml_is_a_syntax_error_at_its_place) {
  const ContractError error = toml_error("[tool.importlinter]\nroot_package = \"a\n");
  EXPECT_EQ(error.kind(), ContractErrorKind::syntax);
  EXPECT_EQ(error.line(), 2);
  EXPECT_EQ(error.file(), "pyproject.toml");
}

TEST(ImportLinterToml, values_of_the_wrong_shape_are_errors_at_their_place) {
  EXPECT_EQ(toml_error("[tool.importlinter]\nroot_package = {a = 1}\n").kind(), ContractErrorKind::wrong_type);
  const ContractError item = toml_error("[tool.importlinter]\nroot_packages = [\"a\", [\"b\"]]\n");
  EXPECT_EQ(item.kind(), ContractErrorKind::wrong_type);
  EXPECT_EQ(item.line(), 2);
  EXPECT_EQ(item.column(), 23);
  EXPECT_EQ(toml_error("tool.importlinter = 1\n").kind(), ContractErrorKind::wrong_type);
  EXPECT_EQ(toml_error("[tool.importlinter]\nroot_package = \"a\"\n[tool.importlinter.contracts]\nname = \"x\"\n").kind(), ContractErrorKind::wrong_type);
  EXPECT_EQ(toml_error("[tool.importlinter]\nroot_package = \"a\"\n[[tool.importlinter.contracts]]\nid = 3\n").kind(), ContractErrorKind::wrong_type);
}

// ---- Finding the file, as lint-imports does ----------------------------------------------------------------

TEST(ImportLinterDiscovery, setup_cfg_comes_first_then_importlinter_then_pyproject) {
  TempDir dir;
  const std::string contract = "[importlinter:contract:c]\nname = c\ntype = forbidden\n";
  dir.write("pyproject.toml", "[tool.importlinter]\nroot_package = \"from_toml\"\n[[tool.importlinter.contracts]]\nname = \"c\"\ntype = \"forbidden\"\n");
  EXPECT_EQ(find_import_linter_config({}, dir.path()).at(0).file, "pyproject.toml");
  dir.write(".importlinter", "[importlinter]\nroot_package = from_dotfile\n" + contract);
  EXPECT_EQ(find_import_linter_config({}, dir.path()).at(0).file, ".importlinter");
  dir.write("setup.cfg", "[flake8]\nmax-line-length = 100\n");  // no section: the next file is read
  EXPECT_EQ(find_import_linter_config({}, dir.path()).at(0).file, ".importlinter");
  dir.write("setup.cfg", "[importlinter]\nroot_package = from_setup\n" + contract);
  const auto found = find_import_linter_config({}, dir.path());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].file, "setup.cfg");
}

TEST(ImportLinterDiscovery, a_malformed_setup_cfg_is_an_error_even_without_our_section) {
  TempDir dir;
  dir.write("setup.cfg", "[flake8]\nx = 1\nx = 2\n");
  dir.write(".importlinter", "[importlinter]\nroot_package = a\n[importlinter:contract:c]\nname = c\n");
  const ContractError error = find_error({}, dir.path());
  EXPECT_EQ(error.file(), "setup.cfg");
  EXPECT_EQ(error.line(), 3);
}

TEST(ImportLinterDiscovery, no_configuration_at_all_is_an_error) {
  TempDir dir;
  EXPECT_NE(std::string(find_error({}, dir.path()).what()).find("no import-linter configuration"), std::string::npos);
}

TEST(ImportLinterDiscovery, a_named_file_is_read_by_its_extension_and_must_exist_and_hold_configuration) {
  TempDir dir;
  dir.write("rules.toml", "[tool.importlinter]\nroot_package = \"a\"\n[[tool.importlinter.contracts]]\nname = \"c\"\n");
  dir.write("rules.ini", "[importlinter]\nroot_package = b\n[importlinter:contract:c]\nname = c\n");
  dir.write("empty.ini", "[other]\n");
  const auto found = find_import_linter_config({"rules.toml", "rules.ini", "./rules.toml"}, dir.path());
  ASSERT_EQ(found.size(), 2u);  // the same file named twice is read once
  EXPECT_EQ(found[0].file, "rules.toml");
  EXPECT_EQ(found[1].file, "rules.ini");
  EXPECT_EQ(find_error({"missing.ini"}, dir.path()).kind(), ContractErrorKind::unreadable);
  const ContractError empty = find_error({"empty.ini"}, dir.path());
  EXPECT_EQ(empty.kind(), ContractErrorKind::missing_key);
  EXPECT_EQ(empty.file(), "empty.ini");
}

TEST(ImportLinterDiscovery, a_file_without_contracts_is_an_error) {
  TempDir dir;
  dir.write(".importlinter", "[importlinter]\nroot_package = a\n");
  const ContractError error = find_error({}, dir.path());
  EXPECT_EQ(error.kind(), ContractErrorKind::missing_key);
  EXPECT_EQ(error.line(), 1);
  EXPECT_NE(error.hint().find("[importlinter:contract:"), std::string::npos);
}

TEST(ImportLinterDiscovery, contract_ids_must_be_unique_in_a_file_and_have_no_colon) {
  TempDir dir;
  dir.write("pyproject.toml", "[tool.importlinter]\nroot_package = \"a\"\n[[tool.importlinter.contracts]]\nid = \"x\"\nname = \"c\"\n"
                              "[[tool.importlinter.contracts]]\nid = \"x\"\nname = \"d\"\n");
  const ContractError twice = find_error({}, dir.path());
  EXPECT_EQ(twice.kind(), ContractErrorKind::duplicate_key);
  EXPECT_EQ(twice.line(), 6);
  dir.write("pyproject.toml", "[tool.importlinter]\nroot_package = \"a\"\n[[tool.importlinter.contracts]]\nid = \"a:b\"\nname = \"c\"\n");
  EXPECT_EQ(find_error({}, dir.path()).kind(), ContractErrorKind::invalid_value);
}

TEST(ImportLinterDiscovery, a_file_that_is_not_utf8_is_an_error_at_the_bad_byte) {
  TempDir dir;
  dir.write(".importlinter", "[importlinter]\nroot_package = caf\xE9\n");
  const ContractError error = find_error({}, dir.path());
  EXPECT_EQ(error.kind(), ContractErrorKind::not_utf8);
  EXPECT_EQ(error.line(), 2);
  EXPECT_EQ(error.column(), 19);
}
