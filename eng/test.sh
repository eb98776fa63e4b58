#!/usr/bin/env bash
# The PeftGrid test command (README "Tests"; CI's .ci/run calls exactly this).
# Prepares the machine (eng/setup.sh), starts redis-server on 127.0.0.1:6379 for the integration
# tests, builds the solution in Release and runs every test project, the slow end-to-end
# ones (Category=Slow) included. `eng/test.sh --fast` skips Category=Slow for a quick local loop.
# Test projects run one after another (-m:1): two libtorch trainings side by side on 2 cores stall each other.
set -euo pipefail
cd "$(dirname "$0")/.."
filter=()
if [ "${1:-}" = "--fast" ]; then filter=(--filter "Category!=Slow"); fi
bash eng/setup.sh
bash eng/redis.sh start 6379
export PEFTGRID_DATA="${PEFTGRID_DATA:-$(cd .. && pwd)/shared/data}"
dotnet build PeftGrid.sln -c Release -nologo -v:q
log="$(mktemp -t peftgrid-test.XXXXXX.log)"
rc=0
dotnet test PeftGrid.sln -c Release --no-build -nologo -v:q -m:1 "${filter[@]}" \
  --logger "console;verbosity=normal" -- RunConfiguration.MaxCpuCount=1 2>&1 | tee "$log" || rc=$?
# Repeat every failure (name, message, stack, test output) at the very end, where a truncated CI log still shows it.
if [ "$rc" -ne 0 ]; then
  echo
  echo "eng/test: FAILED (exit $rc) — the failing tests, repeated from the log above:"
  awk '/^  Failed /{on=1; n=0} /^  Passed |^Test Run |^Results File|^Total tests/{on=0} on && n++ < 60' "$log"
  grep -E "^Total tests|^ +(Passed|Failed|Skipped):|Test Run (Failed|Aborted)|The active test run was aborted" "$log" || true
fi
rm -f "$log"
exit "$rc"
