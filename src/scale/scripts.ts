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
 * One batch of input entries, in one round trip and atomically: shared dedup, the predictions (one output
 * entry per input entry, written once per input entry id), the rejects, the metric counters, the batch's
 * train rows, and the XACK of every entry of the batch. Because the acknowledgement is in the same script
 * as the writes, an entry is never acknowledged without its output; a kill before the script costs a
 * redelivery, which the done marks turn into a no-op.
 *
 * An input entry carries one event or several (`produce --pack K`: field `e` = K JSON lines joined by
 * "\n"). Its events are written together: one output entry per input entry, field `r` = the prediction
 * records of its events, one JSON line each, in the entry's order. Idempotence is keyed on the input
 * entry id — one done mark per entry, gating its records and its rejects alike — so each event id of the
 * input has exactly one record however often its entry is delivered. Redis' cost is per command call and
 * per entry (XREADGROUP, the pending list, XACK, XADD), so packing divides those by K.
 *
 * The per-event state lives in bucketed hashes and sets, read and written with one call per bucket for
 * the whole batch (HMGET/HSET, SMISMEMBER/SADD) instead of one key per event (docs/scale-out.md):
 * - dedup: hash `<prefix>:dedup:<k>` per window of W ms (k = floor(now / W)), field = fingerprint,
 *   value = "<ms of the group's first event> <its id as JSON>"; looked up in buckets k and k-1 (an older
 *   bucket can only hold groups older than W), a group being open while now - first <= W, exactly as a
 *   key set with PX W; each bucket expires as a whole at (k + 2)·W. Window "0": one hash, no expiry.
 * - done marks: set `<prefix>:done:<k>` per TTL of D s (k = floor(now / D)), members = the input entry
 *   ids whose output is written; buckets k and k-1 are checked, each expires as a whole at (k + 2)·D,
 *   so an entry is remembered for at least D and less than 2·D seconds.
 * - train rows: one `:train` entry per batch: `e` = the batch's labelled events as they came, one JSON
 *   line each (the worker's one argument, stored as it is), `m` = one character per line, "1" for the
 *   novel events of entries written now (the rows to learn), "0" for the others; `n` = how many "1"s.
 *
 * Redis' Lua interns every string it makes, hashing all its bytes, and its garbage collector sweeps them,
 * so what costs is the number of strings and bytes that pass through Lua per event: the worker sends each
 * event's whole record (as it reads when novel) and the labelled events as one argument, and the script
 * makes a new string per event only for a duplicate's record.
 * Those keys are built from the prefix inside the script (their names depend on Redis' clock), so the
 * script is for a standalone Redis, not a cluster.
 *
 * KEYS: 1 output stream, 2 metrics hash, 3 train stream, 4 input stream, 5 rejects stream.
 * ARGV: 1 prefix of the shared keys, 2 TTL of the done marks and stored events in s, 3 dedup window in
 * ms ("0": no expiry; "off": no dedup), 4 the consumer group, 5 store unlabelled events for late labels
 * ("1"/"0"), 6 the model version, 7 entries E, 8 events n, 9 rejects m; then the E entry ids (every one
 * is marked and acknowledged), the E counts of valid events per entry (summing to n, in entry order);
 * then the labelled events' JSON lines joined by "\n" (in event order; "" when none); then four blocks
 * of n values: the ids as JSON, the fingerprints, the output records as when novel
 * (`{"id":…,"p":…,"prediction":…,"group":<the id as JSON>,"duplicate":false,"version":<ARGV 6>}`), the
 * confusion cells ("tp"/"fp"/"tn"/"fn"; "" unlabelled, and then with store the event kept for its late
 * label, `{"f":…,"pred":…}`, follows in a fifth block of n, "" for the labelled); then 4 per reject: its
 * entry's index (1-based, in the E entries), its line in the entry (1-based), reason, raw.
 * Returns {events written, events redelivered (their entry was written already), duplicates among the written}.
 */
export const PROCESS_BATCH = `
local prefix, ttl, window, group, store, version = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local E, n, m = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local EI, EC = 9, 9 + E
local block = ARGV[10 + 2 * E]
local I = 10 + 2 * E
local F, R, C, P = I + n, I + 2 * n, I + 3 * n, I + 4 * n
local t = redis.call('TIME')
local nowms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local sub, find, floor, concat = string.sub, string.find, math.floor, table.concat
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
-- done marks: which entries are written already
local k = floor(nowms / 1000 / ttl)
local doneCur, donePrev, doneAt = prefix .. ':done:' .. k, prefix .. ':done:' .. (k - 1), string.format('%d', (k + 2) * ttl)
local isDone = E > 0 and each('SMISMEMBER', doneCur, EI + 1, EI + E) or {}
local wasDone = (E > 0 and redis.call('EXISTS', donePrev) == 1) and each('SMISMEMBER', donePrev, EI + 1, EI + E) or {}
local fresh, marks, seen = {}, {}, {}
for j = 1, E do
  local id = ARGV[EI + j]
  if isDone[j] ~= 1 and wasDone[j] ~= 1 and not seen[id] then
    fresh[j] = true
    seen[id] = true
    marks[#marks + 1] = id
  end
end
-- dedup: the owner (id as JSON) of each event's group (redelivered events too: each finds its own id)
local owners = {}
if window == 'off' or n == 0 then
  for i = 1, n do owners[i] = ARGV[I + i] end
else
  local W = tonumber(window)
  local cur, prev, expireAt
  if W == 0 then cur = prefix .. ':dedup'
  else
    local kw = floor(nowms / W)
    cur, prev, expireAt = prefix .. ':dedup:' .. kw, prefix .. ':dedup:' .. (kw - 1), (kw + 2) * W
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
local tailNovel = ',"duplicate":false,"version":' .. version .. '}'
local tailDup = ',"duplicate":true,"version":' .. version .. '}'
local cells = { tp = 0, fp = 0, tn = 0, fn = 0 }
local written, redelivered, dups, labelled, learn = 0, 0, 0, 0, 0
local mask = {}
local out = KEYS[1]
local i = 0
for j = 1, E do
  local c = tonumber(ARGV[EC + j])
  local isFresh = fresh[j]
  local lines = {}
  for q = 1, c do
    i = i + 1
    local jid, owner, cell = ARGV[I + i], owners[i], ARGV[C + i]
    local duplicate = owner ~= jid
    if isFresh then
      local rec = ARGV[R + i]
      if duplicate then
        rec = sub(rec, 1, #rec - #jid - #tailNovel) .. owner .. tailDup
        dups = dups + 1
      end
      lines[q] = rec
      if cell ~= '' then
        cells[cell] = cells[cell] + 1
        labelled = labelled + 1
      elseif store == '1' and not duplicate then
        redis.call('SET', prefix .. ':event:' .. jid, ARGV[P + i], 'EX', ttl)
      end
    end
    if cell ~= '' then
      if isFresh and not duplicate then
        mask[#mask + 1] = '1'
        learn = learn + 1
      else
        mask[#mask + 1] = '0'
      end
    end
  end
  if not isFresh then
    redelivered = redelivered + c
  elseif c > 0 then
    written = written + c
    redis.call('XADD', out, '*', 'r', concat(lines, '\\n'))
  end
end
if learn > 0 then redis.call('XADD', KEYS[3], '*', 'n', learn, 'e', block, 'm', concat(mask)) end
local r0 = (store == '1') and (I + 5 * n) or (I + 4 * n)
for q = 1, m do
  local a = r0 + (q - 1) * 4
  local j = tonumber(ARGV[a + 1])
  if fresh[j] then redis.call('XADD', KEYS[5], '*', 'entry', ARGV[EI + j], 'line', ARGV[a + 2], 'error', ARGV[a + 3], 'raw', ARGV[a + 4]) end
end
if #marks > 0 then
  put('SADD', doneCur, marks)
  redis.call('EXPIREAT', doneCur, doneAt)
end
if written > 0 then redis.call('HINCRBY', KEYS[2], 'events', written) end
if dups > 0 then redis.call('HINCRBY', KEYS[2], 'duplicates', dups) end
if labelled > 0 then redis.call('HINCRBY', KEYS[2], 'labelled', labelled) end
for name, c in pairs(cells) do if c > 0 then redis.call('HINCRBY', KEYS[2], name, c) end end
for s = EI + 1, EI + E, 1000 do redis.call('XACK', KEYS[4], group, unpack(ARGV, s, math.min(EI + E, s + 999))) end
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

/**
 * Renew the lease if we hold it, or take it again if it lapsed, nobody holds it and the model version is
 * still the one we published or loaded last (so no other trainer published, hence acknowledged, anything
 * meanwhile: continuing with the rows in hand loses nothing). KEYS: lease, model version. ARGV: holder,
 * ms, our model version. Returns 1 when held (renewed or taken again).
 */
export const RENEW_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder == false and tonumber(redis.call('GET', KEYS[2]) or '0') == tonumber(ARGV[3]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
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
 * Publish a model snapshot if we still hold the lease, and acknowledge the train (or labels) entries
 * whose rows it has all learned, in one atomic step (an entry is never acknowledged without the model
 * that learned it, and the trainer pays one round trip per publish, not three). The new version is one
 * past the larger of the stored one and ours. KEYS: lease, model state, model version, the stream the
 * rows came from. ARGV: holder, state JSON, our version, the trainer group, then the entry ids to
 * acknowledge (any number). Returns the new version, or 0 when the lease has moved (nothing written).
 */
export const PUBLISH_MODEL = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local v = math.max(tonumber(redis.call('GET', KEYS[3]) or '0'), tonumber(ARGV[3])) + 1
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], v)
for s = 5, #ARGV, 1000 do redis.call('XACK', KEYS[4], ARGV[4], unpack(ARGV, s, math.min(#ARGV, s + 999))) end
return v
`;

/**
 * The model, when its version is newer than ours: a non-trainer's check, sent with its batch (no round
 * trip of its own). KEYS: model version, model state. ARGV: our version. Returns {version} or
 * {version, state} when version > ours.
 */
export const MODEL_IF_NEWER = `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v > tonumber(ARGV[1]) then
  local state = redis.call('GET', KEYS[2])
  if state then return {v, state} end
end
return {v}
`;
