-- Replace reservation ARGV[1] by the actual cost ARGV[2] in every window (KEYS). A reservation already released as
-- expired still records its cost: the work was done. Returns the number of windows where it was still pending.
local id = ARGV[1]
local actual = tonumber(ARGV[2])
local found = 0
for i = 1, #KEYS do
  local key = KEYS[i]
  local held = redis.call('HGET', key .. ':amounts', id)
  if held then
    redis.call('HINCRBY', key, 'reserved', -tonumber(held))
    redis.call('HDEL', key .. ':amounts', id)
    redis.call('ZREM', key .. ':pending', id)
    found = found + 1
  end
  redis.call('HINCRBY', key, 'spent', actual)
end
return found
