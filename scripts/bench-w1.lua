-- wrk script of W1 and B2 in scripts/bench.sh: each request reads one product of a
-- random tenant, GET /api/products/{id}.
-- Reads the tenants as scripts/bench-lib.lua describes and the product ids (one a
-- line) from $BENCH_IDS_FILE. scripts/bench.sh and scripts/bench-scale.py write both.

-- bench-lib.lua is in this script's folder, which need not be the working folder.
local folder = debug.getinfo(1, "S").source:match("^@(.*/)") or ""
local lib = dofile(folder .. "bench-lib.lua")
local tenants, ids

function setup(thread)
  lib.number_thread(thread)
end

function init(args)
  tenants = lib.tenant_headers()
  ids = lib.read_lines("BENCH_IDS_FILE")
  lib.seed_random()
end

function request()
  local headers = tenants[math.random(#tenants)]
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/products/" .. id, headers)
end
