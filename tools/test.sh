#!/usr/bin/env bash
# Runs every test project of Serverless.sln, integration tests included: starts Azurite and cosmosdb-server on
# loopback first (tools/servers, installed from npm on first use) and stops them after. Prints per-project results and,
# as the last line, the totals over all projects: "N passed, N failed". Extra arguments go to `dotnet test`.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

# What the tests need besides the .NET SDK (README's prerequisites): say what is missing instead of failing later.
missing=()
for tool in node npm openssl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
# TorchSharp's native library needs GLIBCXX_3.4.32; where libstdc++ lacks it (Debian 12) the build patches a copy
# with g++ and patchelf (build/TorchSharpCompat.targets).
libstdcxx="$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}')"
if [[ -n "$libstdcxx" ]] && ! grep -qa GLIBCXX_3.4.32 "$libstdcxx"; then
  for tool in g++ patchelf; do command -v "$tool" >/dev/null || missing+=("$tool"); done
fi
if (( ${#missing[@]} )); then
  echo "the tests need ${missing[*]} on PATH (Debian: apt-get install nodejs npm openssl g++ patchelf)"
  echo "0 passed, 1 failed"
  exit 1
fi

"$root/tools/servers/start.sh" || { echo "could not start the local protocol servers"; echo "0 passed, 1 failed"; exit 1; }
trap '"$root/tools/servers/stop.sh" >/dev/null 2>&1 || true' EXIT

passed=0 failed=0
for project in $(dotnet sln "$root/Serverless.sln" list | grep -E '^tests/.*\.csproj$'); do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  dotnet test "$root/$project" --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" 2>&1 | tail -n 30
  trx="$results/$name.trx"
  counters="$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null || true)"
  if [[ -z "$counters" ]]; then
    echo "   $name produced no results (build or test host failure)"
    failed=$((failed + 1))
    continue
  fi
  p="$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<< "$counters")"
  f="$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<< "$counters")"
  e="$(sed -E 's/.* error="([0-9]+)".*/\1/' <<< "$counters")"
  echo "   $name: $p passed, $((f + e)) failed"
  passed=$((passed + p)); failed=$((failed + f + e))
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
