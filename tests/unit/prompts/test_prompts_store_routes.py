"""System prompt store and the `/prompt-system-config` routes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dreamverse.runtime.prompts import SYSTEM_PROMPT_KEYS, PromptSettings, SystemPromptStore
from dreamverse.runtime.prompts.routes import routes
from dreamverse.runtime.prompts.store import SHIPPED_DIR

TOKEN = "s3cret-admin"


def _client(tmp_path: Path, admin_token: str | None) -> tuple[TestClient, SystemPromptStore]:
    settings = PromptSettings(
        prompt_system_dir=tmp_path / "sp", admin_token=admin_token, prompt_system_max_chars=500
    )
    store = SystemPromptStore.from_settings(settings)
    app = Starlette(routes=routes)
    app.state.prompt_store = store
    app.state.settings = SimpleNamespace(prompts=settings)
    return TestClient(app), store


def test_shipped_prompts_exist_and_ask_for_json() -> None:
    for key in SYSTEM_PROMPT_KEYS:
        text = (SHIPPED_DIR / f"{key}.md").read_text(encoding="utf-8")
        assert "JSON" in text and len(text) > 200


def test_get_is_public(tmp_path: Path) -> None:
    client, _ = _client(tmp_path, None)
    body = client.get("/prompt-system-config").json()
    assert set(body["prompts"]) == set(SYSTEM_PROMPT_KEYS)
    assert (body["customized"], body["version"]) == ([], 0)


def test_put_is_forbidden_without_an_admin_token(tmp_path: Path) -> None:
    client, _ = _client(tmp_path, None)
    response = client.put("/prompt-system-config", json={"prompts": {"enhance": "x"}})
    assert response.status_code == 403
    assert response.json()["error_code"] == "admin_disabled"
    assert not (tmp_path / "sp").exists()


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer"])
def test_put_needs_the_right_token(tmp_path: Path, header: str | None) -> None:
    client, _ = _client(tmp_path, TOKEN)
    headers = {"Authorization": header} if header else {}
    response = client.put("/prompt-system-config", json={"prompts": {"enhance": "x"}}, headers=headers)
    assert response.status_code == 401
    assert not (tmp_path / "sp").exists()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"prompts": {}}',
        b'{"prompts": {"unknown_key": "text"}}',
        b'{"prompts": {"enhance": "   "}}',
        b'{"prompts": {"enhance": 5}}',
        ('{"prompts": {"enhance": "%s"}}' % ("x" * 501)).encode(),
    ],
)
def test_put_rejects_invalid_bodies(tmp_path: Path, body: bytes) -> None:
    client, store = _client(tmp_path, TOKEN)
    before = store.get("enhance")
    response = client.put("/prompt-system-config", content=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422
    assert response.json()["error_code"] == "invalid_body"
    assert store.get("enhance") == before


def test_put_saves_and_keeps_previous_versions(tmp_path: Path) -> None:
    client, store = _client(tmp_path, TOKEN)
    shipped = store.get("enhance")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    first = client.put(
        "/prompt-system-config", json={"prompts": {"enhance": "Version one. Reply in JSON."}}, headers=auth
    )
    assert first.status_code == 200 and first.json()["version"] == 1
    second = client.put(
        "/prompt-system-config", json={"prompts": {"enhance": "Version two. Reply in JSON."}}, headers=auth
    )
    assert second.json()["customized"] == ["enhance"] and second.json()["version"] == 2
    assert store.get("enhance") == "Version two. Reply in JSON.\n"
    archived = [p.read_text(encoding="utf-8") for p in store.history("enhance")]
    assert archived == [shipped, "Version one. Reply in JSON.\n"]
    reloaded = SystemPromptStore(tmp_path / "sp")
    reloaded.load()
    assert reloaded.get("enhance") == "Version two. Reply in JSON.\n"
    assert reloaded.snapshot()["version"] == 2
    assert reloaded.get("auto_extend") == (SHIPPED_DIR / "auto_extend.md").read_text(encoding="utf-8")


def test_versions_kept_is_a_limit(tmp_path: Path) -> None:
    store = SystemPromptStore(tmp_path, versions_kept=2)
    store.load()
    for i in range(4):
        store.update(store.validate({"prompts": {"auto_extend": f"Edit {i}, answer in JSON."}}))
    assert [p.read_text(encoding="utf-8") for p in store.history("auto_extend")] == [
        "Edit 1, answer in JSON.\n",
        "Edit 2, answer in JSON.\n",
    ]
