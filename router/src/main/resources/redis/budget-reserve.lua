-- Reserve ARGV[1] nano-dollars in every budget window (KEYS) or in none.
-- KEYS[i]: window hash {spent, reserved}; its pending reservations live in KEYS[i]..':pending' (zset: id -> expiry
-- ms) and KEYS[i]..':amounts' (hash: id -> amount). ARGV: amount, reservation id, hold ms, window ttl s, then one
-- limit per key. Expired reservations (a router that died before settling) are released first.
-- Returns {1, smallest remaining} or {0, index of the first window that does not fit, its remaining}.
local amount = tonumber(ARGV[1])
local id = ARGV[2]
local hold = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local smallest = nil
for i = 1, #KEYS do
  local key = KEYS[i]
  local pending = key .. ':pending'
  local amounts = key .. ':amounts'
  local expired = redis.call('ZRANGEBYSCORE', pending, '-inf', now)
  for _, old in ipairs(expired) do
    local held = tonumber(redis.call('HGET', amounts, old) or '0')
    redis.call('HINCRBY', key, 'reserved', -held)
    redis.call('HDEL', amounts, old)
    redis.call('ZREM', pending, old)
  end
  local spent = tonumber(redis.call('HGET', key, 'spent') or '0')
  local reserved = tonumber(redis.call('HGET', key, 'reserved') or '0')
  local remaining = tonumber(ARGV[4 + i]) - spent - reserved
  if amount > remaining then
    return {0, i, remaining}
  end
  if smallest == nil or remaining - amount < smallest then
    smallest = remaining - amount
  end
end
for i = 1, #KEYS do
  local key = KEYS[i]
  redis.call('HINCRBY', key, 'reserved', amount)
  redis.call('ZADD', key .. ':pending', now + hold, id)
  redis.call('HSET', key .. ':amounts', id, amount)
  for _, k in ipairs({key, key .. ':pending', key .. ':amounts'}) do
    redis.call('EXPIRE', k, ttl)
  end
end
return {1, smallest or 0}
