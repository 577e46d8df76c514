#!/bin/sh
# azd preprovision hook (azure.yaml): stops before anything is created when the subscription cannot take
# the template, and says what to run. Resource providers are registered per subscription, which Owner on
# the resource group cannot do; the three OTP keys have no default. docs/deploy.md, "Before the first deployment".
set -eu

failed=0

for key in OTP_PEPPER OTP_ENCRYPTION_KEY OTP_SIGNING_KEY; do
  eval "value=\${$key:-}"
  if [ -z "$value" ]; then
    echo "preprovision: $key is not set. Make it once and keep it:" >&2
    echo "  azd env set $key \"\$(openssl rand -base64 32)\"" >&2
    failed=1
  fi
done

# Every namespace main.bicep deploys into; Microsoft.App (the subnet delegation Flex needs) and
# Microsoft.Network only with private networking.
providers="Microsoft.Web Microsoft.Storage Microsoft.KeyVault Microsoft.ManagedIdentity Microsoft.Communication Microsoft.EventGrid Microsoft.OperationalInsights Microsoft.Insights"
case "$(printf %s "${OTP_VNET_ENABLED:-false}" | tr '[:upper:]' '[:lower:]')" in
  true) providers="$providers Microsoft.Network Microsoft.App" ;;
esac

subscription="${AZURE_SUBSCRIPTION_ID:-}"
if ! command -v az >/dev/null 2>&1; then
  echo "preprovision: the Azure CLI (az) is not installed, so the resource providers were not checked." >&2
  echo "  If provisioning fails with MissingSubscriptionRegistration, register them (docs/deploy.md)." >&2
elif ! registered="$(az provider list ${subscription:+--subscription "$subscription"} --query "[?registrationState=='Registered'].namespace" --output tsv 2>/dev/null)"; then
  echo "preprovision: could not list resource providers (az login?), so they were not checked." >&2
else
  missing=""
  for provider in $providers; do
    if ! printf '%s\n' "$registered" | grep -qix "$provider"; then
      missing="$missing $provider"
    fi
  done
  if [ -n "$missing" ]; then
    echo "preprovision: these resource providers are not registered in subscription ${subscription:-(az's current one)}:$missing" >&2
    echo "  Registering needs a role at subscription scope (Owner or Contributor there); someone who has it runs once:" >&2
    for provider in $missing; do
      echo "  az provider register ${subscription:+--subscription $subscription }--namespace $provider --wait" >&2
    done
    failed=1
  else
    echo "preprovision: resource providers registered:$(printf ' %s' $providers)"
  fi
fi

exit "$failed"
