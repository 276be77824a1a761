#!/usr/bin/env python3
"""Writes a benign JSONL workload for ./sieve bench: N pages of ~300 words (about 4 chunks for the
content tier) on school subjects, each under its own URL, and optionally M URL-only lines.

Benign on purpose: an overload run must raise no wellness alert, so any alert it shows is a defect
(or, with --pages only, a model false positive that the 1x baseline shows too).

usage: scripts/overload-workload.py OUT.jsonl [--pages 50] [--urls 0] [--words 300] [--seed 7]
"""
import argparse
import json
import random

SUBJECTS = {
    "math": ["fractions", "decimals", "denominators", "equations", "geometry", "angles", "ratios", "percentages"],
    "science": ["photosynthesis", "cells", "magnets", "gravity", "ecosystems", "the water cycle", "atoms", "energy"],
    "history": ["ancient Rome", "the printing press", "the industrial revolution", "early trade routes", "castles"],
    "reading": ["main ideas", "story structure", "vocabulary", "characters", "poetry", "summaries"],
    "art": ["colour mixing", "perspective", "sculpture", "pattern", "printmaking"],
}
TEMPLATES = [
    "In this lesson students learn about {t} through short examples and practice questions.",
    "The teacher explains {t} step by step and checks understanding with a quick quiz.",
    "Work with a partner to describe {t} in your own words, then share with the class.",
    "A diagram on the board shows how {t} works, and each group labels the important parts.",
    "Homework: read the chapter on {t} and answer the three questions at the end.",
    "Remember to write neatly and show your working when you practise {t}.",
    "Our class library has several picture books that introduce {t} for younger readers.",
]


def page(rng, subject, words):
    topics = SUBJECTS[subject]
    out = []
    while sum(len(s.split()) for s in out) < words:
        out.append(rng.choice(TEMPLATES).format(t=rng.choice(topics)))
    return " ".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--urls", type=int, default=0)
    ap.add_argument("--words", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    subjects = sorted(SUBJECTS)
    with open(a.out, "w", encoding="utf-8") as f:
        for i in range(a.pages):
            subject = subjects[i % len(subjects)]
            f.write(json.dumps({"url": f"https://school{i}.example.edu/{subject}/lesson-{i}",
                                "text": page(rng, subject, a.words)}) + "\n")
        for i in range(a.urls):
            f.write(json.dumps({"url": f"https://www.school{i}.example.edu/{subjects[i % len(subjects)]}"}) + "\n")


if __name__ == "__main__":
    main()
