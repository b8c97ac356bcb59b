"""The two HTML pages. Each embeds its first data as JSON, so one renderer (the page's JS) draws it."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from simulator.core import statuses
from simulator.core.errors import NotFound
from simulator.inbox import context, forms, present
from simulator.inbox.api import message_detail
from simulator.inbox.forms import InboxError

pages = Blueprint("pages", __name__)


def _page(template: str, **values) -> str:
    space = context.namespace()
    return render_template(
        template,
        namespace=space,
        namespaces=context.engine().namespace_names(),
        statuses=statuses.ALL,
        **values,
    )


@pages.get("/")
def inbox() -> str:
    filters = forms.filters(request.args.to_dict())
    providers = sorted({*context.provider_names(), *([filters.provider] if filters.provider else [])})
    return _page(
        "inbox/list.html",
        filters=filters,
        providers=providers,
        initial=present.message_list(context.services(), filters),
    )


@pages.get("/messages/<path:key>")
def message(key: str) -> str:
    try:
        initial = message_detail(context.services(), key)
    except NotFound as exc:
        raise InboxError(404, "not_found", f"There is no message {key!r} in this namespace.") from exc
    return _page("inbox/message.html", key=key, reasons=statuses.REASONS, initial=initial)
