#!/usr/bin/env python3
"""The off-the-shelf alternatives to logistics_crm's sentiment alert, measured
the same way.

Two well-kept PyPI packages score sentiment offline: SnowNLP (Chinese; its
model ships in the wheel) and VADER (English; vaderSentiment, which the module
uses for its lexicon). Either alone could raise the alert when a text's score
is at or below a threshold. For each, this script picks the threshold with the
best F1 on the training sets of logistics_crm/tests/data (what
scripts/train-sentiment-model trains on), then measures precision and recall
on the held-out set sentiment_blind3.csv, next to the module's scorer
(logistics_crm/tools/sentiment.py), and the time each takes per 1,000
messages. No Odoo, no database.

    pip install snownlp vaderSentiment
    benchmarks/sentiment_alternatives.py

Exit status 0, or 2 when a package is missing.
"""

import csv
import importlib.util
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "logistics_crm" / "tests" / "data"
TRAINING = (
    "sentiment_messages.csv",
    "sentiment_blind.csv",
    "sentiment_blind2.csv",
    "sentiment_train_b2b.csv",
    "sentiment_train_consumer.csv",
    "sentiment_train_en.csv",
    "sentiment_train_mixed.csv",
)
HELD_OUT = "sentiment_blind3.csv"
TIMED = 1000


def read(name):
    with open(DATA / name, encoding="utf-8", newline="") as file:
        return [(row["language"], row["alert"] == "1", row["text"]) for row in csv.DictReader(file)]


def figures(labels, alerts):
    tp = sum(1 for label, alert in zip(labels, alerts, strict=True) if label and alert)
    fp = sum(1 for label, alert in zip(labels, alerts, strict=True) if alert and not label)
    fn = sum(1 for label, alert in zip(labels, alerts, strict=True) if label and not alert)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def per_thousand(score, texts):
    batch = list(itertools.islice(itertools.cycle(texts), TIMED))
    start = time.perf_counter()
    for text in batch:
        score(text)
    return time.perf_counter() - start


def main():
    try:
        from snownlp import SnowNLP
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as exc:
        print(f"error: {exc} (pip install snownlp vaderSentiment)", file=sys.stderr)
        return 2
    spec = importlib.util.spec_from_file_location("sentiment", ROOT / "logistics_crm" / "tools" / "sentiment.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    vader = SentimentIntensityAnalyzer()
    alternatives = {
        # the probability that the text is positive, 0 to 1
        "zh": ("SnowNLP", lambda text: SnowNLP(text).sentiments),
        # VADER's compound score, -1 to 1
        "en": ("VADER compound", lambda text: vader.polarity_scores(text)["compound"]),
    }
    training = [row for name in TRAINING for row in read(name)]
    held_out = read(HELD_OUT)
    print(f"training sets: {len(training)} messages; held-out set {HELD_OUT}: {len(held_out)}\n")
    for language, (label, score) in alternatives.items():
        train = [(alert, score(text)) for lang, alert, text in training if lang == language]
        test = [(alert, score(text)) for lang, alert, text in held_out if lang == language]
        (train_p, train_r, _f1), threshold = max(
            (
                (figures([alert for alert, _s in train], [s <= threshold for _a, s in train]), threshold)
                for threshold in sorted({round(s, 2) for _a, s in train})
            ),
            key=lambda candidate: candidate[0][2],
        )
        precision, recall, _f1 = figures([alert for alert, _s in test], [s <= threshold for _a, s in test])
        texts = [text for lang, _alert, text in held_out if lang == language]
        print(
            f"{language}: {label} <= {threshold} (best F1 on the training sets: precision {train_p:.2f}, "
            f"recall {train_r:.2f})\n    held out: precision {precision:.2f}, recall {recall:.2f}; "
            f"{per_thousand(score, texts):.2f} s per {TIMED} messages"
        )
        ours = [module.analyse(text, language).alert for text in texts]
        precision, recall, _f1 = figures([alert for lang, alert, _t in held_out if lang == language], ours)
        print(
            f"    logistics_crm: precision {precision:.2f}, recall {recall:.2f}; "
            f"{per_thousand(lambda text, lang=language: module.analyse(text, lang), texts):.2f} s per {TIMED}\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
