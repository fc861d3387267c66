#!/usr/bin/env bash
# Walk through Silo's HTTP API against a running server: provision three tenants, load
# the Northwind sample into one, create orders in the others, list pending orders,
# suspend and resume a tenant, and delete one.
#
# Environment:
#   SILO_URL       base URL of the server (default http://127.0.0.1:8080)
#   SILO_TOKEN     admin token (default: the content of $SILO_DATA_DIR/admin.token)
#   SILO_DATA_DIR  data folder of the server, for admin.token (default data)
#   NORTHWIND_DIR  folder of the Northwind CSV files (default ../shared/data/northwind)
#
# The demo deletes the tenants acme, startup and enterprise first when they exist, so it
# can run again against the same server.
set -euo pipefail

SILO_URL=${SILO_URL:-http://127.0.0.1:8080}
SILO_DATA_DIR=${SILO_DATA_DIR:-data}
NORTHWIND_DIR=${NORTHWIND_DIR:-../shared/data/northwind}
DEMO_TENANTS=(acme startup enterprise)

fail() {
  echo "demo: $*" >&2
  exit 1
}

for tool in curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing; install it (for example: apt-get install -y $tool) and run again"
done
SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)

WORK_DIR=$(mktemp -d)
trap 'rm -rf "$WORK_DIR"' EXIT

step_number=0
step() {
  step_number=$((step_number + 1))
  printf '\n== %d. %s\n' "$step_number" "$*"
}

# api METHOD PATH TOKEN [BODY]: sends a request and sets STATUS and BODY.
api() {
  local method=$1 path=$2 token=$3 body=${4:-}
  local args=(-sS -X "$method" -o "$WORK_DIR/body" -w '%{http_code}' -H "Authorization: Bearer $token")
  if [ -n "$body" ]; then
    args+=(-H 'Content-Type: application/json' --data-binary "$body")
  fi
  STATUS=$(curl "${args[@]}" "$SILO_URL$path") || fail "$method $path failed: cannot reach $SILO_URL"
  BODY=$(cat "$WORK_DIR/body")
  printf '   %s %s -> %s %s\n' "$method" "$path" "$STATUS" "$(shorten "$BODY")"
}

# expect STATUS...: stops the demo unless the last response had one of these statuses.
expect() {
  local allowed
  for allowed in "$@"; do
    [ "$STATUS" = "$allowed" ] && return 0
  done
  fail "expected HTTP $* but got $STATUS: $BODY"
}

# json EXPRESSION: evaluates a Python expression over the last response body, bound to d.
json() {
  python3 -c 'import json, sys; d = json.loads(sys.stdin.read()); print(eval(sys.argv[1]))' "$1" <<<"$BODY"
}

shorten() {
  local text=$1
  if [ "${#text}" -gt 160 ]; then
    printf '%s...' "${text:0:160}"
  else
    printf '%s' "$text"
  fi
}

# ---------------------------------------------------------------------------

step "Check that Silo is reachable at $SILO_URL"
ready=$(curl -sS -o /dev/null -w '%{http_code}' "$SILO_URL/ready" 2>/dev/null) || ready=unreachable
if [ "$ready" != 200 ]; then
  fail "Silo is not ready at $SILO_URL (GET /ready: $ready). Start it with 'java -jar target/silo.jar' or set SILO_URL"
fi
echo "   GET /ready -> 200"

if [ -z "${SILO_TOKEN:-}" ]; then
  [ -r "$SILO_DATA_DIR/admin.token" ] \
    || fail "no admin token: set SILO_TOKEN, or run from the folder where the server keeps $SILO_DATA_DIR/admin.token"
  SILO_TOKEN=$(tr -d '[:space:]' <"$SILO_DATA_DIR/admin.token")
fi
[ -d "$NORTHWIND_DIR" ] || fail "Northwind CSV folder $NORTHWIND_DIR is missing; set NORTHWIND_DIR"

step "Delete demo tenants left by an earlier run"
for tenant in "${DEMO_TENANTS[@]}"; do
  api DELETE "/admin/tenants/$tenant" "$SILO_TOKEN"
  expect 204 404
done

step "Provision tenants acme, startup and enterprise, each with its own SQLite file"
declare -A PLAN=([acme]=pro [startup]=starter [enterprise]=enterprise)
declare -A TOKEN
for tenant in "${DEMO_TENANTS[@]}"; do
  api POST /admin/tenants "$SILO_TOKEN" "{\"id\": \"$tenant\", \"name\": \"${tenant^} Inc\", \"plan\": \"${PLAN[$tenant]}\"}"
  expect 201
done

step "Create a tenant token for each tenant (shown once, stored hashed)"
for tenant in "${DEMO_TENANTS[@]}"; do
  api POST "/admin/tenants/$tenant/tokens" "$SILO_TOKEN" '{"name": "demo"}'
  expect 201
  TOKEN[$tenant]=$(json 'd["token"]')
done

step "Load the Northwind sample into acme with POST /api/import"
python3 "$SCRIPT_DIR/northwind-to-json.py" --northwind-dir "$NORTHWIND_DIR" --output "$WORK_DIR/northwind.json" 2>&1 \
  | sed 's/^/   /'
api POST /api/import "${TOKEN[acme]}" "@$WORK_DIR/northwind.json"
expect 200

step "Create a customer, two products and an order in startup"
api POST /api/customers "${TOKEN[startup]}" \
  '{"id": "HOOLI", "company_name": "Hooli", "contact_name": "Gavin Belson", "city": "Palo Alto", "country": "USA"}'
expect 201
api POST /api/products "${TOKEN[startup]}" \
  '{"sku": "ST-DESK", "name": "Standing desk", "unit_price_cents": 49900, "units_in_stock": 10}'
expect 201
desk=$(json 'd["id"]')
api POST /api/products "${TOKEN[startup]}" \
  '{"sku": "ST-CHAIR", "name": "Office chair", "unit_price_cents": 19950, "units_in_stock": 25}'
expect 201
chair=$(json 'd["id"]')
api POST /api/orders "${TOKEN[startup]}" \
  "{\"customer_id\": \"HOOLI\", \"freight_cents\": 2500, \"lines\": [
     {\"product_id\": $desk, \"unit_price_cents\": 49900, \"quantity\": 2, \"discount_percent\": 0},
     {\"product_id\": $chair, \"unit_price_cents\": 19950, \"quantity\": 4, \"discount_percent\": 10}]}"
expect 201
echo "   order $(json 'd["id"]') of startup: status $(json 'd["status"]'), total $(json 'd["total_cents"]') cents"
api GET "/api/products/$desk" "${TOKEN[startup]}"
expect 200
echo "   the order reserved stock: $(json 'd["units_in_stock"]') standing desks left of 10"

step "Create a customer, a product and an order in enterprise"
api POST /api/customers "${TOKEN[enterprise]}" \
  '{"id": "INITECH", "company_name": "Initech", "contact_name": "Bill Lumbergh", "city": "Austin", "country": "USA"}'
expect 201
api POST /api/products "${TOKEN[enterprise]}" \
  '{"sku": "EN-TPS", "name": "TPS report binder", "unit_price_cents": 1250, "units_in_stock": 500}'
expect 201
binder=$(json 'd["id"]')
api POST /api/orders "${TOKEN[enterprise]}" \
  "{\"customer_id\": \"INITECH\", \"lines\": [
     {\"product_id\": $binder, \"unit_price_cents\": 1250, \"quantity\": 120, \"discount_percent\": 5}]}"
expect 201
echo "   order $(json 'd["id"]') of enterprise: total $(json 'd["total_cents"]') cents"

step "List acme's pending orders (Northwind orders without a shipped date)"
api GET '/api/orders?status=pending&limit=1000' "${TOKEN[acme]}"
expect 200
echo "   acme has $(json 'len(d["items"])') pending orders: $(json '" ".join(str(o["id"]) for o in d["items"][:10])') ..."
api GET '/api/orders?status=pending' "${TOKEN[startup]}"
expect 200
echo "   startup sees only its own: $(json 'len(d["items"])') pending order(s)"

step "Suspend startup: its token gets 403 tenant_suspended, then resume it"
api POST /admin/tenants/startup/suspend "$SILO_TOKEN" '{"reason": "invoice overdue"}'
expect 200
api GET /api/orders "${TOKEN[startup]}"
expect 403
echo "   error code while suspended: $(json 'd["error"]["code"]')"
api POST /admin/tenants/startup/resume "$SILO_TOKEN"
expect 200
api GET /api/orders "${TOKEN[startup]}"
expect 200

step "Delete enterprise: its file is removed and its token now gets 401"
api DELETE /admin/tenants/enterprise "$SILO_TOKEN"
expect 204
api GET /api/orders "${TOKEN[enterprise]}"
expect 401

step "Tenants now on the server"
api GET /admin/tenants "$SILO_TOKEN"
expect 200
json '"\n".join("   %s (%s): %s" % (t["id"], t["plan"], t["status"]) for t in d["items"])'

printf '\nDemo finished: acme holds Northwind, startup is active again, enterprise is deleted.\n'
