import { parseTime } from '../stream/validate';
import type { Row } from '../types';
import {
  type CloseReason,
  type DedupOptions,
  type ResolvedDedupOptions,
  resolveDedupOptions,
} from './dedup-options';
import { FingerprintHasher, fingerprintParts, fingerprintString } from './fingerprint';
import type { GroupRecord } from './group-record';
import { maskTemplate } from './template-mask';

export type { DedupOptions, CloseReason } from './dedup-options';
export type { GroupRecord } from './group-record';

/** What the center decided for one event. */
export interface DedupDecision {
  /** Id of the group the event belongs to. */
  group: number;
  /** The group's fingerprint (14 hex digits). */
  fingerprint: string;
  /** True when the event joined an existing group; false when it opened one (it is novel, the representative). */
  duplicate: boolean;
}

/** Counters since the center was created (or since the state it was restored from). */
export interface DedupStats {
  /** Events observed. */
  events: number;
  /** Events that opened a group (= groups created). */
  unique: number;
  /** Events that joined a group. unique + duplicates = events. */
  duplicates: number;
  /** Groups created. groups = live + evictions + closed. */
  groups: number;
  /** Groups held now (≤ maxGroups). */
  live: number;
  /** Groups dropped by the live-group bound (least recently seen first). */
  evictions: number;
  /** events / unique; 1 when empty. */
  compression: number;
  /** Groups closed by time: expired (a later event fell outside the window) or late (an out-of-order straggler, a group of one). */
  closed: number;
  /** Events whose time was earlier than the last-seen time of the live group of their fingerprint. */
  outOfOrder: number;
  /** Events counted in groups no longer live (evicted or closed). closedEvents + Σ live counts = events. */
  closedEvents: number;
}

const STATE_FORMAT = 'onthefly.dedup';
const STATE_VERSION = 1;

/** One saved group: [key, id, fingerprint, count, firstSeen, lastSeen, representative, lastPrediction, template|null]. */
type SavedGroup = [number, number, string, number, number, number, string, number | null, string | null];

/** The JSON-safe state of a {@link DedupCenter} (see getState). */
export interface DedupState {
  format: typeof STATE_FORMAT;
  version: number;
  /** windowMs is null for Infinity (JSON has no Infinity). */
  options: Omit<ResolvedDedupOptions, 'windowMs' | 'windowEvents'> & { windowMs: number | null; windowEvents?: number | null };
  nextId: number;
  counters: {
    events: number;
    unique: number;
    duplicates: number;
    evictions: number;
    closed: number;
    outOfOrder: number;
    closedEvents: number;
  };
  /** Live groups, least recently seen first (the LRU order). */
  groups: SavedGroup[];
}

const INITIAL_CAPACITY = 1024;
const LOW = 2097152; // 2^21

// One table entry = 8 doubles = one 64-byte cache line: everything a duplicate event touches.
const KEY = 0; // 53-bit fingerprint; -1 = empty entry
const ID = 1;
const COUNT = 2;
const FIRST = 3;
const LAST = 4;
const SLOT = 6; // stable slot number (strings, recency queue, id index)
const STRIDE = 8; // (two spare)

/**
 * The deduplication center: fingerprints events by their key fields (and, with near-dup, their
 * masked message template), groups equal fingerprints within an event-time window, bounds the live
 * groups with least-recently-seen eviction. Semantics: docs/dedup.md.
 *
 * Storage, built so that a duplicate event touches one random cache line of the big table (plus a
 * 4-byte version in a small per-slot array):
 * - an open-addressing table (linear probing, load ≤ ½, backward-shift deletion) of 8-double
 *   entries holding the whole group (key, id, count, first/last seen, prediction, slot), in one
 *   Float64Array grown by doubling up to maxGroups;
 * - per stable slot: the representative id, the template, the entry's table position, a version, the
 *   group id and its last prediction (setPrediction, once per event, touches these small arrays, not
 *   the big table);
 * - exact least-recently-seen order without a linked list: a touch bumps the slot's version and
 *   appends (slot, version) to a queue; eviction pops the queue, skipping stale entries (version
 *   changed since); the queue is compacted in place when full (4 × capacity), so it stays bounded,
 *   is always in recency order, and costs amortised O(1) with no access to the big table;
 * - a small id → slot table for setPrediction / group, built on their first call and kept from then on
 *   (the pipeline keeps each event's slot and calls setPredictionAt: a run never builds it).
 * The fingerprint string is formatted from the hash per event, never looked up.
 */
export class DedupCenter {
  private opts: ResolvedDedupOptions;
  private hasher: FingerprintHasher;
  /** The window compared with a group's span: windowMs, or windowEvents in event-count mode. */
  private windowMs: number;
  /** Event-count mode: times are the center's event positions (1, 2, …). */
  private byCount: boolean;
  private maxGroups: number;
  private nearDup: boolean;
  private textField: string;
  private readonly onClose: DedupOptions['onClose'];

  /** Slot capacity (table holds ≥ 2 × cap entries) and slots in use (= live groups). */
  private cap = 0;
  private used = 0;
  private tab = new Float64Array(0);
  private mask = 0;
  private shift = 32;
  /** Per slot: table position, representative id, template. */
  private pos = new Int32Array(0);
  private reps: string[] = [];
  private tmpls: (string | undefined)[] = [];
  /** Per slot: touch version (wraps; a stale queue entry cannot survive 2^32 touches of its slot). */
  private ver = new Int32Array(0);
  /** Per slot: the live group's id, and its last prediction (NaN = none). */
  private slotIds = new Float64Array(0);
  private preds = new Float64Array(0);
  /** Recency queue: slots and their versions, oldest first, live part [qHead, qLen). */
  private qSlot = new Int32Array(0);
  private qVer = new Int32Array(0);
  private qHead = 0;
  private qLen = 0;
  /** Slot touched last (its queue entry is the newest), -1 none. */
  private mru = -1;
  /** Pairs [group id | 0, slot + 1] (slot + 1 = 0: empty), as many as table entries; kept only once `indexed`. */
  private idTable = new Int32Array(0);
  private indexed = false;

  private nextId = 1;
  private nEvents = 0;
  private nUnique = 0;
  private nDuplicates = 0;
  private nEvictions = 0;
  private nClosed = 0;
  private nOutOfOrder = 0;
  private nClosedEvents = 0;

  constructor(options: DedupOptions = {}) {
    this.opts = resolveDedupOptions(options);
    this.onClose = options.onClose;
    this.hasher = new FingerprintHasher(this.opts.key);
    this.byCount = this.opts.windowEvents !== undefined;
    this.windowMs = this.opts.windowEvents ?? this.opts.windowMs;
    this.maxGroups = this.opts.maxGroups;
    this.nearDup = this.opts.nearDup;
    this.textField = this.opts.textField;
    this.allocate(Math.min(this.maxGroups, INITIAL_CAPACITY));
  }

  /** Effective options (defaults filled in). */
  get options(): Readonly<ResolvedDedupOptions> {
    return this.opts;
  }

  /**
   * Decide for one event. `fields` holds its raw fields, `time` its event time in epoch ms or as an
   * ISO 8601 / epoch-ms string such as the generator's `timestamp` (finite; a RangeError otherwise), `id` its event id (kept as the representative when it opens a group).
   * With `windowEvents`, `time` is not used: the event's position in the center (1, 2, …) replaces it,
   * and groups' firstSeen / lastSeen are positions.
   */
  observe(fields: Row, time: number | string, id: string): DedupDecision {
    const group = this.observeGroup(fields, time, id);
    return { group, fingerprint: fingerprintString(this.lastHi, this.lastLo), duplicate: this.lastDuplicate };
  }

  /** Whether the event of the last {@link observeGroup} call joined an existing group. */
  lastDuplicate = false;
  /**
   * The slot of the group of the last {@link observeGroup} call (−1: a late straggler's group, closed
   * at once), for {@link setPredictionAt}.
   */
  lastSlot = -1;
  private lastHi = 0;
  private lastLo = 0;

  /** The fingerprint (14 hex digits) of the event of the last {@link observeGroup} call. */
  lastFingerprint(): string {
    return fingerprintString(this.lastHi, this.lastLo);
  }

  /**
   * {@link observe} without building the decision (the pipeline's hot path): returns the group id;
   * {@link lastDuplicate} and {@link lastFingerprint} give the rest of it. Same decisions, same state.
   */
  observeGroup(fields: Row, time: number | string, id: string): number {
    if (this.byCount) time = this.nEvents + 1;
    else if (typeof time === 'string') time = parseTime(time);
    if (typeof time !== 'number' || !(time - time === 0)) {
      throw new RangeError(`dedup: event time must be a finite number of ms or an ISO 8601 / epoch-ms string, got ${String(time)}`);
    }
    let template: string | undefined;
    const hasher = this.hasher;
    if (this.nearDup) {
      const raw = fields[this.textField];
      template = raw === undefined || raw === null ? undefined : maskTemplate(typeof raw === 'string' ? raw : String(raw));
      hasher.lanes(fields, true, template);
    } else {
      hasher.lanes(fields);
    }
    const hi = hasher.hi;
    const lo = hasher.lo;
    const key = (hi >>> 0) * LOW + lo;
    this.nEvents++;
    this.lastHi = hi;
    this.lastLo = lo;

    // probe for the live group of this fingerprint
    const t = this.tab;
    const mask = this.mask;
    let p = hi & mask;
    let found = false;
    for (;;) {
      const k = t[p * STRIDE];
      if (k === key) {
        found = true;
        break;
      }
      if (k < 0) break;
      p = (p + 1) & mask;
    }

    if (!found) {
      // a new fingerprint: a free slot, or the least recently seen group's
      let slot: number;
      if (this.used === this.cap && this.cap < this.maxGroups) {
        this.grow();
        p = this.findEmpty(hi);
      }
      if (this.used < this.cap) {
        slot = this.used++;
      } else {
        slot = this.popOldest();
        this.evict(slot);
        p = this.findEmpty(hi); // deletion may have shifted entries
      }
      this.open(p, slot, key, time, id, template);
      this.lastDuplicate = false;
      this.lastSlot = slot;
      return this.slotIds[slot]!;
    }

    const b = p * STRIDE;
    const first = t[b + FIRST];
    const last = t[b + LAST];
    if (time < last) this.nOutOfOrder++;
    const from = time < first ? time : first;
    const to = time > last ? time : last;
    if (to - from < this.windowMs) {
      // joins: the group's span stays shorter than the window
      t[b + COUNT]++;
      t[b + FIRST] = from;
      t[b + LAST] = to;
      this.nDuplicates++;
      const slot = t[b + SLOT];
      if (slot !== this.mru) this.touch(slot);
      this.lastDuplicate = true;
      this.lastSlot = slot;
      return t[b + ID];
    }
    if (time >= first) {
      // the window has passed: the group closes, a new one of the same fingerprint takes its entry
      const slot = t[b + SLOT];
      this.closed(slot, 'expired');
      if (this.indexed) this.idRemove(slot);
      this.open(p, slot, key, time, id, template);
      this.lastDuplicate = false;
      this.lastSlot = slot;
      return this.slotIds[slot]!;
    }
    // a late straggler, too old for the live group: a group of one, closed at once; the live group is untouched
    const gid = this.nextId++;
    this.nUnique++;
    this.nClosed++;
    this.nClosedEvents++;
    this.lastDuplicate = false;
    this.lastSlot = -1;
    if (this.onClose) {
      const fingerprint = fingerprintString(hi, lo);
      const r: GroupRecord = {
        id: gid, fingerprint, count: 1, firstSeen: time, lastSeen: time, representative: id, lastPrediction: null,
      };
      if (template !== undefined) r.template = template;
      this.onClose(r, 'late');
    }
    return gid;
  }

  /** Record the last score of a live group (shown in its record). Ignored for a group no longer live; a non-finite p is stored as null. */
  setPrediction(group: number, p: number): void {
    const s = this.idFind(group);
    if (s >= 0) this.preds[s] = Number.isFinite(p) ? p : NaN;
  }

  /**
   * {@link setPrediction} for a group whose slot the caller kept from {@link lastSlot} when the event
   * was observed: the same effect (ignored when the group is no longer live: its slot holds another
   * group, or none), without looking the id up.
   */
  setPredictionAt(group: number, slot: number, p: number): void {
    if (slot >= 0 && slot < this.used && this.slotIds[slot] === group) this.preds[slot] = Number.isFinite(p) ? p : NaN;
  }

  /** The live groups, most recently seen first (copies; for a notebook table). */
  groups(): GroupRecord[] {
    return this.byRecency()
      .reverse()
      .map((s) => this.record(s));
  }

  /** One live group by id (a copy), or undefined. */
  group(id: number): GroupRecord | undefined {
    const s = this.idFind(id);
    return s < 0 ? undefined : this.record(s);
  }

  stats(): DedupStats {
    return {
      events: this.nEvents,
      unique: this.nUnique,
      duplicates: this.nDuplicates,
      groups: this.nextId - 1,
      live: this.used,
      evictions: this.nEvictions,
      compression: this.nUnique === 0 ? 1 : this.nEvents / this.nUnique,
      closed: this.nClosed,
      outOfOrder: this.nOutOfOrder,
      closedEvents: this.nClosedEvents,
    };
  }

  /** A JSON-safe snapshot (options, counters, live groups in LRU order): setState on it continues identically. */
  getState(): DedupState {
    const groups: SavedGroup[] = [];
    const t = this.tab;
    for (const s of this.byRecency()) {
      const b = this.pos[s] * STRIDE;
      const [hi, lo] = fingerprintParts(t[b + KEY]);
      const tm = this.tmpls[s];
      groups.push([
        t[b + KEY], t[b + ID], fingerprintString(hi, lo), t[b + COUNT], t[b + FIRST], t[b + LAST], this.reps[s],
        Number.isNaN(this.preds[s]!) ? null : this.preds[s]!, tm === undefined ? null : tm,
      ]);
    }
    const o = this.opts;
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      options: {
        key: [...o.key],
        windowMs: Number.isFinite(o.windowMs) ? o.windowMs : null,
        ...(o.windowEvents !== undefined ? { windowEvents: o.windowEvents } : {}),
        maxGroups: o.maxGroups,
        nearDup: o.nearDup,
        textField: o.textField,
      },
      nextId: this.nextId,
      counters: {
        events: this.nEvents,
        unique: this.nUnique,
        duplicates: this.nDuplicates,
        evictions: this.nEvictions,
        closed: this.nClosed,
        outOfOrder: this.nOutOfOrder,
        closedEvents: this.nClosedEvents,
      },
      groups,
    };
  }

  /**
   * Restore a snapshot from getState (possibly through JSON). The options saved in the state replace
   * the constructor's (fingerprints depend on them); the onClose callback is kept. Throws on a state
   * that is not a dedup state of this version.
   */
  setState(state: unknown): void {
    const st = state as DedupState;
    if (!st || typeof st !== 'object' || st.format !== STATE_FORMAT || st.version !== STATE_VERSION) {
      throw new TypeError(`dedup: not a ${STATE_FORMAT} state of version ${STATE_VERSION}`);
    }
    if (!Array.isArray(st.groups) || !st.counters || !st.options || !Number.isSafeInteger(st.nextId)) {
      throw new TypeError('dedup: malformed state');
    }
    const opts = resolveDedupOptions({
      key: st.options.key,
      ...(st.options.windowEvents != null
        ? { windowEvents: st.options.windowEvents }
        : { windowMs: st.options.windowMs === null ? Infinity : st.options.windowMs }),
      maxGroups: st.options.maxGroups,
      nearDup: st.options.nearDup,
      textField: st.options.textField,
    });
    const n = st.groups.length;
    if (n > opts.maxGroups) throw new TypeError('dedup: state holds more groups than maxGroups');
    for (const g of st.groups) {
      if (!Array.isArray(g) || g.length !== 9 || !Number.isSafeInteger(g[0]) || g[0] < 0 || !Number.isSafeInteger(g[1])) {
        throw new TypeError('dedup: malformed group in state');
      }
    }
    this.opts = opts;
    this.hasher = new FingerprintHasher(opts.key);
    this.byCount = opts.windowEvents !== undefined;
    this.windowMs = opts.windowEvents ?? opts.windowMs;
    this.maxGroups = opts.maxGroups;
    this.nearDup = opts.nearDup;
    this.textField = opts.textField;
    let cap = Math.min(opts.maxGroups, INITIAL_CAPACITY);
    while (cap < n) cap = Math.min(opts.maxGroups, cap * 2);
    this.allocate(cap);
    const t = this.tab;
    for (const g of st.groups) {
      const [hi] = fingerprintParts(g[0]);
      const slot = this.used++;
      const p = this.findEmpty(hi);
      const b = p * STRIDE;
      t[b + KEY] = g[0];
      t[b + ID] = g[1];
      t[b + COUNT] = g[3];
      t[b + FIRST] = g[4];
      t[b + LAST] = g[5];
      t[b + SLOT] = slot;
      this.slotIds[slot] = g[1];
      this.preds[slot] = g[7] === null ? NaN : g[7];
      this.pos[slot] = p;
      this.reps[slot] = g[6];
      this.tmpls[slot] = g[8] === null ? undefined : g[8];
      if (this.indexed) this.idInsert(slot);
      this.touch(slot);
    }
    this.nextId = st.nextId;
    const c = st.counters;
    this.nEvents = c.events;
    this.nUnique = c.unique;
    this.nDuplicates = c.duplicates;
    this.nEvictions = c.evictions;
    this.nClosed = c.closed;
    this.nOutOfOrder = c.outOfOrder;
    this.nClosedEvents = c.closedEvents;
  }

  // ------------------------------------------------------------------ internals

  /** Start a new group in table position p, slot `slot`. */
  private open(p: number, slot: number, key: number, time: number, id: string, template: string | undefined): void {
    const t = this.tab;
    const b = p * STRIDE;
    t[b + KEY] = key;
    const gid = this.nextId++;
    t[b + ID] = gid;
    t[b + COUNT] = 1;
    t[b + FIRST] = time;
    t[b + LAST] = time;
    t[b + SLOT] = slot;
    this.slotIds[slot] = gid;
    this.preds[slot] = NaN;
    this.pos[slot] = p;
    this.reps[slot] = id;
    this.tmpls[slot] = template;
    if (this.indexed) this.idInsert(slot);
    this.nUnique++;
    this.touch(slot);
  }

  private record(slot: number): GroupRecord {
    const t = this.tab;
    const b = this.pos[slot] * STRIDE;
    const [hi, lo] = fingerprintParts(t[b + KEY]);
    const r: GroupRecord = {
      id: t[b + ID],
      fingerprint: fingerprintString(hi, lo),
      count: t[b + COUNT],
      firstSeen: t[b + FIRST],
      lastSeen: t[b + LAST],
      representative: this.reps[slot],
      lastPrediction: Number.isNaN(this.preds[slot]!) ? null : this.preds[slot]!,
    };
    const tm = this.tmpls[slot];
    if (tm !== undefined) r.template = tm;
    return r;
  }

  private closed(slot: number, reason: CloseReason): void {
    this.nClosed++;
    this.nClosedEvents += this.tab[this.pos[slot] * STRIDE + COUNT];
    if (this.onClose) this.onClose(this.record(slot), reason);
  }

  /** Drop the (least recently seen) group of `slot` to make room; the slot is reused by the caller. */
  private evict(slot: number): void {
    this.nEvictions++;
    this.nClosedEvents += this.tab[this.pos[slot] * STRIDE + COUNT];
    if (this.onClose) this.onClose(this.record(slot), 'evicted');
    if (this.indexed) this.idRemove(slot);
    this.deleteAt(this.pos[slot]);
  }

  /** Mark the group of `slot` the most recently seen. */
  private touch(slot: number): void {
    const v = (this.ver[slot] + 1) | 0;
    this.ver[slot] = v;
    if (this.qLen === this.qSlot.length) this.compactQueue();
    this.qSlot[this.qLen] = slot;
    this.qVer[this.qLen] = v;
    this.qLen++;
    this.mru = slot;
  }

  /** The least recently seen live slot, taken off the queue (called only when every slot is live). */
  private popOldest(): number {
    const ver = this.ver;
    for (;;) {
      const s = this.qSlot[this.qHead];
      const v = this.qVer[this.qHead];
      this.qHead++;
      if (ver[s] === v) return s;
    }
  }

  /** Drop stale queue entries in place (one entry per live slot remains, in recency order). */
  private compactQueue(): void {
    const ver = this.ver;
    const qs = this.qSlot;
    const qv = this.qVer;
    let w = 0;
    for (let r = this.qHead; r < this.qLen; r++) {
      const s = qs[r];
      const v = qv[r];
      if (ver[s] === v) {
        qs[w] = s;
        qv[w] = v;
        w++;
      }
    }
    this.qHead = 0;
    this.qLen = w;
  }

  /** Live slots, least recently seen first. */
  private byRecency(): number[] {
    this.compactQueue();
    return Array.from(this.qSlot.subarray(0, this.qLen));
  }

  private home(key: number): number {
    return (Math.floor(key / LOW) | 0) & this.mask;
  }

  private findEmpty(hi: number): number {
    const t = this.tab;
    const mask = this.mask;
    let p = hi & mask;
    while (t[p * STRIDE] >= 0) p = (p + 1) & mask;
    return p;
  }

  /** Remove the entry at position p (backward-shift deletion: no tombstones). */
  private deleteAt(p: number): void {
    const t = this.tab;
    const mask = this.mask;
    let i = p;
    let j = p;
    for (;;) {
      j = (j + 1) & mask;
      const k = t[j * STRIDE];
      if (k < 0) break;
      const h = this.home(k);
      if (i <= j ? i < h && h <= j : i < h || h <= j) continue;
      t.copyWithin(i * STRIDE, j * STRIDE, j * STRIDE + STRIDE);
      this.pos[t[i * STRIDE + SLOT]] = i;
      i = j;
    }
    t[i * STRIDE] = -1;
  }

  private idHome(id: number): number {
    return Math.imul(id | 0, 0x9e3779b1) >>> this.shift;
  }

  /** Slot of the live group `id`, or -1. The id table holds pairs [id | 0, slot + 1]. */
  private idFind(id: number): number {
    if (!Number.isSafeInteger(id) || id <= 0) return -1;
    if (!this.indexed) {
      this.indexed = true;
      for (let s = 0; s < this.used; s++) this.idInsert(s);
    }
    const table = this.idTable;
    const mask = this.mask;
    const low = id | 0;
    let i = this.idHome(id);
    for (;;) {
      const e = table[2 * i + 1];
      if (e === 0) return -1;
      if (table[2 * i] === low && this.slotIds[e - 1] === id) return e - 1;
      i = (i + 1) & mask;
    }
  }

  private idInsert(slot: number): void {
    const table = this.idTable;
    const mask = this.mask;
    const id = this.slotIds[slot]!;
    let i = this.idHome(id);
    while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
    table[2 * i] = id | 0;
    table[2 * i + 1] = slot + 1;
  }

  private idRemove(slot: number): void {
    const table = this.idTable;
    const mask = this.mask;
    let i = this.idHome(this.slotIds[slot]!);
    while (table[2 * i + 1] !== slot + 1) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const e = table[2 * j + 1];
      if (e === 0) break;
      const h = this.idHome(table[2 * j]);
      if (i <= j ? i < h && h <= j : i < h || h <= j) continue;
      table[2 * i] = table[2 * j];
      table[2 * i + 1] = e;
      i = j;
    }
    table[2 * i] = 0;
    table[2 * i + 1] = 0;
  }

  /** Fresh, empty storage for `cap` slots. */
  private allocate(cap: number): void {
    this.cap = cap;
    this.used = 0;
    this.sizeTable(cap);
    this.pos = new Int32Array(cap);
    this.ver = new Int32Array(cap);
    this.slotIds = new Float64Array(cap);
    this.preds = new Float64Array(cap);
    this.reps = new Array<string>(cap).fill('');
    this.tmpls = new Array<string | undefined>(cap).fill(undefined);
    this.qSlot = new Int32Array(4 * cap + 16);
    this.qVer = new Int32Array(4 * cap + 16);
    this.qHead = 0;
    this.qLen = 0;
    this.mru = -1;
  }

  private sizeTable(cap: number): void {
    let bits = 4;
    while (1 << bits < 2 * cap) bits++;
    this.tab = new Float64Array(STRIDE << bits).fill(-1);
    this.idTable = new Int32Array(2 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  /**
   * Grow the slot capacity (up to maxGroups), keeping every group, its slot and the recency order (and
   * the id index, when built, from the per-slot ids): 8× while every event so far opened a group of its
   * own (a stream of distinct events: fewer rehashes of a table that keeps filling), else 2×.
   */
  private grow(): void {
    const distinct = this.nDuplicates === 0 && this.nClosed === 0 && this.nEvictions === 0;
    const cap = Math.min(this.maxGroups, this.cap * (distinct ? 8 : 2));
    const old = this.tab;
    const oldSize = this.mask + 1;
    this.sizeTable(cap);
    const t = this.tab;
    for (let q = 0; q < oldSize; q++) {
      const k = old[q * STRIDE];
      if (k < 0) continue;
      const p = this.findEmpty(Math.floor(k / LOW) | 0);
      for (let e = 0; e < STRIDE; e++) t[p * STRIDE + e] = old[q * STRIDE + e]!;
      this.pos[old[q * STRIDE + SLOT]] = p;
    }
    const pos = new Int32Array(cap);
    pos.set(this.pos);
    this.pos = pos;
    const ver = new Int32Array(cap);
    ver.set(this.ver);
    this.ver = ver;
    const slotIds = new Float64Array(cap);
    slotIds.set(this.slotIds);
    this.slotIds = slotIds;
    const preds = new Float64Array(cap);
    preds.set(this.preds);
    this.preds = preds;
    for (let s = this.cap; s < cap; s++) {
      this.reps.push('');
      this.tmpls.push(undefined);
    }
    if (this.indexed) for (let s = 0; s < this.used; s++) this.idInsert(s);
    this.compactQueue();
    const qSlot = new Int32Array(4 * cap + 16);
    qSlot.set(this.qSlot.subarray(0, this.qLen));
    this.qSlot = qSlot;
    const qVer = new Int32Array(4 * cap + 16);
    qVer.set(this.qVer.subarray(0, this.qLen));
    this.qVer = qVer;
    this.cap = cap;
  }
}
