"""The provider dispatcher (simulator/dispatch.py): provider requests served by the app's own hooks, views and
error handlers without Flask's per-request wrapping, and everything else by Flask as before."""

from __future__ import annotations

import pytest
from flask import Response, request_started

from simulator.app import create_app
from simulator.dispatch import ProviderDispatch
from simulator.providers import REGISTRY
from tests.conftest import make_settings

D7 = {"Authorization": "Bearer sim-d7-demo-token"}
D7_SEND = {
    "messages": [{"channel": "sms", "recipients": ["+971500000001"], "content": "hi"}],
    "message_globals": {"originator": "SignOTP"},
}
SMSCLUB_SEND = {"sender": "Tesst", "phones": ["380989361121"], "message": "hi"}
UNKNOWN_REPORT = "/d7/report/v1/message-log/00000000-0000-4000-8000-000000000000"


def dispatcher(app) -> ProviderDispatch:
    """The dispatcher inside the app's WSGI chain (BodyLimit -> ProviderRouting -> ProviderDispatch)."""
    layer = app.wsgi_app
    while not isinstance(layer, ProviderDispatch):
        layer = getattr(layer, "wsgi_app", None) or layer.app
    return layer


def test_every_provider_route_is_matched_as_flask_matches_it(app):
    """The dispatcher's own routes hold every provider rule: same endpoint and arguments as Flask's, whether
    the path is matched by werkzeug, remembered, or matched by a rule's own pattern."""
    flask_routes = app.url_map.bind("localhost")
    own = dispatcher(app).routes
    prefixes = tuple(spec.prefix + "/" for spec in REGISTRY)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefixes):
            continue
        values = {name: "x1" for name in rule.arguments}
        path = flask_routes.build(rule.endpoint, values, method=next(iter(rule.methods)))
        for method in sorted(rule.methods):
            for _ in range(2):  # the second time from what the first remembered
                found, arguments = own.match(path, method)
                assert (found.endpoint, arguments) == flask_routes.match(path, method), (path, method)
            checked += 1
    assert checked >= 20  # every provider's routes, not an empty map


@pytest.mark.parametrize(
    "path, method",
    [
        ("/d7/report/v1/message-log/abc", "GET"),
        ("/d7/report/v1/message-log/abc/", "GET"),  # its own rule, with the trailing slash
        ("/d7/report/v1/message-log/abc", "POST"),  # 405 with the methods werkzeug lists
        ("/d7/report/v1/message-log//abc", "GET"),  # slashes to merge: werkzeug's redirect
        ("/d7/report/v1//message-log/abc", "GET"),
        ("/d7/report/v1/message-log/a/b", "GET"),  # 404
        ("/d7/report/v1/message-log/", "GET"),
        ("/routee/viber/tracking/campaign", "GET"),  # a tracking id that reads like the campaign path
        ("/routee/viber/tracking/campaign/c1", "GET"),
        ("/routee/sms/tracking/single/m%2F1", "GET"),
        ("/smsclub/vibers/send", "POST"),
    ],
)
def test_odd_provider_paths_are_matched_or_refused_as_werkzeug_does(app, path, method):
    def outcome(match):
        try:
            rule, arguments = match()
        except Exception as exc:  # werkzeug's HTTPException or RequestRedirect
            # werkzeug lists valid methods in set order (the app's handler sorts them before answering)
            methods = getattr(exc, "valid_methods", None)
            return type(exc).__name__, sorted(methods) if methods else methods, getattr(exc, "new_url", None)
        return rule.endpoint, arguments

    own = dispatcher(app).routes
    expected = outcome(lambda: app.url_map.bind("localhost").match(path, method, return_rule=True))
    assert outcome(lambda: own.match(path, method)) == expected


def test_rules_without_arguments_are_matched_once_and_answer_as_before(app, client):
    """A send or balance path is matched once and kept; a path with an id, another method or an unknown
    path is matched each time, and answers as Flask would."""
    kept = dispatcher(app).routes.static
    for _ in range(2):
        assert client.get("/d7/messages/v1/balance", headers=D7).status_code == 200
    assert [rule.rule for rule in kept.values()] == ["/d7/messages/v1/balance"]
    assert client.post("/d7/messages/v1/balance", headers=D7).status_code == 405  # matched anew: not kept
    assert client.get("/d7/report/v1/message-log/unknown", headers=D7).status_code == 404
    assert client.get("/d7/nowhere", headers=D7).status_code == 404
    assert list(kept) == [("/d7/messages/v1/balance", "GET")]
    assert client.post("/d7/messages/v1/balance", headers=D7).status_code == 405


def test_provider_requests_skip_flasks_wrapping_and_control_requests_keep_it(app, client):
    started = []

    def count(sender, **extra):
        started.append(extra)

    with request_started.connected_to(count, app):
        assert client.get("/d7/messages/v1/balance", headers=D7).status_code == 200
        assert started == []  # answered by the dispatcher: no Flask signals
        assert client.get("/_sim/metrics").status_code == 200
        assert len(started) == 1


@pytest.fixture
def production_app():
    """An app as a server runs it: not in testing mode, so an unexpected error is answered, not raised."""
    app = create_app(make_settings())
    assert not app.testing
    return app


def test_a_view_that_fails_unexpectedly_answers_the_providers_500_and_is_journaled(production_app, monkeypatch):
    from simulator.providers.d7 import routes

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(routes.responses, "balance", broken)
    answer = production_app.test_client().get("/d7/messages/v1/balance", headers=D7)
    expected = production_app.extensions["simulator"].provider("d7").internal_error()
    assert (answer.status_code, answer.data) == (500, expected.get_data())
    entries = production_app.extensions["simulator"].engine.operator_door().journal("request")
    assert [(entry["path"], entry["status"]) for entry in entries] == [("/d7/messages/v1/balance", 500)]


def test_an_after_request_hook_that_fails_answers_the_providers_500(production_app):
    @production_app.after_request
    def broken(response):
        raise RuntimeError("boom")

    answer = production_app.test_client().get("/d7/messages/v1/balance", headers=D7)
    expected = production_app.extensions["simulator"].provider("d7").internal_error()
    assert (answer.status_code, answer.data) == (500, expected.get_data())


def test_an_unknown_provider_path_runs_the_pipeline_and_answers_the_providers_404(client, services):
    answer = client.get("/d7/no/such/path", headers={**D7, "X-Sim-Namespace": "lost"})
    expected = client.application.extensions["simulator"].provider("d7").not_found()
    assert (answer.status_code, answer.data) == (404, expected.get_data())
    lost = client.application.extensions["simulator"].engine.operator_door("lost").journal("request")
    assert [(entry["path"], entry["status"]) for entry in lost] == [("/d7/no/such/path", 404)]


def test_provider_requests_run_teardown_hooks_and_after_this_request(production_app, monkeypatch):
    """Hooks Flask runs around a request that the dispatcher must run too: `after_this_request` callbacks, and
    teardown hooks with the error a last-resort 500 answered (None after a normal answer)."""
    from flask import after_this_request, g

    from simulator.providers.d7 import routes

    torn_down = []
    production_app.teardown_request(lambda error: torn_down.append(("request", error)))
    production_app.teardown_appcontext(lambda error: torn_down.append(("app", error, g.get("marked"))))
    balance = routes.responses.balance

    def marked_balance(*args, **kwargs):
        g.marked = True
        after_this_request(lambda response: response.headers.set("X-Marked", "1") or response)
        return balance(*args, **kwargs)

    monkeypatch.setattr(routes.responses, "balance", marked_balance)
    answer = production_app.test_client().get("/d7/messages/v1/balance", headers=D7)
    assert (answer.status_code, answer.headers.get("X-Marked")) == (200, "1")
    assert torn_down == [("request", None), ("app", None, True)]

    @production_app.after_request
    def broken(response):
        raise RuntimeError("boom")

    torn_down.clear()
    assert production_app.test_client().get("/d7/messages/v1/balance", headers=D7).status_code == 500
    assert [(hook, type(error).__name__) for hook, error, *_ in torn_down] == [
        ("request", "RuntimeError"),
        ("app", "RuntimeError"),
    ]


def _wsgi(answer, response, method="GET"):
    """What a WSGI server gets: the status and headers started, the body, and whether closing the body (as a
    server does once it has sent it) runs the response's close callbacks."""
    started, closed = [], []
    response.call_on_close(lambda: closed.append(True))
    environ = {"REQUEST_METHOD": method, "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.url_scheme": "http"}
    iterable = answer(response, environ, lambda status, headers: started.append((status, headers)))
    body = b"".join(iterable)
    iterable.close()
    return started, body, closed


def test_an_answer_with_nothing_to_close_is_the_list_of_its_bytes():
    """Granian sends a list of bytes as it is and calls no close on it: the dispatcher hands it the response's
    own list only when closing would run nothing, and an iterator that closes the response otherwise."""
    from simulator.dispatch import _answer

    environ = {"REQUEST_METHOD": "GET", "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.url_scheme": "http"}
    plain = Response(b'{"a":1}', 200, content_type="application/json")
    assert _answer(plain, environ, lambda status, headers: None) is plain.response


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: Response(b'{"a":1}', 200, content_type="application/json"),
        lambda: Response(b"x", 404, headers={"X-Extra": "1"}, content_type="text/plain; charset=utf-8"),
        lambda: Response(b"", 204),
        lambda: Response(b"", 304, headers={"ETag": "x"}),
        lambda: Response(b"moved", 302, headers={"Location": "/elsewhere"}),
        lambda: Response(b"here", 200, headers={"Content-Location": "/caf\u00e9"}),
        lambda: Response(iter([b"stream", b"ed"]), 200),
        lambda: Response(["text"], 200),
    ],
)
def test_answers_are_the_bytes_werkzeug_sends(make, method):
    """The dispatcher's shortcut for a measured body of bytes, and werkzeug for the rest: the same status,
    headers and body as `response(environ, start_response)` for every kind of response and method."""
    from simulator.dispatch import _answer

    assert _wsgi(_answer, make(), method) == _wsgi(lambda response, *args: response(*args), make(), method)


def test_options_on_a_rule_without_it_is_answered_as_flask_answers_it(app, client):
    """Flask answers OPTIONS itself on a rule that did not declare it (200, Allow, no body) instead of running
    the view; the dispatcher does the same, so a Routee tracking view never runs for an OPTIONS request."""
    flask = app.url_map.bind("localhost")
    for path in ["/routee/viber/tracking/abc", "/routee/sms", "/routee/accounts/me/balance"]:
        answer = client.open(path, method="OPTIONS")
        assert (answer.status_code, answer.data) == (200, b""), path
        assert set(answer.headers["Allow"].split(", ")) == set(flask.allowed_methods(path)), path
    assert client.open("/d7/report/v1/message-log/abc", method="OPTIONS").status_code == 405  # declared rules only


def test_a_rule_under_a_converter_of_the_apps_own_is_left_to_werkzeug():
    """The pattern shortcut stands for werkzeug's default converter only: an app that replaces it gets its own."""
    from werkzeug.routing import Map, Rule
    from werkzeug.routing.converters import UnicodeConverter

    from simulator.provider_routes import ProviderRoutes

    class Upper(UnicodeConverter):
        def to_python(self, value: str) -> str:
            return value.upper()

    plain = ProviderRoutes([Rule("/p/x/<item>", endpoint="x")], Map())
    assert plain.by_pattern and plain.match("/p/x/ab", "GET")[1] == {"item": "ab"}
    own = ProviderRoutes([Rule("/p/x/<item>", endpoint="x")], Map(converters={"default": Upper}))
    assert not own.by_pattern and own.match("/p/x/ab", "GET")[1] == {"item": "AB"}


@pytest.mark.parametrize(
    "method, path, body, token, expected",
    [
        ("POST", "/smsclub/vibers/send", SMSCLUB_SEND, "smsclub", 200),
        ("POST", "/d7/messages/v1/send", D7_SEND, "d7", 200),
        ("GET", UNKNOWN_REPORT, None, "d7", 404),
        ("GET", UNKNOWN_REPORT, None, None, 401),
    ],
)
def test_a_provider_request_leaves_no_garbage_for_the_collector(app, method, path, body, token, expected):
    """Nothing a provider request made is left in a reference cycle (werkzeug's request and its environ refer
    to each other): under load the collector would otherwise run several times as often, for nothing."""
    import gc

    from werkzeug.test import EnvironBuilder

    headers = {"Authorization": f"Bearer sim-{token}-demo-token"} if token else {}

    def serve() -> str:
        environ = EnvironBuilder(path=path, method=method, json=body, headers=headers).get_environ()
        statuses = []
        b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        return statuses[0]

    serve()  # what a first request sets up (caches, the namespace) is no garbage
    gc.collect()
    gc.disable()
    try:
        status = serve()
        left = gc.collect()
    finally:
        gc.enable()
    assert int(status.split()[0]) == expected
    assert left == 0


def test_exceptions_are_answered_by_the_handler_flask_would_pick(app):
    """The dispatcher remembers which of the app's handlers answers an exception type: the first answer and
    every later one are Flask's own (handle_user_exception) for the same exception."""
    from simulator.core.errors import NamespaceRefused, NotFound, Throttled, Unauthorized
    from simulator.providers.d7 import errors as d7_errors

    exceptions = [
        lambda: d7_errors.message_log_not_found(),  # a provider's own error (a SimError)
        lambda: Unauthorized("missing"),
        lambda: Throttled(10, 1.0, 0.4),
        lambda: NotFound("message", "x"),
        lambda: NamespaceRefused("bad name", limit_reached=False),  # the simulator's own refusal
        lambda: ValueError("a bug"),  # anything else: the provider's 500
    ]
    own = dispatcher(app)
    with app.test_request_context("/d7/report/v1/message-log/abc", headers=D7):
        from flask import request

        request.url_rule, request.view_args = own.routes.match(request.path, "GET")
        for make in exceptions:
            expected = app.handle_user_exception(make())
            for _ in range(2):  # the second time from the handler remembered
                answer = own._handle(make(), request)
                assert (answer.status, answer.headers, answer.get_data()) == (
                    expected.status,
                    expected.headers,
                    expected.get_data(),
                ), make()


def test_files_a_provider_request_uploaded_are_closed_after_it(app, monkeypatch):
    """As Flask's teardown closes a request's uploads: a multipart send to SMS Club (whose routes parse forms)
    has its file closed once the request is answered; a request that parsed no form has nothing to close."""
    import io

    from werkzeug.datastructures import FileStorage
    from werkzeug.test import EnvironBuilder

    closed = []
    form = {"sender": "Tesst", "phones[]": "380989361121", "message": "hi", "picture": (io.BytesIO(b"png"), "a.png")}
    environ = EnvironBuilder(
        path="/smsclub/vibers/send",
        method="POST",
        data=form,
        headers={"Authorization": "Bearer sim-smsclub-demo-token"},
    ).get_environ()  # built before the close is watched: only the app's closing is counted
    monkeypatch.setattr(FileStorage, "close", lambda self: closed.append(self.filename))
    statuses = []
    b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    assert statuses == ["200 OK"] and closed == ["a.png"]
    assert app.test_client().get("/d7/report/v1/message-log/x", headers=D7).status_code == 404
    assert closed == ["a.png"]


@pytest.mark.parametrize(
    "provider, path, headers, parse",
    [
        ("d7", "/d7/messages/v1/balance", D7, "token"),
        ("smsclub", "/smsclub/vibers/chats", {"Authorization": "Bearer sim-smsclub-demo-token"}, "_BEARER"),
    ],
)
def test_a_requests_credentials_are_read_once(app, client, monkeypatch, provider, path, headers, parse):
    """The pipeline (namespace binding), the route (authentication) and the journal (masking) all use what the
    request presents: the Authorization header is parsed for it once per request."""
    import importlib

    auth = importlib.import_module(f"simulator.providers.{provider}.auth")
    original, calls = getattr(auth, parse), []
    if parse == "_BEARER":  # a compiled pattern: count its matches

        class Counted:
            def match(self, text):
                calls.append(text)
                return original.match(text)

        monkeypatch.setattr(auth, parse, Counted())
    else:
        monkeypatch.setattr(auth, parse, lambda header: calls.append(header) or original(header))
    assert client.get(path, headers=headers).status_code == 200
    assert len(calls) == 1
