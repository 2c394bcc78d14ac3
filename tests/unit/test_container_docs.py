"""README's `docker run` lines: one per role, each a real console script given flags it accepts.

No Docker daemon runs here, so the image is never built in tests; this keeps its documentation true.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from dreamverse.runtime.cli import parser_for
from dreamverse.runtime.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "dreamverse"
ROLES = {"dreamverse-server", "dreamverse-mock-server", "dreamverse-worker"}
_HAS_VALUE = {"-p", "-v", "-e", "--entrypoint", "--gpus", "--name", "--network"}


def docker_runs() -> list[list[str]]:
    """Every `docker run` command in README's Container section, continuation lines joined."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Container\n", 1)[1].split("\n## ", 1)[0]
    text = section.replace("\\\n", " ")
    return [shlex.split(line, comments=True) for line in text.splitlines() if line.startswith("docker run ")]


def default_entrypoint() -> str:
    match = re.search(r"^ENTRYPOINT (\[.*\])$", (ROOT / "Dockerfile").read_text(encoding="utf-8"), re.M)
    assert match is not None, "the Dockerfile has no exec-form ENTRYPOINT"
    entrypoint: list[str] = json.loads(match.group(1))
    return entrypoint[0]


def split_run(words: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """`docker run` options (name → values) and the arguments after the image."""
    options: dict[str, list[str]] = {}
    i = 2
    while words[i] != IMAGE:
        name = words[i]
        value = words[i + 1] if name in _HAS_VALUE else ""
        options.setdefault(name, []).append(value)
        i += 2 if name in _HAS_VALUE else 1
    return options, words[i + 1 :]


def role(options: dict[str, list[str]]) -> str:
    return Path(options.get("--entrypoint", [default_entrypoint()])[0]).name


def test_every_role_has_a_documented_docker_run() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    roles = [role(split_run(words)[0]) for words in docker_runs()]
    assert set(roles) == ROLES
    assert set(scripts) >= ROLES
    assert Path(default_entrypoint()).parent == Path("/opt/venv/bin")


@pytest.mark.parametrize("words", docker_runs(), ids=lambda words: role(split_run(words)[0]))
def test_docker_run_line_is_accepted_by_its_console_script(words: list[str]) -> None:
    options, args = split_run(words)
    program = role(options)
    parser_for(program).parse_args(args)  # SystemExit on an unknown flag or a bad value
    settings_env = {
        f"DREAMVERSE_{name.upper()}" for group in Settings.groups().values() for name in group.model_fields
    }
    for assignment in options.get("-e", []):
        assert assignment.split("=", 1)[0] in settings_env, assignment
    if program == "dreamverse-worker":
        # The image's HEALTHCHECK asks /healthz, which only the server roles serve.
        assert "--no-healthcheck" in options and "--redis" in args
