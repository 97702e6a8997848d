#include "extract/compiled_module.hpp"

#include "importspy/report/violation_codes.hpp"

namespace importspy::bindings {

bool is_compiled_module(const std::filesystem::path& file) {
  const std::filesystem::path extension = file.extension();
  return extension == ".so" || extension == ".pyd" || extension == ".pyc";
}

Report compiled_module_report(const std::string& file, const std::string& sha256, const Contract& contract, const std::string& contract_source) {
  Report report;
  report.contract_source = contract_source;
  report.module_filename = file;
  const std::optional<std::string>& pin = contract.module.file_sha256;
  if (pin && *pin == sha256) return report;
  if (pin) {
    const ViolationCode& code = violation_code(codes::integrity_mismatch);
    report.violations.push_back(Violation{std::string(code.code), code.category, Context::module, "integrity", *pin, sha256,
                                          "the module's file has changed since it was pinned (SHA-256 differs)",
                                          "review the change, then update `integrity: {sha256: ...}` with `importspy hash`", contract.module.mark, 0});
    return report;
  }
  const ViolationCode& code = violation_code(codes::module_unverifiable);
  report.violations.push_back(Violation{std::string(code.code), code.category, Context::module, "integrity", std::nullopt, std::nullopt,
                                        std::filesystem::path(file).filename().string() + " is compiled code: there is no source to check",
                                        "review it, then pin it in the contract (integrity: {sha256: " + sha256 + "}), or remove it", {}, 0});
  return report;
}

}  // namespace importspy::bindings
