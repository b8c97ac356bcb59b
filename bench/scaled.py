"""The simulator as the scale run serves it: the real app (settings from SIM_* variables) plus one
benchmark-only route that fills the default namespace inside the server process.

    python -m granian --interface wsgi --factory bench.scaled:create
    POST /_bench/fill?count=N   adds N filled messages (bench/fill.py); answers the new total
"""

from __future__ import annotations

from flask import Flask, request

from bench import fill
from simulator.app import app_from_env

NAMESPACE = "default"


def create() -> Flask:
    app = app_from_env()  # as a server's worker builds it
    engine = app.extensions["simulator"].engine  # a benchmark harness may reach in; the simulator may not
    filled = {"count": 0}

    @app.post("/_bench/fill")
    def fill_route() -> dict:
        count = int(request.args["count"])
        now = engine.namespace(NAMESPACE).clock.timestamp()
        fill.fill(engine.store, NAMESPACE, filled["count"], count, now)
        filled["count"] += count
        return {"filled": filled["count"]}

    return app
