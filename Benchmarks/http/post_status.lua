-- Durable "me too" through the Mastodon API, rotating over many accounts' tokens.
local tokens = {}
for line in io.lines(os.getenv("CHORUS_TOKENS")) do tokens[#tokens + 1] = line end
local counter = math.random(1, 1000000)
request = function()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local body = "status=me+too+" .. counter .. "+%23MeToo&visibility=public"
  return wrk.format("POST", "/api/v1/statuses",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
