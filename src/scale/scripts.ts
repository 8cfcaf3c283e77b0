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
 * Write a batch of predictions, each once per event id, in one round trip.
 * KEYS: output stream, metrics hash, train stream, then done:<id> for each of the n events.
 * ARGV: done-key TTL in seconds, then 8 values per event: id, p, prediction, group, duplicate
 * ("true"/"false"), version, label ("0"/"1", or "-1" when the label comes later), train payload ("" for none).
 * Returns the number written; an event whose id was already written (a redelivery) is skipped.
 * The metrics hash gets one HINCRBY per counter and batch.
 */
export const WRITE_PREDICTIONS = CELL + `
local counts = {}
local function add(name) counts[name] = (counts[name] or 0) + 1 end
local written = 0
for i = 4, #KEYS do
  local a = 2 + (i - 4) * 8
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[1]) then
    written = written + 1
    redis.call('XADD', KEYS[1], '*', 'id', ARGV[a], 'p', ARGV[a + 1], 'prediction', ARGV[a + 2], 'group', ARGV[a + 3], 'duplicate', ARGV[a + 4], 'version', ARGV[a + 5])
    add('events')
    if ARGV[a + 4] == 'true' then add('duplicates') end
    if ARGV[a + 6] ~= '-1' then
      add(cell(ARGV[a + 6], ARGV[a + 2]))
      add('labelled')
    end
    if ARGV[a + 7] ~= '' then redis.call('XADD', KEYS[3], '*', 'e', ARGV[a + 7]) end
  end
end
for name, n in pairs(counts) do redis.call('HINCRBY', KEYS[2], name, n) end
return written
`;

/**
 * Shared dedup for a batch in one round trip: for each fingerprint key, the id of the group's first
 * event (set if absent, with the window as its TTL). KEYS: dedup:<fingerprint> per event. ARGV: the
 * events' ids, then the TTL in ms ("0": no TTL). Returns the owner id per event (its own id when it is
 * the first; a redelivered event finds its own id and stays novel).
 */
export const DEDUP_OWNERS = `
local ttl = ARGV[#KEYS + 1]
local owners = {}
for i = 1, #KEYS do
  local old
  if ttl == '0' then old = redis.call('SET', KEYS[i], ARGV[i], 'NX', 'GET')
  else old = redis.call('SET', KEYS[i], ARGV[i], 'NX', 'GET', 'PX', ttl) end
  if old then owners[i] = old else owners[i] = ARGV[i] end
end
return owners
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
