/**
 * The Lua scripts the Redis workers run. Each is atomic on the server, which is what turns
 * at-least-once delivery (a killed worker's entries are delivered again) into exactly-once output.
 */

/**
 * Write one prediction, once per event id.
 * KEYS: done:<id>, output stream, metrics hash, train stream.
 * ARGV: id, p, prediction, group, duplicate ("true"/"false"), version, label ("0"/"1", or "-1" when the
 * label comes later), train payload ("" for none), done-key TTL in seconds.
 * Returns 1 when written, 0 when this id was already written (a redelivery).
 */
export const WRITE_PREDICTION = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[9]) == false then return 0 end
redis.call('XADD', KEYS[2], '*', 'id', ARGV[1], 'p', ARGV[2], 'prediction', ARGV[3], 'group', ARGV[4], 'duplicate', ARGV[5], 'version', ARGV[6])
redis.call('HINCRBY', KEYS[3], 'events', 1)
if ARGV[5] == 'true' then redis.call('HINCRBY', KEYS[3], 'duplicates', 1) end
if ARGV[7] ~= '-1' then
  local cell
  if ARGV[7] == '1' then
    if ARGV[3] == '1' then cell = 'tp' else cell = 'fn' end
  else
    if ARGV[3] == '1' then cell = 'fp' else cell = 'tn' end
  end
  redis.call('HINCRBY', KEYS[3], cell, 1)
  redis.call('HINCRBY', KEYS[3], 'labelled', 1)
end
if ARGV[8] ~= '' then redis.call('XADD', KEYS[4], '*', 'e', ARGV[8]) end
return 1
`;

/**
 * Score a late label, once per event id. KEYS: scored:<id>, metrics hash. ARGV: label, prediction, TTL s.
 * Returns 1 when counted, 0 when this id was scored before.
 */
export const SCORE_LABEL = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[3]) == false then return 0 end
local cell
if ARGV[1] == '1' then
  if ARGV[2] == '1' then cell = 'tp' else cell = 'fn' end
else
  if ARGV[2] == '1' then cell = 'fp' else cell = 'tn' end
end
redis.call('HINCRBY', KEYS[2], cell, 1)
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
