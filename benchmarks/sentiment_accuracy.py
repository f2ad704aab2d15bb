#!/usr/bin/env python3
"""Accuracy and speed of the offline sentiment scorer of logistics_crm.

Reads the labelled customer messages of
logistics_crm/tests/data/sentiment_blind3.csv, the held-out set that neither
the lexicons nor the alert model were trained or tuned on (columns language,
alert, text; alert 1 for a clearly unhappy customer; --data for another
set), scores each one with logistics_crm/tools/sentiment.py (loaded by file
path: no Odoo, no database), then prints, per language and overall:

  1. n, precision, recall and F1 of the alert, and the confusion matrix;
  2. the misclassified messages, with their score and drivers;
  3. how often the detected language differs from the labelled one;
  4. the figures of the lexicons alone (what the alert model adds);

then the time to score 1,000 messages (the set cycled to 1,000, with
analyse_many, best of --repeat runs), and checks the targets: precision and
recall of the alert at least 0.85 overall and in each language, 1,000
messages in less than 5 s. Exit status: 0 when every check passes, 1 when one
fails, 2 on a usage or setup error. See benchmarks/README.md.
"""

import argparse
import csv
import importlib.util
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE_PATH = ROOT / "logistics_crm" / "tools" / "sentiment.py"
DATA_PATH = ROOT / "logistics_crm" / "tests" / "data" / "sentiment_blind3.csv"
PRECISION_TARGET = 0.85
RECALL_TARGET = 0.85
SPEED_MESSAGES = 1000
SPEED_TARGET_S = 5.0


def die(msg, status=2):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(status)


def info(msg):
    print(f"==> {msg}", file=sys.stderr, flush=True)


def load_module(path):
    spec = importlib.util.spec_from_file_location("logistics_crm_sentiment", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_messages(path):
    with open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    if not rows or set(rows[0]) != {"language", "alert", "text"}:
        die(f"{path}: expected the columns language, alert, text")
    return [(row["language"], row["alert"] == "1", row["text"]) for row in rows]


def metrics(pairs):
    """Counts, precision, recall and F1 of (predicted, expected) pairs."""
    tp = sum(1 for predicted, expected in pairs if predicted and expected)
    fp = sum(1 for predicted, expected in pairs if predicted and not expected)
    fn = sum(1 for predicted, expected in pairs if not predicted and expected)
    tn = len(pairs) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(pairs), "tp": tp, "fp": fp, "fn": fn, "tn": tn, "p": precision, "r": recall, "f1": f1}


def report(label, messages, results):
    pairs = [(result.alert, expected) for (_lang, expected, _text), result in zip(messages, results, strict=True)]
    m = metrics(pairs)
    print(f"\n## {label}: n={m['n']}  precision={m['p']:.3f}  recall={m['r']:.3f}  F1={m['f1']:.3f}")
    print("                 predicted alert  predicted no alert")
    print(f"  alert          {m['tp']:>15}  {m['fn']:>18}")
    print(f"  no alert       {m['fp']:>15}  {m['tn']:>18}")
    wrong = [
        (expected, result, text)
        for (_lang, expected, text), result in zip(messages, results, strict=True)
        if result.alert != expected
    ]
    for expected, result, text in wrong:
        kind = "missed alert" if expected else "false alert "
        print(f"  {kind} score={result.score:+.3f} drivers={', '.join(result.drivers) or '-'}\n      {text}")
    return m


def speed(module, texts, repeat):
    batch = list(itertools.islice(itertools.cycle(texts), SPEED_MESSAGES))
    timings = []
    for _run in range(repeat):
        start = time.perf_counter()
        module.analyse_many(batch)
        timings.append(time.perf_counter() - start)
    return min(timings)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA_PATH, help="the labelled csv (language, alert, text)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of 1,000 messages, the best counts")
    parser.add_argument("--quiet", action="store_true", help="do not list the misclassified messages")
    return parser.parse_args()


def main():
    args = parse_args()
    if not args.data.is_file():
        die(f"no labelled set at {args.data}")
    start = time.perf_counter()
    try:
        module = load_module(MODULE_PATH)
        module.analyse("warm up: load the lexicons")
    except ImportError as exc:
        die(f"cannot load {MODULE_PATH}: {exc} (pip install vaderSentiment)")
    info(f"sentiment tools loaded in {time.perf_counter() - start:.3f} s")
    messages = read_messages(args.data)
    results = module.analyse_many([text for _lang, _expected, text in messages])

    checks = []
    summary = {}
    for language in ("zh", "en"):
        chosen = [
            (message, result) for message, result in zip(messages, results, strict=True) if message[0] == language
        ]
        if not chosen:
            continue
        subset, subset_results = zip(*chosen, strict=True)
        if args.quiet:
            m = metrics([(result.alert, expected) for (_l, expected, _t), result in chosen])
            print(f"## {language}: n={m['n']}  precision={m['p']:.3f}  recall={m['r']:.3f}  F1={m['f1']:.3f}")
        else:
            m = report(language, subset, subset_results)
        summary[language] = m
        mislabelled = sum(1 for (lang, _e, _t), result in chosen if result.language != lang)
        print(f"  language detected differently from the label: {mislabelled} of {len(chosen)}")
    overall = metrics([(result.alert, expected) for (_l, expected, _t), result in zip(messages, results, strict=True)])
    summary["overall"] = overall
    print(
        f"\n## overall: n={overall['n']}  precision={overall['p']:.3f}  recall={overall['r']:.3f}"
        f"  F1={overall['f1']:.3f}  (tp={overall['tp']} fp={overall['fp']} fn={overall['fn']} tn={overall['tn']})"
    )
    lexicons = [module.analyse(text, model=False).alert for _lang, _expected, text in messages]
    for language in ("zh", "en", None):
        m = metrics(
            [
                (alert, expected)
                for (lang, expected, _text), alert in zip(messages, lexicons, strict=True)
                if language in (None, lang)
            ]
        )
        print(f"   lexicons alone, {language or 'overall'}: precision={m['p']:.3f}  recall={m['r']:.3f}")
    for label, m in summary.items():
        checks.append((m["p"] >= PRECISION_TARGET, f"{label}: alert precision {m['p']:.3f} >= {PRECISION_TARGET}"))
        checks.append((m["r"] >= RECALL_TARGET, f"{label}: alert recall {m['r']:.3f} >= {RECALL_TARGET}"))

    seconds = speed(module, [text for _lang, _expected, text in messages], max(1, args.repeat))
    print(f"\n{SPEED_MESSAGES} messages scored in {seconds:.3f} s (best of {max(1, args.repeat)})")
    checks.append((seconds < SPEED_TARGET_S, f"{SPEED_MESSAGES} messages in {seconds:.3f} s < {SPEED_TARGET_S} s"))

    print()
    for ok, label in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for ok, _label in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
