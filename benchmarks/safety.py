"""Prompt-safety benchmark: per-prompt `SafetyFilter.check` latency on the CPU.

    .venv/bin/python -m benchmarks.safety [--prompts 4000] [--repeats 3]

Prompts are the repository's labelled prompts (train + the held-out files), as written ("short") and joined
three at a time into ~60-word prompts like an LLM's enhanced ones ("long"); each call is timed on its own with
`perf_counter_ns`, after a warm-up. Target: well under 1 ms per prompt.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import logging
import random
import time
from typing import Any

from benchmarks.common import summarize, write_result
from dreamverse.safety import SafetyFilter, SafetySettings
from dreamverse.safety.dataset import HELDOUT_PATHS, TRAIN_PATH, load_examples

logger = logging.getLogger("benchmarks.safety")


def build_prompts(count: int, seed: int) -> dict[str, list[str]]:
    texts = [e.text for path in (TRAIN_PATH, *HELDOUT_PATHS) for e in load_examples(path)]
    rng = random.Random(seed)
    short = [rng.choice(texts) for _ in range(count)]
    long = [" ".join(rng.sample(texts, 3)) for _ in range(count)]
    return {"short": short, "long": long}


def time_checks(safety: SafetyFilter, prompts: list[str], repeats: int) -> list[float]:
    """Microseconds per `check` call."""
    samples = []
    for _ in range(repeats):
        for prompt in prompts:
            started = time.perf_counter_ns()
            safety.check(prompt)
            samples.append((time.perf_counter_ns() - started) / 1000.0)
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(safety: SafetyFilter, groups: dict[str, list[str]], repeats: int) -> dict[str, Any]:
    numbers: dict[str, Any] = {}
    for name, prompts in groups.items():
        time_checks(safety, prompts[:200], 1)  # warm-up
        samples = time_checks(safety, prompts, repeats)
        stats = {f"{k}_us": round(v, 2) for k, v in summarize(samples).items()}
        stats["p50_us"] = round(percentile(samples, 0.50), 2)
        stats["p99_us"] = round(percentile(samples, 0.99), 2)
        stats["calls"] = len(samples)
        stats["mean_words"] = round(sum(len(p.split()) for p in prompts) / len(prompts), 1)
        numbers[name] = stats
        logger.info(
            "%s: mean %.1f us, p50 %.1f us, p99 %.1f us",
            name,
            stats["mean_us"],
            stats["p50_us"],
            stats["p99_us"],
        )
    return numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--prompts", type=int, default=4000, help="prompts per group")
    parser.add_argument("--repeats", type=int, default=3, help="passes over the prompts")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = SafetySettings()
    started = time.perf_counter()
    safety = SafetyFilter.from_settings(settings)
    load_s = time.perf_counter() - started
    numbers = measure(safety, build_prompts(args.prompts, args.seed), args.repeats)
    numbers["model_load_s"] = round(load_s, 3)
    numbers["target_us"] = 1000.0
    numbers["meets_target"] = all(g["p99_us"] < 1000.0 for g in numbers.values() if isinstance(g, dict))
    run_settings = {
        **settings.model_dump(mode="json"),
        "prompts_per_group": args.prompts,
        "repeats": args.repeats,
        "seed": args.seed,
        "models": safety.describe()["models"],
        "fasttext": importlib.metadata.version("fasttext-numpy2-wheel"),
    }
    write_result("safety", run_settings, numbers, use_gpu=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
