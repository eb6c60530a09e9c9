-- Token buckets refilled continuously over one minute: take ARGV cost from every bucket (KEYS) or from none.
-- ARGV: per key, its capacity (per minute) then the cost. Time comes from Redis, the same for every replica.
-- Returns {1, remaining...} or {0, index of the first bucket short, its remaining, ms until it has the cost or -1}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local level = {}
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[2 * i - 1])
  local cost = tonumber(ARGV[2 * i])
  local rate = capacity / 60000
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local tokens = tonumber(state[1]) or capacity
  local ts = tonumber(state[2]) or now
  tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
  if cost > tokens then
    local wait = -1
    if cost <= capacity and rate > 0 then
      wait = math.ceil((cost - tokens) / rate)
    end
    return {0, i, math.floor(tokens), wait}
  end
  level[i] = tokens - cost
end
local result = {1}
for i = 1, #KEYS do
  redis.call('HSET', KEYS[i], 'tokens', tostring(level[i]), 'ts', now)
  redis.call('PEXPIRE', KEYS[i], 120000)
  result[i + 1] = math.floor(level[i])
end
return result
