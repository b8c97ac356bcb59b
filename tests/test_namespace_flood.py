"""Namespaces cost no thread and are capped: a flood of names over HTTP cannot take the simulator down."""

from __future__ import annotations

import threading

import requests

from simulator.app import create_app
from simulator.server import serve_in_thread
from tests.conftest import make_settings

D7 = {"Authorization": "Bearer sim-d7-demo-token"}
SMS = {"messages": [{"channel": "sms", "recipients": ["+971500000001"], "content": "hi"}],
       "message_globals": {"originator": "SignOTP"}}  # fmt: skip


def test_namespace_flood_is_capped_costs_no_threads_and_reset_frees_it():
    app = create_app(make_settings(max_namespaces=200))
    server = serve_in_thread(app)
    session = requests.Session()
    try:
        base = server.url
        assert session.post(f"{base}/d7/messages/v1/send", json=SMS, headers=D7).status_code == 200
        threads_before = threading.active_count()
        answers = [
            session.get(f"{base}/d7/messages/v1/balance", headers={**D7, "X-Sim-Namespace": f"flood-{n}"}).status_code
            for n in range(5000)
        ]
        assert answers.count(200) == 199  # "default" holds the 200th place
        assert set(answers[199:]) == {429}
        refused = session.get(f"{base}/d7/messages/v1/balance", headers={**D7, "X-Sim-Namespace": "one-more"})
        assert refused.json()["error"]["code"] == "too_many_namespaces"
        assert threading.active_count() <= threads_before  # no thread per namespace
        assert session.post(f"{base}/d7/messages/v1/send", json=SMS, headers=D7).status_code == 200
        assert session.post(f"{base}/_sim/reset", json={}).status_code == 200
        assert len(app.extensions["simulator"].engine.namespace_names()) == 0
        assert session.get(f"{base}/d7/messages/v1/balance", headers={**D7, "X-Sim-Namespace": "after"}).ok
    finally:
        session.close()
        server.close()
