"""Iterators over Procountor's list endpoints (``{"results": [...], "meta": {...}}``).

:func:`keyset_pages` asks for ``previousId=<last id>&orderById=ASC&size=200`` until a page
comes back short — stable when items are added meanwhile, and the only paging
``GET /products`` has. :func:`numbered_pages` uses ``page=0,1,…`` for endpoints where keyset
paging is not documented. Both stop on an empty page and refuse to loop forever.
:func:`version_pages` reads what changed since a version, keyed on ``version`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = [
    "MAX_PAGE_SIZE",
    "Fetch",
    "keyset_pages",
    "numbered_pages",
    "results_of",
    "version_pages",
]

MAX_PAGE_SIZE = 200

# Fetch one page: query parameters in, decoded JSON out.
Fetch = Callable[[Mapping[str, str | int]], Any]


def results_of(data: Any) -> list[Any]:
    """The items of a list answer: ``results`` of the envelope, or a bare list."""
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        results = data.get("results")
        if isinstance(results, list):
            return results
    return []


def keyset_pages(
    fetch: Fetch, params: Mapping[str, str | int] | None = None, *, size: int = MAX_PAGE_SIZE
) -> Iterator[Any]:
    """Every item of a list endpoint, in ascending id order, by keyset paging."""
    previous_id = 0
    while True:
        page = results_of(
            fetch({**(params or {}), "previousId": previous_id, "orderById": "ASC", "size": size})
        )
        yield from page
        if len(page) < size:
            return
        last = page[-1].get("id") if isinstance(page[-1], Mapping) else None
        if not isinstance(last, int) or last <= previous_id:
            raise RuntimeError(
                f"keyset paging did not advance (previousId={previous_id}, last id={last!r})"
            )
        previous_id = last


def numbered_pages(
    fetch: Fetch, params: Mapping[str, str | int] | None = None, *, size: int = MAX_PAGE_SIZE
) -> Iterator[Any]:
    """Every item of a list endpoint, page by page (``page=0,1,…``)."""
    page_number = 0
    seen = 0
    while True:
        data = fetch({**(params or {}), "page": page_number, "size": size})
        page = results_of(data)
        yield from page
        seen += len(page)
        total = data.get("meta", {}).get("totalCount") if isinstance(data, Mapping) else None
        if len(page) < size or (isinstance(total, int) and seen >= total):
            return
        page_number += 1


def version_pages(
    fetch: Fetch,
    params: Mapping[str, str | int] | None = None,
    *,
    since: str,
    size: int = MAX_PAGE_SIZE,
) -> Iterator[Any]:
    """Every item changed at or after ``since``, in ascending ``version`` order, each
    (id, version) once.

    Asks for ``versionStartDate=<cursor>&orderByVersion=ASC&page=N&size=200``. After a full
    page the cursor moves to that page's last ``version`` and paging starts again at page 0,
    so an item changed while we read — it moves to the end of the order — cannot push an
    unread one back onto a page already read (page numbers alone would skip it for good).
    The items sharing the cursor's version come again and are left out here; only when a
    whole page shares one version does ``page`` go on under the same cursor. ``since`` may be
    written differently from Procountor's versions (an offset, say): it is only sent, never
    compared; the cursors after it are versions as Procountor wrote them.
    """
    cursor = since
    from_server = False
    page_number = 0
    seen: set[tuple[object, object]] = set()
    while True:
        query = {
            **(params or {}),
            "versionStartDate": cursor,
            "orderByVersion": "ASC",
            "page": page_number,
            "size": size,
        }
        page = results_of(fetch(query))
        for item in page:
            key = (item.get("id"), item.get("version")) if isinstance(item, Mapping) else None
            if key is None or key not in seen:
                if key is not None:
                    seen.add(key)
                yield item
        if len(page) < size:
            return
        last = page[-1].get("version") if isinstance(page[-1], Mapping) else None
        if not isinstance(last, str) or (from_server and last < cursor):
            raise RuntimeError(
                f"version paging did not advance (versionStartDate={cursor}, last={last!r})"
            )
        if last != cursor:
            cursor, page_number, from_server = last, 0, True
        else:
            page_number += 1
