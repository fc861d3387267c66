-- wrk script of workload W1 in scripts/bench.sh: each request reads one product of a
-- random tenant, GET /api/products/{id} with that tenant's token.
-- Reads the tokens (one a line) from $BENCH_TOKENS_FILE and the product ids from
-- $BENCH_IDS_FILE, which scripts/bench.sh writes after provisioning.

local function read_lines(variable)
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

local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
end

local tokens, ids

function init(args)
  tokens = read_lines("BENCH_TOKENS_FILE")
  ids = read_lines("BENCH_IDS_FILE")
  -- Each thread has its own Lua state, so seed each differently.
  math.randomseed(os.time() * 1000 + thread_number)
end

function request()
  local token = tokens[math.random(#tokens)]
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/products/" .. id, { ["Authorization"] = "Bearer " .. token })
end
