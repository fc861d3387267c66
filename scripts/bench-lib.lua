-- Shared part of the wrk scripts of scripts/bench.sh. Each script loads it with
-- dofile("scripts/bench-lib.lua"), so wrk must run from the repository folder.
--
-- Environment:
--   BENCH_TENANTS_FILE  one tenant a line: "<tenant id> <token>"
--   BENCH_TARGET        "silo" sends the tenant's token (Authorization: Bearer), and
--                       "baseline" sends the tenant id (X-Tenant-ID), as the
--                       SqliteTenantBaseline server expects

local lib = {}

-- Returns the non-empty lines of the file named by environment variable `variable`.
function lib.read_lines(variable)
  local path = os.getenv(variable)
  assert(path, variable .. " is not set")
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  assert(#lines > 0, path .. " is empty")
  return lines
end

-- Returns a list of request header tables, one for each tenant of BENCH_TENANTS_FILE,
-- each with the headers of table `extra` (optional) added.
function lib.tenant_headers(extra)
  local target = os.getenv("BENCH_TARGET") or "silo"
  assert(target == "silo" or target == "baseline", "BENCH_TARGET must be silo or baseline, not " .. target)
  local headers = {}
  for _, line in ipairs(lib.read_lines("BENCH_TENANTS_FILE")) do
    local tenant, token = line:match("^(%S+)%s+(%S+)$")
    assert(tenant, "BENCH_TENANTS_FILE lines must be '<tenant id> <token>', not: " .. line)
    local tenant_headers = {}
    for name, value in pairs(extra or {}) do
      tenant_headers[name] = value
    end
    if target == "silo" then
      tenant_headers["Authorization"] = "Bearer " .. token
    else
      tenant_headers["X-Tenant-ID"] = tenant
    end
    headers[#headers + 1] = tenant_headers
  end
  return headers
end

-- Numbers wrk's threads in setup(), which runs in the main Lua state, so that each
-- thread can seed its random numbers differently in init().
local next_thread = 0

function lib.number_thread(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
end

function lib.seed_random()
  -- Each thread has its own Lua state with the same default seed.
  math.randomseed(os.time() * 1000 + (thread_number or 0))
end

return lib
