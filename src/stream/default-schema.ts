import type { Schema } from '../types';

/** The schema of the built-in generator's events. */
export const GENERATOR_SCHEMA: Schema = {
  label: { field: 'critical', positive: [1, '1', true, 'true'] },
  numeric: ['severity', 'failed_logins', 'net_bytes', 'cpu_load', 'temperature_c', 'latency_ms'],
  categorical: ['incident_type', 'source_kind', 'source'],
  hashed: ['user'],
  log: ['net_bytes', 'latency_ms'],
  key: ['incident_type', 'source', 'user'],
  ignore: ['event_id', 'timestamp', 'source_ip', 'dest_ip', 'message', 'regime', 'oracle_p'],
  timestamp: 'timestamp',
  id: 'event_id',
  oracle: 'oracle_p',
  regime: 'regime',
  text: 'message',
};
