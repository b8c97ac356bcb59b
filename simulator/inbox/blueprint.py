"""The `inbox` blueprint: HTML pages at /_sim/inbox, their JSON endpoints under /_sim/inbox/api."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from simulator.inbox.api import api
from simulator.inbox.forms import InboxError
from simulator.inbox.pages import pages

inbox = Blueprint(
    "inbox",
    __name__,
    url_prefix="/_sim/inbox",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
inbox.register_blueprint(pages)
inbox.register_blueprint(api, url_prefix="/api")


@inbox.errorhandler(InboxError)
def _refused(exc: InboxError) -> Response | tuple[str, int]:
    if request.blueprint == "inbox.api":
        response = jsonify(exc.body())
        response.status_code = exc.status
        return response
    return render_template("inbox/error.html", error=exc), exc.status
