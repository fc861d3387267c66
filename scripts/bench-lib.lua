-- Shared part of the wrk scripts of scripts/bench.sh and scripts/bench-scale.py, which
-- load it with dofile from their own folder.
--
-- Environment:
--   BENCH_TOKENS_FILE  one tenant a line: "<tenant id> <token>", or only "<token>"
--   BENCH_TARGET       "silo" (the default) sends the tenant's token as
--                      Authorization: Bearer. "baseline" sends the tenant id as
--                      X-Tenant-ID, as SqliteTenantBaseline expects, and needs the ids.

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

-- Returns the header that names the tenant of one BENCH_TOKENS_FILE line to `target`.
local function tenant_header(line, target)
  local tenant, token = line:match("^(%S+)%s+(%S+)$")
  if not tenant then
    token = line:match("^(%S+)$")
  end
  assert(token, "BENCH_TOKENS_FILE lines must be '<tenant id> <token>' or '<token>', not: " .. line)
  if target == "silo" then
    return "Authorization", "Bearer " .. token
  end
  assert(tenant, "BENCH_TARGET=baseline needs '<tenant id> <token>' lines in BENCH_TOKENS_FILE")
  return "X-Tenant-ID", tenant
end

-- Returns a list of request header tables, one for each tenant of BENCH_TOKENS_FILE,
-- each with the headers of table `extra` (optional) added.
function lib.tenant_headers(extra)
  local target = os.getenv("BENCH_TARGET") or "silo"
  assert(target == "silo" or target == "baseline", "BENCH_TARGET must be silo or baseline, not " .. target)
  local headers = {}
  for _, line in ipairs(lib.read_lines("BENCH_TOKENS_FILE")) do
    local tenant_headers = {}
    for name, value in pairs(extra or {}) do
      tenant_headers[name] = value
    end
    local name, value = tenant_header(line, target)
    tenant_headers[name] = value
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
