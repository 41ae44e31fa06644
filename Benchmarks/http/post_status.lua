-- Durable "me too" through the Mastodon API, rotating over many accounts' tokens. Each wrk thread starts half the
-- list away from the other and steps through it in turn, so the requests in flight are from different people, as
-- on a real day (one person does not post 64 voices at once; two writes from one account wait on its rows).
local tokens = {}
for line in io.lines(os.getenv("CHORUS_TOKENS")) do tokens[#tokens + 1] = line end
local threads = 0
setup = function(thread)
  thread:set("first", threads)
  threads = threads + 1
end
local counter = nil
request = function()
  counter = (counter or (first or 0) * math.floor(#tokens / 2)) + 1
  local token = tokens[(counter % #tokens) + 1]
  local body = "status=me+too+" .. counter .. "+%23MeToo&visibility=public"
  return wrk.format("POST", "/api/v1/statuses",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
