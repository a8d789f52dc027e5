#!/usr/bin/env bash
# Compiles and lints every Bicep template and parameter file with the pinned bicep compiler from NuGet
# (Azure.Bicep.CommandLine.linux-x64, restored through infra/tools/Bicep.csproj). Any error or warning fails.
# Compiled ARM JSON goes to infra/out/ (git-ignored), mirroring the source layout.
set -euo pipefail

infra="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$infra/out"
bicep_version=0.49.2

dotnet restore "$infra/tools/Bicep.csproj" --verbosity quiet
packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
bicep="$packages/azure.bicep.commandline.linux-x64/$bicep_version/tools/bicep"
chmod +x "$bicep"
echo "using $("$bicep" --version)"

rm -rf "$out"
mkdir -p "$out"
failed=0
diagnostics="$(mktemp)"
trap 'rm -f "$diagnostics"' EXIT

# Runs one bicep command; fails the script if it exits non-zero or reports any diagnostic.
run() {
  if ! "$bicep" "$@" >"$diagnostics" 2>&1 || grep -Eq ': (Error|Warning|Info) ' "$diagnostics"; then
    cat "$diagnostics"
    failed=1
  fi
}

cd "$infra"
while IFS= read -r file; do
  rel="${file#./}"
  dir="$out/$(dirname "$rel")"
  mkdir -p "$dir"
  run lint "$rel"
  case "$rel" in
    *.bicepparam) run build-params "$rel" --outfile "$dir/$(basename "$rel" .bicepparam).parameters.json" ;;
    *.bicep) run build "$rel" --outfile "$dir/$(basename "$rel" .bicep).json" ;;
  esac
  echo "checked $rel"
done < <(find . -path ./out -prune -o -path ./tools -prune -o \( -name '*.bicep' -o -name '*.bicepparam' \) -print | sort)

if [ "$failed" -ne 0 ]; then
  echo "bicep reported errors or warnings" >&2
  exit 1
fi
echo "bicep build + lint: 0 errors, 0 warnings"
