-- wrk script for `scripts/bench.sh churn`: each connection walks through every article
-- address in $CHURN_URLS (one per line), starting at its own offset, with $CHURN_DELAY_MS
-- between its requests, so every article page keeps being read while an editor works.
local paths = {}
for line in io.lines(os.getenv("CHURN_URLS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local pause = tonumber(os.getenv("CHURN_DELAY_MS") or "0")
local threads = 0

function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

local i = 0
function init(args)
  i = (offset or 0) % #paths
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function delay()
  return pause
end
