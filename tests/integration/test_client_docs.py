"""docs/client.md stays true: its example runs against a real mock server; its exit codes match the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from dreamverse.client.cli import EXIT_CODES
from tests.support.mock_server import MockServer

DOC = Path(__file__).resolve().parents[2] / "docs" / "client.md"


def test_the_example_runs(mock_server: MockServer, tmp_path: Path) -> None:
    (example,) = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    script = tmp_path / "example.py"
    script.write_text(example)
    args = [sys.executable, str(script), mock_server.ws]
    result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("segment-*.mp4")) == [f"segment-{i}.mp4" for i in range(3)]
    assert "«snow starts to fall harder»" in result.stdout


def test_the_exit_code_table_matches_the_cli() -> None:
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", DOC.read_text(), re.M))
    assert {code for _, code, _ in EXIT_CODES} | {0, 1, 2} == {int(code) for code in rows}
