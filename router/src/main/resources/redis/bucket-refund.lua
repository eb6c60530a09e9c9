-- Give ARGV[2] tokens back to bucket KEYS[1] (capacity ARGV[1]), e.g. when a request used fewer tokens than it
-- was charged at admission. Never fills past capacity; a bucket that expired is full anyway.
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
if not state[1] then
  return 0
end
local tokens = math.min(tonumber(ARGV[1]), tonumber(state[1]) + tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens))
return 1
