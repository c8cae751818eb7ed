#!/usr/bin/env bash
# Records the public API of the src/ projects in their PublicAPI.Unshipped.txt files:
# adds symbols the analyzer reports as undeclared (RS0016) and drops declared ones that are gone (RS0017).
# Run it after changing a public API on purpose; review the diff of the .txt files like any other change.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for project in src/*/; do
  name=$(basename "$project")
  api="${project}PublicAPI.Unshipped.txt"
  [ -f "$api" ] || continue
  dotnet build "${project}${name}.csproj" --no-incremental -nologo -v q -clp:NoSummary >"$log" 2>&1 || true
  python3 - "$api" "$name" "$log" <<'PY'
import re, sys
api, name, logfile = sys.argv[1], sys.argv[2], sys.argv[3]
lines = [l.rstrip("\n") for l in open(api, encoding="utf-8")]
header = [l for l in lines if l.startswith("#")] or ["#nullable enable"]
body = set(l for l in lines if l and not l.startswith("#"))
mine = "\n".join(l for l in open(logfile, encoding="utf-8") if f"/src/{name}/" in l)
added = set(re.findall(r"error RS0016: Symbol '(.*?)' is not part of the declared public API", mine))
removed = set(re.findall(r"error RS0017: Symbol '(.*?)' is part of the declared API", mine))
body = (body | added) - removed
open(api, "w", encoding="utf-8").write("\n".join(header + sorted(body, key=str.lower)) + "\n")
print(f"{api}: +{len(added)} -{len(removed)}")
PY
done
