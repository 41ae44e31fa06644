-- "I believe you" on a few hot voices: favourite and unfavourite in turn, many accounts, one counter.
local tokens = {}
for line in io.lines(os.getenv("CHORUS_TOKENS")) do tokens[#tokens + 1] = line end
local voices = {}
for id in string.gmatch(os.getenv("CHORUS_HOT_VOICES"), "[^,]+") do voices[#voices + 1] = id end
local counter = math.random(1, 1000000)
request = function()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local voice = voices[(counter % #voices) + 1]
  local action = (math.floor(counter / #tokens) % 2 == 0) and "favourite" or "unfavourite"
  return wrk.format("POST", "/api/v1/statuses/" .. voice .. "/" .. action, { ["Authorization"] = "Bearer " .. token }, "")
end
