"""The peer of `onthefly run`: a prequential (test-then-train) loop with scikit-learn's SGDClassifier.

Same JSONL stream, same schema (numeric with log1p for heavy tails and running standardisation,
one-hot categoricals with an "other" bucket, hashed users), same exact dedup (key fields, 5-minute
window), predict every event, partial_fit on each batch of novel events. Written the way a careful
Python user would: numpy arrays per batch, dict lookups per field.

usage: /usr/bin/python3 bench/sklearn_prequential.py FILE SCHEMA.json BATCH [nodedup]
(nodedup: every event is novel, for streams without key or timestamp)
prints one JSON object: events, unique, f1, accuracy, wall_ms (inside Python), events_per_sec.
"""
import json
import math
import sys
import time
import zlib
from datetime import datetime

import numpy as np
from sklearn.linear_model import SGDClassifier
from sklearn.preprocessing import StandardScaler

CAPACITY = 32
BUCKETS = 32
WINDOW_MS = 300_000


def main():
    path, schema_path, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    nodedup = len(sys.argv) > 4 and sys.argv[4] == "nodedup"
    t0 = time.perf_counter()
    schema = json.load(open(schema_path))
    label_field = schema["label"]["field"]
    positive = set(json.dumps(v) for v in schema["label"].get("positive", []))
    numeric = schema["numeric"]
    logs = set(schema.get("log", []))
    categorical = schema["categorical"]
    hashed = schema.get("hashed", [])
    key = schema.get("key") or []
    ts_field = schema.get("timestamp", "timestamp")
    n_num = len(numeric)
    offsets = []
    d = n_num
    for _ in categorical:
        offsets.append(d)
        d += CAPACITY + 1
    hoff = []
    for _ in hashed:
        hoff.append(d)
        d += BUCKETS
    slots = [dict() for _ in categorical]
    scaler = StandardScaler()
    clf = SGDClassifier(loss="log_loss", random_state=1)
    fitted = False
    groups = {}
    tp = fp = tn = fn = 0
    events = unique = 0
    pend_x, pend_y, pend_novel = [], [], []

    def vector(row):
        x = np.zeros(d)
        for j, f in enumerate(numeric):
            v = row.get(f)
            v = 0.0 if v is None else float(v)
            x[j] = math.copysign(math.log1p(abs(v)), v) if f in logs else v
        for j, f in enumerate(categorical):
            v = str(row.get(f))
            s = slots[j].get(v)
            if s is None:
                s = len(slots[j]) if len(slots[j]) < CAPACITY else CAPACITY
                if s < CAPACITY:
                    slots[j][v] = s
            x[offsets[j] + s] = 1.0
        for j, f in enumerate(hashed):
            x[hoff[j] + zlib.crc32(str(row.get(f)).encode()) % BUCKETS] = 1.0
        return x

    def flush():
        nonlocal tp, fp, tn, fn, fitted
        if not pend_x:
            return
        X = np.array(pend_x)
        y = np.array(pend_y)
        Xn = X.copy()
        if fitted:
            Xn[:, :n_num] = scaler.transform(X[:, :n_num])
            pred = clf.predict(Xn)
        else:
            pred = np.zeros(len(y), dtype=int)
        tp += int(((pred == 1) & (y == 1)).sum())
        fp += int(((pred == 1) & (y == 0)).sum())
        tn += int(((pred == 0) & (y == 0)).sum())
        fn += int(((pred == 0) & (y == 1)).sum())
        novel = np.array(pend_novel)
        if novel.any():
            scaler.partial_fit(X[novel, :n_num])
            Xt = X[novel].copy()
            Xt[:, :n_num] = scaler.transform(Xt[:, :n_num])
            clf.partial_fit(Xt, y[novel], classes=[0, 1])
            fitted = True
        pend_x.clear()
        pend_y.clear()
        pend_novel.clear()

    novel_pending = 0
    with open(path) as fh:
        for line in fh:
            row = json.loads(line)
            events += 1
            if nodedup:
                dup = False
            else:
                t = datetime.fromisoformat(row[ts_field].replace("Z", "+00:00")).timestamp() * 1000
                k = tuple(str(row.get(f)) for f in key)
                g = groups.get(k)
                dup = g is not None and t - g < WINDOW_MS
            if not dup:
                if not nodedup:
                    groups[k] = t
                unique += 1
            pend_x.append(vector(row))
            pend_y.append(1 if json.dumps(row.get(label_field)) in positive else 0)
            pend_novel.append(not dup)
            if not dup:
                novel_pending += 1
                if novel_pending >= batch:
                    flush()
                    novel_pending = 0
    flush()
    wall = (time.perf_counter() - t0) * 1000
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(json.dumps({
        "events": events, "unique": unique, "f1": f1, "accuracy": (tp + tn) / max(1, events),
        "wall_ms": wall, "events_per_sec": events / (wall / 1000),
    }))


if __name__ == "__main__":
    main()
