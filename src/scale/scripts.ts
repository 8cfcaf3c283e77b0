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
 * event id), the rejects (once per entry id), the metric counters, the batch's train rows, and the XACK
 * of every entry of the batch. Because the acknowledgement is in the same script as the writes, an entry
 * is never acknowledged without its output; a kill before the script costs a redelivery, which the done
 * marks turn into a no-op.
 *
 * Redis' cost is per command call, so the per-event state lives in bucketed hashes and sets, read and
 * written with one call per bucket for the whole batch (HMGET/HSET, SMISMEMBER/SADD) instead of one key
 * per event (docs/scale-out.md):
 * - dedup: hash `<prefix>:dedup:<k>` per window of W ms (k = floor(now / W)), field = fingerprint,
 *   value = "<ms of the group's first event> <its id as JSON>"; looked up in buckets k and k-1 (an older
 *   bucket can only hold groups older than W), a group being open while now - first <= W, exactly as a
 *   key set with PX W; each bucket expires as a whole at (k + 2)·W. Window "0": one hash, no expiry.
 * - done marks: set `<prefix>:done:<k>` per TTL of D s (k = floor(now / D)), members = the ids (as JSON)
 *   whose prediction is written and `entry:<entry id>` for rejects; buckets k and k-1 are checked, each
 *   expires as a whole at (k + 2)·D, so an id is remembered for at least D and less than 2·D seconds.
 * - train rows: one `:train` entry per batch (`e` = a JSON array of the labelled novel events, as they
 *   came) instead of one per event.
 * - the output entry: one field `r`, the prediction as JSON.
 * Those keys are built from the prefix inside the script (their names depend on Redis' clock), so the
 * script is for a standalone Redis, not a cluster.
 *
 * KEYS: 1 output stream, 2 metrics hash, 3 train stream, 4 input stream, 5 rejects stream.
 * ARGV: 1 prefix of the shared keys, 2 TTL of the done marks and stored events in s, 3 dedup window in
 * ms ("0": no expiry; "off": no dedup), 4 the consumer group, 5 store unlabelled events for late labels
 * ("1"/"0"), 6 the model version, 7 events n, 8 rejects m; then five blocks of n values: the ids as
 * JSON, the fingerprints, the heads of the output records (`{"id":…,"p":…,"prediction":…,"group":`),
 * the confusion cells ("tp"/"fp"/"tn"/"fn", "" unlabelled), the payloads (labelled: the event's JSON,
 * trained on when novel; unlabelled with store: `{"f":…,"pred":…}`; else ""); then 3 per reject: entry id,
 * reason, raw; then the entry ids to acknowledge.
 * Returns {written, redelivered, duplicates among the written}.
 */
export const PROCESS_BATCH = `
local prefix, ttl, window, group, store, version = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local n, m = tonumber(ARGV[7]), tonumber(ARGV[8])
local I, F, H, C, P = 8, 8 + n, 8 + 2 * n, 8 + 3 * n, 8 + 4 * n
local t = redis.call('TIME')
local nowms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local sub, find, floor = string.sub, string.find, math.floor
-- one command per 1000 arguments (Lua's unpack limit); results concatenated
local function each(cmd, key, from, to)
  local out = {}
  for s = from, to, 1000 do
    local r = redis.call(cmd, key, unpack(ARGV, s, math.min(to, s + 999)))
    for j = 1, #r do out[#out + 1] = r[j] end
  end
  return out
end
local function put(cmd, key, list)
  for s = 1, #list, 1000 do redis.call(cmd, key, unpack(list, s, math.min(#list, s + 999))) end
end
-- dedup: the owner (id as JSON) of each event's group
local owners = {}
if window == 'off' or n == 0 then
  for i = 1, n do owners[i] = ARGV[I + i] end
else
  local W = tonumber(window)
  local cur, prev, expireAt
  if W == 0 then cur = prefix .. ':dedup'
  else
    local k = floor(nowms / W)
    cur, prev, expireAt = prefix .. ':dedup:' .. k, prefix .. ':dedup:' .. (k - 1), (k + 2) * W
  end
  local inCur = each('HMGET', cur, F + 1, F + n)
  local inPrev = (prev and redis.call('EXISTS', prev) == 1) and each('HMGET', prev, F + 1, F + n) or {}
  local opened, new = {}, {}
  for i = 1, n do
    local fp, jid = ARGV[F + i], ARGV[I + i]
    local owner = opened[fp]
    if not owner then
      local v = inCur[i]
      if v then owner = sub(v, find(v, ' ', 1, true) + 1)
      else
        v = inPrev[i]
        if v then
          local sp = find(v, ' ', 1, true)
          if nowms - tonumber(sub(v, 1, sp - 1)) <= W then owner = sub(v, sp + 1) end
        end
      end
      if not owner then
        owner = jid
        new[#new + 1] = fp
        new[#new + 1] = nowms .. ' ' .. jid
      end
      opened[fp] = owner
    end
    owners[i] = owner
  end
  if #new > 0 then
    put('HSET', cur, new)
    if expireAt then redis.call('PEXPIREAT', cur, string.format('%d', expireAt)) end
  end
end
-- done marks: which ids are written already
local k = floor(nowms / 1000 / ttl)
local doneCur, donePrev, doneAt = prefix .. ':done:' .. k, prefix .. ':done:' .. (k - 1), string.format('%d', (k + 2) * ttl)
local hasPrev = redis.call('EXISTS', donePrev) == 1
local isDone, wasDone = {}, {}
if n > 0 then
  isDone = each('SMISMEMBER', doneCur, I + 1, I + n)
  if hasPrev then wasDone = each('SMISMEMBER', donePrev, I + 1, I + n) end
end
local tailNovel, tailDup = ',"duplicate":false,"version":' .. version .. '}', ',"duplicate":true,"version":' .. version .. '}'
local counts = {}
local function add(name, c) counts[name] = (counts[name] or 0) + c end
local written, redelivered, dups, labelled = 0, 0, 0, 0
local marks, rows, seen = {}, {}, {}
local out = KEYS[1]
for i = 1, n do
  local jid = ARGV[I + i]
  if isDone[i] == 1 or wasDone[i] == 1 or seen[jid] then
    redelivered = redelivered + 1
  else
    seen[jid] = true
    marks[#marks + 1] = jid
    written = written + 1
    local owner = owners[i]
    local duplicate = owner ~= jid
    redis.call('XADD', out, '*', 'r', ARGV[H + i] .. owner .. (duplicate and tailDup or tailNovel))
    if duplicate then dups = dups + 1 end
    local cell = ARGV[C + i]
    if cell ~= '' then
      add(cell, 1)
      labelled = labelled + 1
      if not duplicate and ARGV[P + i] ~= '' then rows[#rows + 1] = ARGV[P + i] end
    elseif store == '1' and not duplicate then
      redis.call('SET', prefix .. ':event:' .. jid, ARGV[P + i], 'EX', ttl)
    end
  end
end
if written > 0 then add('events', written) end
if dups > 0 then add('duplicates', dups) end
if labelled > 0 then add('labelled', labelled) end
if #rows > 0 then redis.call('XADD', KEYS[3], '*', 'n', #rows, 'e', '[' .. table.concat(rows, ',') .. ']') end
local r0 = 9 + 5 * n
for j = 1, m do
  local a = r0 + (j - 1) * 3
  local mark = 'entry:' .. ARGV[a]
  if redis.call('SISMEMBER', doneCur, mark) == 0 and not (hasPrev and redis.call('SISMEMBER', donePrev, mark) == 1) and not seen[mark] then
    seen[mark] = true
    marks[#marks + 1] = mark
    redis.call('XADD', KEYS[5], '*', 'entry', ARGV[a], 'error', ARGV[a + 1], 'raw', ARGV[a + 2])
  end
end
if #marks > 0 then
  put('SADD', doneCur, marks)
  redis.call('EXPIREAT', doneCur, doneAt)
end
for name, c in pairs(counts) do redis.call('HINCRBY', KEYS[2], name, c) end
local first = r0 + m * 3
for s = first, #ARGV, 1000 do redis.call('XACK', KEYS[4], group, unpack(ARGV, s, math.min(#ARGV, s + 999))) end
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
