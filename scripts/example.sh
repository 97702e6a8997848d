#!/usr/bin/env bash
# Runs the bundled plugin-host example in both forms, each with a compliant and a non-compliant plugin:
#   CLI form:      importspy check PLUGIN -s spymodel.yml   (static: the plugin is never executed)
#   embedded form: host.py loads the plugin; plugin_base.py calls Spy().importspy() on import
# It builds only what the example needs: the extension and the engine's command line (no C++ tests or
# benchmarks, no test tools), with ccache when the machine has it.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo_root/scripts/python-env.sh" --package
cd "$repo_root"
example=examples/plugin_host
# The host's deployment requires these (see spymodel.yml); the token's value never appears in output.
export PLUGIN_HOST_MODE=production PLUGIN_HOST_TOKEN=example-token

run() {
  echo "\$ $*"
  status=0
  "$@" || status=$?
  echo "(exit status $status)"
  echo
}

for plugin in good bad; do
  run .venv/bin/importspy check "$example/plugins/$plugin/extension.py" -s "$example/spymodel.yml"
done
for plugin in good bad; do
  run .venv/bin/python "$example/host.py" "$example/plugins/$plugin"
done
