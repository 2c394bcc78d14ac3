"""Benchmark JSON names the commit that ran: `$BENCH_GIT_COMMIT` wins over whatever `.git` the copy has."""

from __future__ import annotations

import pytest

from benchmarks.common import git_info


def test_named_commit_wins_over_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_GIT_COMMIT", "921d873a5dd704edae8a266107fb217623d3cf4b\n")
    info = git_info()
    assert info["commit"] == "921d873a5dd704edae8a266107fb217623d3cf4b"
    assert info["dirty"] is None and info["source"] == "BENCH_GIT_COMMIT"


def test_without_a_name_the_checkout_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BENCH_GIT_COMMIT", raising=False)
    info = git_info()
    assert info["commit"] is not None and len(info["commit"]) == 40 and "source" not in info
