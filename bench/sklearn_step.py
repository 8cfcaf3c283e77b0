"""Peer for bench/learner.mjs: scikit-learn SGDClassifier(loss='log_loss').partial_fit on the same data.

Usage: /usr/bin/python3 bench/sklearn_step.py DATA.json [REPS]
DATA.json: {"X": [[...40 floats] × 256], "y": [0/1 × 256]}. Prints one JSON object:
  step_ms_p50   partial_fit on the 256-row batch, median over REPS calls (after warm-up)
  batch1_eps    events/s of predict_proba + partial_fit one row at a time (prequential, batch 1)
"""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import SGDClassifier


def main() -> None:
    path = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    with open(path) as f:
        data = json.load(f)
    X = np.asarray(data["X"], dtype=np.float64)
    y = np.asarray(data["y"], dtype=np.int64)
    classes = np.array([0, 1])
    clf = SGDClassifier(loss="log_loss", random_state=0)
    for _ in range(20):
        clf.partial_fit(X, y, classes=classes)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        clf.partial_fit(X, y, classes=classes)
        times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    step_ms_p50 = times[len(times) // 2]

    clf1 = SGDClassifier(loss="log_loss", random_state=0)
    clf1.partial_fit(X[:1], y[:1], classes=classes)
    rounds = 4
    t0 = time.perf_counter()
    n = 0
    for _ in range(rounds):
        for i in range(X.shape[0]):
            xi = X[i : i + 1]
            clf1.predict_proba(xi)
            clf1.partial_fit(xi, y[i : i + 1])
            n += 1
    batch1_eps = n / (time.perf_counter() - t0)
    print(json.dumps({"step_ms_p50": step_ms_p50, "batch1_eps": batch1_eps, "reps": reps, "rows": int(X.shape[0]), "features": int(X.shape[1])}))


if __name__ == "__main__":
    main()
