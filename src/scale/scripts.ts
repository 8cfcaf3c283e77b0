/**
 * The Lua scripts the Redis workers run. Each is atomic on the server, which is what turns
 * at-least-once delivery (a killed worker's entries are delivered again) into exactly-once output.
 */

/** Lua: the confusion-matrix cell of a label ("0"/"1") and a prediction ("0"/"1"). */
const CELL = `
local function cell(label, prediction)
  if label == '1' then
    if prediction == '1' then return 'tp' else return 'fn' end
  end
  if prediction == '1' then return 'fp' else return 'tn' end
end
`;

/**
 * One batch of input entries, in one round trip and atomically: shared dedup, the predictions (once per
 * event id), the rejects (once per entry id), the metric counters, the train entries, and the XACK of
 * every entry of the batch. Because the acknowledgement is in the same script as the writes, an entry is
 * never acknowledged without its output; a kill before the script costs a redelivery, which the done
 * keys turn into a no-op.
 *
 * KEYS: 1 output stream, 2 metrics hash, 3 train stream, 4 input stream, 5 rejects stream; then per event
 * dedup:<fingerprint> (or any key when dedup is off), done:<id>, event:<id>; then done:entry:<entry id> per reject.
 * ARGV: 1 TTL of done/event keys in s, 2 dedup window in ms ("0": no TTL; "off": no dedup), 3 the
 * consumer group, 4 store unlabelled events for late labels ("1"/"0"), 5 events n, 6 rejects m;
 * then 6 values per event: id, p, prediction, version, label ("0"/"1", "-1" for none), fields JSON
 * ("" when neither trained on nor stored); then 3 per reject: entry id, reason, raw; then the entry ids
 * to acknowledge.
 * Returns {written, redelivered, duplicates among the written}.
 */
export const PROCESS_BATCH = CELL + `
local ttl, window, group, store = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local n, m = tonumber(ARGV[5]), tonumber(ARGV[6])
local counts = {}
local function add(name) counts[name] = (counts[name] or 0) + 1 end
local written, redelivered, dups = 0, 0, 0
for i = 1, n do
  local a, k = 7 + (i - 1) * 6, 6 + (i - 1) * 3
  local id, p, pred, version, label, fields = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  -- the first writer of a fingerprint owns the group; a redelivered event finds its own id and stays novel
  local owner = id
  if window ~= 'off' then
    local old
    if window == '0' then old = redis.call('SET', KEYS[k], id, 'NX', 'GET')
    else old = redis.call('SET', KEYS[k], id, 'NX', 'GET', 'PX', window) end
    if old then owner = old end
  end
  local duplicate = owner ~= id
  if redis.call('SET', KEYS[k + 1], '1', 'NX', 'EX', ttl) then
    written = written + 1
    redis.call('XADD', KEYS[1], '*', 'id', id, 'p', p, 'prediction', pred, 'group', owner, 'duplicate', tostring(duplicate), 'version', version)
    add('events')
    if duplicate then add('duplicates'); dups = dups + 1 end
    if label ~= '-1' then
      add(cell(label, pred))
      add('labelled')
      if not duplicate then redis.call('XADD', KEYS[3], '*', 'e', '{"f":' .. fields .. ',"y":' .. label .. '}') end
    elseif store == '1' and not duplicate then
      redis.call('SET', KEYS[k + 2], '{"f":' .. fields .. ',"pred":' .. pred .. '}', 'EX', ttl)
    end
  else
    redelivered = redelivered + 1
  end
end
local r0 = 7 + n * 6
for j = 1, m do
  local a = r0 + (j - 1) * 3
  if redis.call('SET', KEYS[5 + n * 3 + j], '1', 'NX', 'EX', ttl) then
    redis.call('XADD', KEYS[5], '*', 'entry', ARGV[a], 'error', ARGV[a + 1], 'raw', ARGV[a + 2])
  end
end
for name, c in pairs(counts) do redis.call('HINCRBY', KEYS[2], name, c) end
local first = r0 + m * 3
local ids = {}
for i = first, #ARGV do
  ids[#ids + 1] = ARGV[i]
  if #ids == 1000 then redis.call('XACK', KEYS[4], group, unpack(ids)); ids = {} end
end
if #ids > 0 then redis.call('XACK', KEYS[4], group, unpack(ids)) end
return {written, redelivered, dups}
`;

/**
 * Append one round of `produce` in one call: the events, then their labels. KEYS: 1 the event stream,
 * 2 the labels stream (any key when there are no labels). ARGV: 1 events n, then n lines (field `e`),
 * then (id, label) pairs. Returns the number of entries added. One command per round instead of one
 * per entry: the client's per-command cost, not Redis, was what bounded the producer.
 */
export const ADD_ENTRIES = `
local n = tonumber(ARGV[1])
for i = 2, n + 1 do redis.call('XADD', KEYS[1], '*', 'e', ARGV[i]) end
local added = n
for i = n + 2, #ARGV, 2 do
  redis.call('XADD', KEYS[2], '*', 'id', ARGV[i], 'label', ARGV[i + 1])
  added = added + 1
end
return added
`;

/**
 * Score a late label, once per event id. KEYS: scored:<id>, metrics hash. ARGV: label, prediction, TTL s.
 * Returns 1 when counted, 0 when this id was scored before.
 */
export const SCORE_LABEL = CELL + `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[3]) == false then return 0 end
redis.call('HINCRBY', KEYS[2], cell(ARGV[1], ARGV[2]), 1)
redis.call('HINCRBY', KEYS[2], 'labelled', 1)
return 1
`;

/** Renew the lease if we hold it. KEYS: lease. ARGV: holder, ms. Returns 1 when held (renewed). */
export const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** Give the lease up if we hold it. KEYS: lease. ARGV: holder. */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Publish a model snapshot if we still hold the lease. KEYS: lease, model state, model version.
 * ARGV: holder, state JSON, version. Returns 1 when published.
 */
export const PUBLISH_MODEL = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[3])
return 1
`;
