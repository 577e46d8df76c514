#!/usr/bin/env bash
# Builds and lints every Bicep file under infra/ with a pinned Bicep CLI taken from NuGet,
# and compiles the entry templates (infra/main.bicep, infra/delivery-events.bicep) to artifacts/arm/<name>.json
# for the ARM assertion tests.
# Any warning fails the run. Usage: scripts/bicep-check.sh [--force]
set -euo pipefail

BICEP_VERSION=0.49.2
BICEP_PACKAGE=Azure.Bicep.CommandLine.linux-x64

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bicep_dir="tools/bicep/$BICEP_VERSION"
bicep="$bicep_dir/bicep"
out_dir="artifacts/arm"
stamp="$out_dir/.bicep-check.stamp"

install_bicep() {
  local packages="$root/tools/nuget" package_dir
  package_dir="$packages/$(tr '[:upper:]' '[:lower:]' <<<"$BICEP_PACKAGE")/$BICEP_VERSION"
  if [[ ! -f "$package_dir/tools/bicep" ]]; then
    echo "Restoring $BICEP_PACKAGE $BICEP_VERSION from NuGet"
    # A throwaway project outside the repo, so the repo's Directory.*.props (central package
    # management, warnings as errors) do not apply, while the machine's NuGet.config does.
    local scratch
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' RETURN
    cat >"$scratch/restore-bicep.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="$BICEP_PACKAGE" Version="[$BICEP_VERSION]" /></ItemGroup>
</Project>
CSPROJ
    dotnet restore "$scratch/restore-bicep.csproj" --packages "$packages" --nologo --verbosity quiet
  fi
  mkdir -p "$bicep_dir"
  cp "$package_dir/tools/bicep" "$bicep.tmp"
  chmod +x "$bicep.tmp"
  mv "$bicep.tmp" "$bicep"
}

if [[ ! -x "$bicep" ]]; then
  install_bicep
fi
"$bicep" --version

mapfile -t bicep_files < <(find infra -name '*.bicep' -type f | sort)
mapfile -t param_files < <(find infra -name '*.bicepparam' -type f | sort)

# Skip the work when nothing that feeds it changed since the last green run.
inputs_hash="$( { echo "$BICEP_VERSION"; find infra -type f -print0 | sort -z | xargs -0 cat; cat "$0"; } | sha256sum | cut -d' ' -f1)"
entry_templates=(main delivery-events)
all_compiled() {
  local name
  for name in "${entry_templates[@]}"; do
    [[ -f "$out_dir/$name.json" ]] || return 1
  done
}
if [[ "${1:-}" != "--force" && -f "$stamp" && "$(cat "$stamp")" == "$inputs_hash" ]] && all_compiled; then
  echo "Bicep templates unchanged since the last green check ($out_dir/*.json are current)."
  exit 0
fi
# A failed run must not leave an older template behind for the tests to pass on.
rm -f "$stamp"
for name in "${entry_templates[@]}"; do
  rm -f "$out_dir/$name.json"
done
mkdir -p "$out_dir"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
failed=0

# Runs one bicep command; fails on a non-zero exit or on any Warning/Error diagnostic.
check() {
  if ! "$bicep" "$@" >"$log" 2>&1; then
    failed=1
  fi
  if grep -Eq ': (Warning|Error) ' "$log"; then
    failed=1
  fi
  cat "$log"
}

for file in "${bicep_files[@]}"; do
  echo "== $file"
  if [[ "$(dirname "$file")" == infra ]]; then
    check build "$file" --outfile "$out_dir/$(basename "$file" .bicep).json"
  else
    module_json="$out_dir/modules/${file#infra/}"
    mkdir -p "$(dirname "$module_json")"
    check build "$file" --outfile "${module_json%.bicep}.json"
  fi
  check lint "$file"
done

# Parameter files read the keys and names from the environment. Build them with placeholders (base64 of
# 32 zero bytes, 64 zero hex digits, names of the right shape) into a scratch folder, so real keys in
# this shell never reach artifacts/.
placeholder_key="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
params_out="$(mktemp -d)"
for file in "${param_files[@]}"; do
  echo "== $file"
  OTP_PEPPER="$placeholder_key" OTP_ENCRYPTION_KEY="$placeholder_key" OTP_SIGNING_KEY="$placeholder_key" \
    OTP_EVENTGRID_KEY="$(printf '0%.0s' {1..64})" AZURE_FUNCTION_APP_NAME=func-otp-placeholder \
    AZURE_COMMUNICATION_SERVICE_NAME=acs-otp-placeholder AZURE_STORAGE_ACCOUNT_NAME=stotpplaceholder \
    DELIVERY_EVENTS_TOPIC_NAME=evgt-otp-placeholder \
    check build-params "$file" --outfile "$params_out/$(basename "$file" .bicepparam).parameters.json"
done
rm -rf "$params_out"

if [[ "$failed" -ne 0 ]]; then
  echo "bicep-check: FAILED (errors or warnings above)" >&2
  exit 1
fi
echo "$inputs_hash" >"$stamp"
echo "bicep-check: OK (${#bicep_files[@]} Bicep files, ${#param_files[@]} parameter files); ARM templates in $out_dir"
