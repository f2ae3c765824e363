"""Request conventions shared by the resources: batch ids, paging, versions, text checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from procountor_export.emulator.cp1252 import MESSAGE as CP1252_MESSAGE
from procountor_export.emulator.cp1252 import bad_text_fields
from procountor_export.emulator.errors import ApiError, ErrorEntry, Problems

MAX_BATCH = 200
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


def check_text(body: Any, problems: Problems | None = None, path: str = "") -> None:
    """Reject strings outside Windows-1252, naming each field; adds to ``problems`` if given."""
    bad = [ErrorEntry(CP1252_MESSAGE, field) for field in bad_text_fields(body, path)]
    if not bad:
        return
    if problems is not None:
        problems.items.extend(bad)
        return
    raise ApiError(400, bad)


def parse_ids(raw: str) -> tuple[list[int], bool]:
    """The distinct ids of a batch path segment ``1,2,3`` in order, and whether it was a list.

    More than 200 ids is a 400. Entries that are not ids are skipped (they match nothing).
    """
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) > MAX_BATCH:
        raise ApiError(400, f"Too many ids: at most {MAX_BATCH} can be requested at once")
    ids = sorted({int(part) for part in parts if part.isdigit() and len(part) < 19})
    return ids, len(parts) > 1


def batch_get(
    raw: str, store: Mapping[int, dict[str, Any]], render: Callable[[dict[str, Any]], Any] = dict
) -> Any:
    """Procountor's batch GET: ordered, de-duplicated; none found → 404; one id → an object."""
    ids, many = parse_ids(raw)
    found = [render(store[item_id]) for item_id in ids if item_id in store]
    if not found:
        raise ApiError(404, "Resource not found")
    return found if many else found[0]


def query_int(query: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"Invalid value '{raw}' of '{name}'", name) from None
    if value < minimum or value >= 2**63:
        raise ApiError(400, f"Invalid value '{raw}' of '{name}'", name)
    return value


def query_order(query: Mapping[str, str], name: str, default: str) -> str:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if raw.upper() not in {"ASC", "DESC"}:
        raise ApiError(400, f"Invalid value '{raw}' of '{name}'", name)
    return raw.upper()


def query_list(query_items: Iterable[tuple[str, str]], name: str) -> list[str]:
    """An array parameter given as repeated keys, a comma list, or both."""
    values: list[str] = []
    for key, value in query_items:
        if key == name:
            values.extend(part.strip() for part in value.split(",") if part.strip())
    return values


def query_bool(query: Mapping[str, str], name: str) -> bool | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() not in {"true", "false"}:
        raise ApiError(400, f"Invalid value '{raw}' of '{name}'", name)
    return raw.lower() == "true"


def paged(
    items: list[dict[str, Any]],
    query: Mapping[str, str],
    *,
    default_order: str = "DESC",
    with_page: bool = True,
    sort_by: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """The ``{"results", "meta"}`` envelope with ``previousId``, ``orderById``, ``size``, ``page``.

    ``size`` above 200 is capped at 200 (the documentation only names the maximum).
    ``sort_by`` (a field and ``ASC``/``DESC``, e.g. from ``orderByVersion``) orders the items
    on that field first, ties by id in the same direction; ``previousId`` still filters on id.
    """
    size = min(query_int(query, "size", DEFAULT_PAGE_SIZE, minimum=1), MAX_PAGE_SIZE)
    page = query_int(query, "page", 0) if with_page else 0
    order = query_order(query, "orderById", default_order)
    previous = query_int(query, "previousId", 0)
    ordered = sorted(items, key=lambda item: int(item["id"]), reverse=order == "DESC")
    if previous:
        ordered = [
            item
            for item in ordered
            if (item["id"] > previous if order == "ASC" else item["id"] < previous)
        ]
    if sort_by is not None:
        key, direction = sort_by
        ordered = sorted(
            ordered,
            key=lambda item: (str(item.get(key) or ""), int(item["id"])),
            reverse=direction == "DESC",
        )
    start = page * size
    results = ordered[start : start + size]
    return {
        "results": results,
        "meta": {
            "pageNumber": page,
            "pageSize": size,
            "resultCount": len(results),
            "totalCount": len(ordered),
        },
    }


def check_version(current: str, given: Any, *, required: bool, field: str = "version") -> None:
    """Optimistic locking: a missing (when required) or stale ``version`` is a 400."""
    if given is None:
        if required:
            raise ApiError(400, f"Value of the '{field}' cannot be blank.", field)
        return
    if given != current:
        raise ApiError(
            400,
            "The resource has been modified by someone else: version does not match",
            field,
        )
