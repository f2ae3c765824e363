"""``/docs``: the REST API's reference as an HTML page, made from its OpenAPI description.

No script and no CDN (the server may have no network): the page is rendered here from
``app.openapi()``. Every operation with its parameters, body and answers; every model with
its fields, types and descriptions; the error shape and its problem types (``type`` members
point at ``/docs#problem-NAME``). Descriptions are the docstrings' plain text: blank lines
make paragraphs, ``- `` lines lists, backticks code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from procountor_export.web.problems import PROBLEM_TYPES, ProblemType
from procountor_export.web.render import page

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")
_CODE = re.compile(r"``?([^`]+?)``?")


def prose(text: str | None, *, inline: bool = False) -> Markup:
    """Plain text as HTML: paragraphs, ``- `` lists and `code`, everything else escaped.

    A list item goes on until the next ``- `` line; ``inline`` leaves a single paragraph bare
    (for a table cell).
    """
    html = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("- "):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:])
                else:
                    items[-1] += " " + line
            html.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
        else:
            html.append(f"<p>{_inline(' '.join(lines))}</p>")
    if inline and len(html) == 1 and html[0].startswith("<p>"):
        return Markup(html[0][3:-4])
    return Markup("".join(html))


def _inline(text: str) -> str:
    parts = _CODE.split(str(escape(text)))
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


@dataclass
class Member:
    """One member of a model, or one parameter."""

    name: str
    type: Markup
    required: bool
    description: Markup
    where: str = ""


@dataclass
class Answer:
    """One status an operation answers."""

    status: str
    description: Markup
    media: str
    type: Markup
    headers: list[str] = field(default_factory=list)


@dataclass
class Operation:
    """One operation of the API."""

    method: str
    path: str
    anchor: str
    summary: str
    description: Markup
    parameters: list[Member]
    body: Markup | None
    answers: list[Answer]


@dataclass
class Model:
    """One schema of the components, with its fields."""

    name: str
    description: Markup
    fields: list[Member]
    values: list[str]


def type_of(schema: dict[str, Any]) -> Markup:
    """A schema's type in words, models linked to their section."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return Markup('<a href="#schema-{0}">{0}</a>').format(name)
    if "anyOf" in schema or "oneOf" in schema:
        options = [type_of(option) for option in schema.get("anyOf", schema.get("oneOf", []))]
        return Markup(" or ").join(options)
    if "const" in schema:
        return Markup("<code>{}</code>").format(repr_json(schema["const"]))
    if "enum" in schema:
        return Markup(" | ").join(
            Markup("<code>{}</code>").format(repr_json(v)) for v in schema["enum"]
        )
    kind = schema.get("type")
    if kind == "array":
        return Markup("list of ") + type_of(schema.get("items", {}))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return Markup("object of ") + type_of(schema["additionalProperties"])
    if isinstance(kind, list):
        return Markup(" or ").join(escape(k) for k in kind)
    text = str(kind or "any")
    if "format" in schema:
        text += f" ({schema['format']})"
    return Markup(escape(text))


def repr_json(value: Any) -> str:
    """A constant as JSON writes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)


def _fields(schema: dict[str, Any]) -> list[Member]:
    required = set(schema.get("required", []))
    return [
        Member(
            name=name,
            type=type_of(member),
            required=name in required,
            description=prose(member.get("description") or "", inline=True),
        )
        for name, member in schema.get("properties", {}).items()
    ]


def operations(spec: dict[str, Any]) -> list[Operation]:
    """Every operation, in the description's order."""
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            parameters = [
                Member(
                    name=p["name"],
                    type=type_of(p.get("schema", {})),
                    required=bool(p.get("required")),
                    description=prose(
                        p.get("description") or p.get("schema", {}).get("description"),
                        inline=True,
                    ),
                    where=p["in"],
                )
                for p in op.get("parameters", [])
            ]
            body = None
            if "requestBody" in op:
                media, described = next(iter(op["requestBody"].get("content", {}).items()))
                body = Markup("{} ({})").format(type_of(described.get("schema", {})), media)
            answers = []
            for status, answer in sorted(op.get("responses", {}).items()):
                content: dict[str, Any] = answer.get("content", {})
                none: tuple[str, dict[str, Any]] = ("", {})
                media, described = next(iter(content.items()), none)
                answers.append(
                    Answer(
                        status=status,
                        description=prose(answer.get("description"), inline=True),
                        media=media,
                        type=type_of(described.get("schema", {})) if media else Markup(""),
                        headers=sorted(answer.get("headers", {})),
                    )
                )
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=f"{method}-{re.sub(r'[^a-z0-9]+', '-', path.lower()).strip('-')}",
                    summary=op.get("summary", ""),
                    description=prose(op.get("description")),
                    parameters=parameters,
                    body=body,
                    answers=answers,
                )
            )
    return found


def models(spec: dict[str, Any]) -> tuple[list[Model], list[Model]]:
    """The API's own models, then the TMS document's (``Tms…``)."""
    own: list[Model] = []
    document: list[Model] = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        model = Model(
            name=name,
            description=prose(schema.get("description")),
            fields=_fields(schema),
            values=[repr_json(v) for v in schema.get("enum", [])],
        )
        (document if name.startswith("Tms") else own).append(model)
    return own, document


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The REST API's reference, rendered from its OpenAPI description (no CDN, no script)."""
    spec = request.app.openapi()
    own, document = models(spec)
    problem_types: list[ProblemType] = list(PROBLEM_TYPES)  # each with its anchor
    return page(
        request,
        "api_docs.html",
        title="REST API",
        spec=spec,
        intro=prose(spec.get("info", {}).get("description")),
        operations=operations(spec),
        models=own,
        document_models=document,
        problem_types=[(t, prose(t.description, inline=True)) for t in problem_types],
    )
