#!/usr/bin/env bash
# Runs the bundled plugin-host example: one compliant plugin, one that breaks the contract.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo_root/scripts/bootstrap.sh" "$repo_root/build" >/dev/null
cd "$repo_root"
tool=build/core/tools/importspy-core
example=examples/plugin_host

for plugin in good bad; do
  echo "\$ importspy-core check -s $example/spymodel.yml -f $example/facts/$plugin.json"
  status=0
  "$tool" check -s "$example/spymodel.yml" -f "$example/facts/$plugin.json" || status=$?
  echo "(exit status $status)"
  echo
done
