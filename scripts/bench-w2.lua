-- wrk script of W2 and B3 in scripts/bench.sh: each request creates an order of a
-- random tenant, POST /api/orders, for a random customer with one to three lines of
-- different random products and 1 to 5 units each.
-- Reads the tenants as scripts/bench-lib.lua describes, the customer ids (one a line)
-- from $BENCH_CUSTOMER_IDS_FILE and the ids of products that are not discontinued from
-- $BENCH_ORDER_PRODUCT_IDS_FILE. Every tenant must have all of these, with enough stock
-- for the whole run, or requests fail with 4xx.

-- bench-lib.lua is in this script's folder, which need not be the working folder.
local folder = debug.getinfo(1, "S").source:match("^@(.*/)") or ""
local lib = dofile(folder .. "bench-lib.lua")
local tenants, customers, products

function setup(thread)
  lib.number_thread(thread)
end

function init(args)
  tenants = lib.tenant_headers({ ["Content-Type"] = "application/json" })
  customers = lib.read_lines("BENCH_CUSTOMER_IDS_FILE")
  products = lib.read_lines("BENCH_ORDER_PRODUCT_IDS_FILE")
  assert(#products >= 3, "BENCH_ORDER_PRODUCT_IDS_FILE needs at least 3 products")
  lib.seed_random()
end

-- Returns the JSON lines of an order: `count` different products.
local function order_lines(count)
  local chosen, lines = {}, {}
  while #lines < count do
    local product = products[math.random(#products)]
    if not chosen[product] then
      chosen[product] = true
      lines[#lines + 1] = string.format('{"product_id":%s,"quantity":%d}', product, math.random(5))
    end
  end
  return table.concat(lines, ",")
end

function request()
  local body = string.format('{"customer_id":"%s","lines":[%s]}',
    customers[math.random(#customers)], order_lines(math.random(3)))
  return wrk.format("POST", "/api/orders", tenants[math.random(#tenants)], body)
end
