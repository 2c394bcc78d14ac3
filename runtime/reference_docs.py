"""Generates the reference parts of `docs/protocol.md` and `docs/configuration.md` from the code.

    python -m dreamverse.runtime.reference_docs          # rewrite both files in place
    python -m dreamverse.runtime.reference_docs --check  # exit 1 if either is out of date

Only the text between the `BEGIN GENERATED` / `END GENERATED` markers is replaced; prose around it stays.
"""

from __future__ import annotations

import argparse
import sys
import types
import typing
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from dreamverse.runtime.protocol import server
from dreamverse.runtime.protocol.client import ClientMessage
from dreamverse.runtime.protocol.codes import CloseCode, ErrorCode
from dreamverse.runtime.settings import Settings

BEGIN = "<!-- BEGIN GENERATED: do not edit; run `python -m dreamverse.runtime.reference_docs` -->"
END = "<!-- END GENERATED -->"
DOCS = Path(__file__).resolve().parent.parent / "docs"


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f'`"{a}"`' if isinstance(a, str) else f"`{a}`" for a in get_args(annotation))
    if origin is typing.Annotated:
        return _type_name(get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return " \\| ".join(_type_name(a) for a in get_args(annotation))
    if origin is list:
        return f"list[{_type_name(get_args(annotation)[0])}]"
    if origin is dict:
        key, value = get_args(annotation)
        return f"dict[{_type_name(key)}, {_type_name(value)}]"
    if annotation is type(None):
        return "null"
    return getattr(annotation, "__name__", str(annotation))


def message_models(union: Any) -> list[type[BaseModel]]:
    args = get_args(union)
    members = get_args(args[0]) if get_origin(union) is typing.Annotated else args
    return [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]


def wire_type(model: type[BaseModel]) -> str:
    return str(get_args(model.model_fields["type"].annotation)[0])


def _model_table(model: type[BaseModel]) -> list[str]:
    lines = [f"### `{wire_type(model)}`", ""]
    if model.__doc__ and not model.__doc__.startswith(model.__name__ + "("):
        lines += [model.__doc__.strip().splitlines()[0], ""]
    fields = {k: v for k, v in model.model_fields.items() if k != "type"}
    if not fields:
        return [*lines, "No fields.", ""]
    lines += ["| field | type | required | default |", "|---|---|---|---|"]
    for name, field in fields.items():
        required = "yes" if field.is_required() else "no"
        default = "" if field.is_required() else f"`{field.get_default(call_default_factory=True)!r}`"
        lines.append(f"| `{name}` | {_type_name(field.annotation)} | {required} | {default} |")
    for name, computed in model.model_computed_fields.items():
        lines.append(f"| `{name}` | {_type_name(computed.return_type)} | always sent | (computed) |")
    return [*lines, ""]


def protocol_reference() -> str:
    lines = ["## Client → server messages", ""]
    for model in message_models(ClientMessage):
        lines += _model_table(model)
    lines += ["## Server → client events", ""]
    for model in message_models(server.ServerEvent):
        lines += _model_table(model)
    lines += ["## Error codes", "", "| code |", "|---|", *[f"| `{c.value}` |" for c in ErrorCode], ""]
    lines += [
        "## Close codes",
        "",
        "| code | name |",
        "|---|---|",
        *[f"| {int(c)} | {c.name} |" for c in CloseCode],
    ]
    return "\n".join(lines) + "\n"


def configuration_reference() -> str:
    lines: list[str] = []
    for group_name, group_cls in Settings.groups().items():
        lines += [f"## {group_name}", "", "| flag | environment | default | meaning |", "|---|---|---|---|"]
        for name, field in group_cls.model_fields.items():
            default = field.get_default(call_default_factory=True)
            shown = "unset" if default is None else f"`{default}`".replace(str(Path.home()), "~")
            flag = "--" + name.replace("_", "-")
            lines.append(f"| `{flag}` | `DREAMVERSE_{name.upper()}` | {shown} | {field.description} |")
        lines.append("")
    return "\n".join(lines)


def render(path: Path, generated: str) -> str:
    text = path.read_text()
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{generated}{END}{tail}"


TARGETS = {"protocol.md": protocol_reference, "configuration.md": configuration_reference}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a file is out of date")
    args = parser.parse_args(argv)
    stale = []
    for name, build in TARGETS.items():
        path = DOCS / name
        updated = render(path, build())
        if path.read_text() != updated:
            stale.append(name)
            if not args.check:
                path.write_text(updated)
    if args.check and stale:
        sys.stderr.write(
            f"out of date: {', '.join(stale)}; run python -m dreamverse.runtime.reference_docs\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
