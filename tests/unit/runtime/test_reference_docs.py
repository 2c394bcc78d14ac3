"""The protocol and configuration docs match the code; every setting has a flag and an env var."""

from __future__ import annotations

import pytest

from dreamverse.runtime import reference_docs
from dreamverse.runtime.cli import build_parser, settings_from_args
from dreamverse.runtime.protocol import server
from dreamverse.runtime.protocol.client import ClientMessage
from dreamverse.runtime.settings import Settings


def test_generated_reference_sections_are_current() -> None:
    assert reference_docs.main(["--check"]) == 0


def test_protocol_doc_names_every_message_and_event() -> None:
    text = (reference_docs.DOCS / "protocol.md").read_text()
    models = reference_docs.message_models(ClientMessage) + reference_docs.message_models(server.ServerEvent)
    assert len(models) > 45
    for model in models:
        assert f"### `{reference_docs.wire_type(model)}`" in text
        for field in model.model_fields:
            if field != "type":
                assert f"| `{field}` |" in text


def test_every_setting_has_a_unique_flag_env_var_and_help_line() -> None:
    parser = build_parser("dreamverse-server", "test")
    help_text = parser.format_help()
    names = [name for group in Settings.groups().values() for name in group.model_fields]
    assert len(names) == len(set(names)), "setting names must be unique across groups"
    for name in names:
        assert "--" + name.replace("_", "-") in help_text
        assert f"DREAMVERSE_{name.upper()}" in help_text


def test_flag_beats_environment_beats_default(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = build_parser("dreamverse-server", "test")
    monkeypatch.setenv("DREAMVERSE_SEGMENT_CAP", "9")
    monkeypatch.setenv("DREAMVERSE_PORT", "9100")
    settings = settings_from_args(
        parser.parse_args(["--segment-cap", "3", "--model", "tiny", "--no-compile"])
    )
    assert settings.session.segment_cap == 3
    assert settings.server.port == 9100
    assert settings.model.model == "tiny"
    assert settings.session.idle_timeout_s == 120.0


def test_listening_beyond_loopback_needs_a_token() -> None:
    with pytest.raises(ValueError, match="auth token"):
        Settings.from_flat({"host": "0.0.0.0"})
    assert Settings.from_flat({"host": "0.0.0.0", "auth_token": "t"}).server.host == "0.0.0.0"


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown settings"):
        Settings.from_flat({"segmnet_cap": 3})
