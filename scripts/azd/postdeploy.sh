#!/bin/sh
# azd postdeploy hook (azure.yaml): once the code is deployed, wires Event Grid's delivery reports to
# POST /api/events/delivery with infra/delivery-events.bicep, when OTP_DEPLOY_DELIVERY_EVENTS=true.
# Runs after every `azd deploy` / `azd up`; the deployment is idempotent and the function key keeps one
# value (OTP_EVENTGRID_KEY, made here once and kept in the azd environment), so reports in flight never
# meet a changed key. docs/deploy.md, section 3.
set -eu

case "$(printf %s "${OTP_DEPLOY_DELIVERY_EVENTS:-false}" | tr '[:upper:]' '[:lower:]')" in
  true) ;;
  *)
    echo "postdeploy: delivery reports are not wired (azd env set OTP_DEPLOY_DELIVERY_EVENTS true to wire them)."
    exit 0
    ;;
esac

for name in AZURE_RESOURCE_GROUP API_BASE_URL AZURE_FUNCTION_APP_NAME AZURE_COMMUNICATION_SERVICE_NAME AZURE_STORAGE_ACCOUNT_NAME DELIVERY_EVENTS_TOPIC_NAME; do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    echo "postdeploy: $name is not in the azd environment; run azd provision first." >&2
    exit 1
  fi
done

if ! command -v az >/dev/null 2>&1; then
  echo "postdeploy: wiring delivery reports needs the Azure CLI (az). Install it, az login, then: azd hooks run postdeploy" >&2
  exit 1
fi

if [ -z "${OTP_EVENTGRID_KEY:-}" ]; then
  OTP_EVENTGRID_KEY="$(openssl rand -hex 32)"
  azd env set OTP_EVENTGRID_KEY "$OTP_EVENTGRID_KEY"
  echo "postdeploy: made the Event Grid function key once (OTP_EVENTGRID_KEY in the azd environment); keep it."
fi
export OTP_EVENTGRID_KEY

# The key and the subscription need the DeliveryEvents function: wait until the host answers 401 without a
# key (it knows the function) rather than 404 (the new code is not indexed yet).
attempts="${OTP_WAIT_ATTEMPTS:-30}"
delay="${OTP_WAIT_SECONDS:-10}"
url="$API_BASE_URL/events/delivery"
status=""
i=0
while [ "$i" -lt "$attempts" ]; do
  status="$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 30 -X POST "$url" -H 'content-type: application/json' --data '[]' || true)"
  if [ "$status" = "401" ]; then
    break
  fi
  i=$((i + 1))
  sleep "$delay"
done
if [ "$status" != "401" ]; then
  echo "postdeploy: $url answered ${status:-nothing} instead of 401 after $attempts tries: the DeliveryEvents function is not live." >&2
  echo "  Check the deployment (azd deploy, then the FunctionAppLogs), then wire again: azd hooks run postdeploy" >&2
  exit 1
fi

echo "postdeploy: wiring Event Grid delivery reports to $url"
az deployment group create \
  ${AZURE_SUBSCRIPTION_ID:+--subscription "$AZURE_SUBSCRIPTION_ID"} \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --name otp-delivery-events \
  --template-file infra/delivery-events.bicep \
  --parameters infra/delivery-events.bicepparam \
  --only-show-errors --output none
echo "postdeploy: delivery reports wired (system topic $DELIVERY_EVENTS_TOPIC_NAME)."
