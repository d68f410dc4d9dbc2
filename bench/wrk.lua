-- wrk script of the API benchmark (bench/api.py, bench/load.py). Configured by environment:
--   BENCH_MODE     "static": BENCH_METHOD BENCH_PATH, the same request every time
--                  "regions": BENCH_METHOD BENCH_PATH .. 4 digits, cycling over 100 regions
--                  "person": POST BENCH_PATH, each body a new person with a distinct valid
--                  citizen ID (GB 11643), as canlian.testing.workloads.citizen_id(number)
--   BENCH_TOKEN    bearer token sent with every request
--   BENCH_OFFSET   first number of the citizen IDs ("person")
--   BENCH_THREADS  wrk's -t, so that thread i takes numbers offset + i, offset + i + threads, ...
-- Every response outside 200-299 is counted; done() prints one line "bench-result {json}".

local mode = os.getenv("BENCH_MODE") or "static"
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local token = os.getenv("BENCH_TOKEN")

-- setup() and done() run in wrk's main Lua state, request() and response() in each thread's.
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

-- ---- citizen IDs -----------------------------------------------------------------------

local WEIGHTS = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 }
local CHECK = "10X98765432"
local DAY_1940_01_01 = -10958 -- days from 1970-01-01

local function check_digit(first17)
  local total = 0
  for i = 1, 17 do
    total = total + (first17:byte(i) - 48) * WEIGHTS[i]
  end
  local at = total % 11 + 1
  return CHECK:sub(at, at)
end

-- Proleptic Gregorian date of a day number (days from 1970-01-01): H. Hinnant's algorithm.
local function civil_from_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor(
    (doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365
  )
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local day = doy - math.floor((153 * mp + 2) / 5) + 1
  local month = mp < 10 and mp + 3 or mp - 9
  local year = yoe + era * 400 + (month <= 2 and 1 or 0)
  return year, month, day
end

-- Same numbering as canlian.testing.workloads.citizen_id: distinct below 20,000,000.
function citizen_id(number, county)
  local year, month, day = civil_from_days(DAY_1940_01_01 + number % 20000)
  local body = string.format(
    "%s%04d%02d%02d%03d", county or "620102", year, month, day, math.floor(number / 20000) % 1000
  )
  return body .. check_digit(body)
end

-- ---- requests --------------------------------------------------------------------------

local step, next_number, sent = 1, 0, 0

function init(args)
  if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  if mode == "person" then
    wrk.headers["Content-Type"] = "application/json"
  end
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  next_number = tonumber(os.getenv("BENCH_OFFSET") or "0") + (thread_index or 0)
end

non_2xx, statuses, sample = 0, {}, nil

if mode == "regions" then
  function request()
    sent = sent + 1
    return wrk.format(method, path .. string.format("%04d", sent % 100))
  end
elseif mode == "person" then
  function request()
    local number = next_number
    next_number = next_number + step
    -- Address code 620100 (兰州市 itself): the legacy import's register (bench/legacy_import.py)
    -- fills 城关区 620102 with random IDs, and the national fill (bench/national_cards.py)
    -- gives each person its village's county, 七里河区 620103 among them; these would meet
    -- theirs as 409s. No village lies directly under the city, so no generated ID has it.
    local body = '{"citizen_id":"' .. citizen_id(number, "620100")
      .. '","name":"\\u738b\\u4e94","residence_division_code":"620103001001"}'
    return wrk.format("POST", path, nil, body)
  end
else
  function request()
    return wrk.format(method, path)
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
    if sample == nil then
      sample = key .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

-- ---- result ----------------------------------------------------------------------------

local function quote(text)
  text = text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte())
  end)
  return '"' .. text .. '"'
end

function done(summary, latency, requests)
  local non2xx, codes, first = 0, {}, nil
  for _, thread in ipairs(threads) do
    non2xx = non2xx + (thread:get("non_2xx") or 0)
    for code, count in pairs(thread:get("statuses") or {}) do
      codes[code] = (codes[code] or 0) + count
    end
    first = first or thread:get("sample")
  end
  local parts = {}
  for code, count in pairs(codes) do
    table.insert(parts, string.format("%s:%d", quote(code), count))
  end
  local e = summary.errors
  io.write(string.format(
    'bench-result {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,'
      .. '"max_us":%d,"mean_us":%.1f,"non_2xx":%d,"statuses":{%s},"sample":%s,'
      .. '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d}}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, non2xx, table.concat(parts, ","),
    first and quote(first) or "null",
    e.connect, e.read, e.write, e.timeout
  ))
end
