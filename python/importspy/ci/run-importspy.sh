#!/usr/bin/env bash
# `importspy check` for CI systems: the GitHub Action (action.yml) and the GitLab CI template
# (ci/gitlab/importspy.gitlab-ci.yml) both run this script. It ships inside the package, so a job that
# only ran `pip install importspy` has it too:
#   bash "$(python -c 'import importspy, pathlib; print(pathlib.Path(importspy.__file__).parent / "ci" / "run-importspy.sh")')"
#
# Inputs, all optional, as environment variables:
#   IMPORTSPY_TARGETS   targets separated by spaces or newlines (default: `targets` of the project settings)
#   IMPORTSPY_CONTRACT  one contract for every target (default: the [[tool.importspy.contracts]] mappings)
#   IMPORTSPY_FORMAT    what the job log shows: text (default), github, json, junit or sarif
#   IMPORTSPY_SARIF     also write SARIF 2.1.0 to this file (for code scanning)
#   IMPORTSPY_JUNIT     also write JUnit XML to this file (for test reports)
#   IMPORTSPY_HTML      also write the HTML report to this file (one self-contained page, for an artifact);
#                       with IMPORTSPY_FORMAT=github the job summary ($GITHUB_STEP_SUMMARY) points at it
#   IMPORTSPY_ARGS      more arguments for `importspy check`, split on spaces (e.g. `--mode runtime -j 2`)
#   IMPORTSPY_COMMAND   the command to run (default: importspy)
# Exit status: that of `importspy check` (0 compliant, 1 violations, 2 a target could not be checked or
# a usage error); 2 as well when a report file cannot be written. Report files are written in every case.
set -uo pipefail

command_name="${IMPORTSPY_COMMAND:-importspy}"
format="${IMPORTSPY_FORMAT:-text}"
case "$format" in
  text|github|json|junit|sarif) ;;
  *)
    echo "run-importspy: IMPORTSPY_FORMAT is \`$format\`; expected text, github, json, junit or sarif" >&2
    exit 2
    ;;
esac
if ! command -v "$command_name" >/dev/null 2>&1; then
  echo "run-importspy: \`$command_name\` is not on PATH; install ImportSpy first (pip install importspy) or set IMPORTSPY_COMMAND" >&2
  exit 2
fi

arguments=(check)
read -r -d '' -a targets <<<"${IMPORTSPY_TARGETS:-}" || true
arguments+=("${targets[@]}")
[[ -n "${IMPORTSPY_CONTRACT:-}" ]] && arguments+=(-s "$IMPORTSPY_CONTRACT")
read -r -a extra <<<"${IMPORTSPY_ARGS:-}" || true
arguments+=("${extra[@]}")

echo "run-importspy: $command_name ${arguments[*]} --format $format" >&2
IMPORTSPY_HTML_REPORT="${IMPORTSPY_HTML:-}" "$command_name" "${arguments[@]}" --format "$format"
status=$?

# The report files come from the same run's cache, so writing them costs little; a file that cannot be
# written fails the job rather than uploading nothing.
write_report() {  # FORMAT FILE
  local report_format="$1" file="$2" report_status
  mkdir -p "$(dirname "$file")" || return 1
  "$command_name" "${arguments[@]}" --format "$report_format" >"$file.tmp"
  report_status=$?
  if ((report_status > 2)) || [[ ! -s "$file.tmp" ]]; then
    echo "run-importspy: no $report_format report could be written to $file (status $report_status)" >&2
    rm -f "$file.tmp"
    return 1
  fi
  mv "$file.tmp" "$file" && echo "run-importspy: $report_format report written to $file" >&2
}
if [[ -n "${IMPORTSPY_SARIF:-}" ]]; then write_report sarif "$IMPORTSPY_SARIF" || status=2; fi
if [[ -n "${IMPORTSPY_JUNIT:-}" ]]; then write_report junit "$IMPORTSPY_JUNIT" || status=2; fi
if [[ -n "${IMPORTSPY_HTML:-}" ]]; then write_report html "$IMPORTSPY_HTML" || status=2; fi
exit "$status"
