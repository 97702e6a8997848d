#pragma once
// `importspy check` on ImportSpy 0.5 admission policies (docs/policies-0.5.md): recognised before the
// 0.4 command line parses anything, decided by core/policy, printed in 0.5.0's shapes, 0.5.0's exit codes.

#include <optional>
#include <string>
#include <vector>

namespace importspy::bindings {

// The exit status when `arguments` (as after `importspy`) ask for a 0.5 admission check: `check SUBJECT`
// or the old positional form, where `-s` names a file with `schema_version`, or, without `-s`, the
// subject has a `<module>.importspy.yml` sidecar that is a 0.5 policy, or the subject is a folder whose
// pyproject.toml has `[tool.importspy] subjects`. nullopt otherwise: the 0.4 command line handles it.
std::optional<int> run_policy05_check(const std::vector<std::string>& arguments);

// `importspy init SUBJECT [-o OUTPUT]` (0.5.0's command): a starter policy beside the subject
// (`<module>.importspy.yml`) or at OUTPUT, never overwriting a file; nullopt when not an `init`.
std::optional<int> run_policy05_init(const std::vector<std::string>& arguments);

// One 0.5 admission decision for the Python API (python/importspy/admission.py): the policy given, else
// the subject's sidecar, else the default policy. `document` is the decision document (JSON);
// `admitted_bytes` the subject's bytes exactly as they were hashed and checked, only when admitted.
struct AdmissionResult {
  std::string document;
  std::optional<std::string> admitted_bytes;
};
AdmissionResult admit_for_api(const std::string& subject, const std::optional<std::string>& policy, const std::optional<std::string>& project_root,
                              const std::vector<std::string>& providers, bool allow_network);

// The `record` evidence provider's work (python/importspy/evidence.py): the installed distribution of
// this name (found on sys.path as importlib.metadata finds it) checked against its RECORD, as the
// fields of one `distribution.record` evidence (kind, subject, observed, status, detail).
std::string record_evidence_json(const std::string& distribution);

}  // namespace importspy::bindings
