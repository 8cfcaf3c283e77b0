/** One group of duplicate events, as shown by {@link DedupCenter.groups}. A plain, JSON-safe copy. */
export interface GroupRecord {
  /** Sequential id, 1-based, in creation order. Never reused. */
  id: number;
  /** 14 hex digits: the 53-bit hash of the key values (and the template when near-dup is on). */
  fingerprint: string;
  /** Events in the group (the representative included). */
  count: number;
  /** Earliest event time in the group, epoch ms (moves back when a late event joins). */
  firstSeen: number;
  /** Latest event time in the group, epoch ms (never moves back). */
  lastSeen: number;
  /** Id of the event that opened the group: the novel one, the one trained on. */
  representative: string;
  /** Last score given through setPrediction, or null. */
  lastPrediction: number | null;
  /** Masked text template, only when near-dup matching is on. */
  template?: string;
}
