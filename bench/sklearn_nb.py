"""The peer of the naive Bayes bench row: scikit-learn's GaussianNB fed a CSV stream one row at a time.

Prequential at batch 1, as `bench/trees.mjs` runs onthefly's models: predict_proba on the row (0 before
the first fit), then partial_fit on it. Numeric features from the schema, label 1 when the label
field's value is listed in schema.label.positive.

usage: /usr/bin/python3 bench/sklearn_nb.py FILE.csv SCHEMA.json
prints one JSON object: events, accuracy, wall_ms (the loop only), events_per_sec.
"""
import csv
import warnings
import json
import sys
import time

import numpy as np
from sklearn.naive_bayes import GaussianNB


def main():
    # The first rows have zero variances (scikit-learn warns, and predicts as it can): the peer as users run it.
    path, schema_path = sys.argv[1], sys.argv[2]
    schema = json.load(open(schema_path))
    numeric = schema["numeric"]
    label = schema["label"]["field"]
    positive = set(str(v) for v in schema["label"]["positive"])
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    X = np.array([[float(r[f]) for f in numeric] for r in rows])
    y = np.array([1 if r[label] in positive else 0 for r in rows])
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    clf = GaussianNB()
    classes = np.array([0, 1])
    correct = 0
    fitted = False
    t0 = time.perf_counter()
    for i in range(len(y)):
        xi = X[i : i + 1]
        p = clf.predict_proba(xi)[0, 1] if fitted else 0.0
        correct += int((p >= 0.5) == (y[i] == 1))
        clf.partial_fit(xi, y[i : i + 1], classes=classes)
        fitted = True
    wall = (time.perf_counter() - t0) * 1000
    print(json.dumps({"events": int(len(y)), "accuracy": correct / len(y), "wall_ms": wall, "events_per_sec": len(y) / (wall / 1000)}))


if __name__ == "__main__":
    main()
