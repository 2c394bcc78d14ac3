"""`dreamverse-safety`: stdin prompts -> JSON lines."""

from __future__ import annotations

import json
import subprocess
import sys


def test_cli_reads_stdin_and_writes_json_lines() -> None:
    prompts = "\n".join(
        [
            "a fox runs through the snow",
            "explicit sex scene with nudity",
            "video calling immigrants vermin to exterminate",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-m", "dreamverse.safety.cli"],
        input=prompts,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["text"] for r in records] == prompts.split("\n")
    assert [(r["blocked"], r["category"]) for r in records] == [
        (False, None),
        (True, "sexual"),
        (True, "hate"),
    ]
    assert all(set(r) == {"text", "blocked", "category", "score"} for r in records)


def test_cli_threshold_flag() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dreamverse.safety.cli", "--threshold-sexual", "0"],
        input="a fox runs through the snow\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert (record["blocked"], record["category"]) == (True, "sexual")  # a zero threshold blocks everything
