"""Provider requests, answered by the app's own hooks, views and error handlers without the per-request
machinery of Flask that they never use.

Flask spends on every request what a provider request never needs: a URL adapter bound to it, a session,
six signals, and a request and an app context pushed and popped. This dispatcher serves provider paths
(`/<provider>/...`, after `ProviderRouting`) with:

- the provider routes matched by `ProviderRoutes` (simulator/provider_routes.py), as werkzeug matches them;
- one object standing for Flask's request and app contexts, set and reset without signals (`flask.request`,
  `g` and `current_app` work as in any view, so provider code is unchanged; the context variables are
  Flask's private ones, which is why setup.cfg keeps Flask below 3.2);
- the request pipeline (simulator/pipeline.py) around Flask's order of hooks: the namespace, door and faults
  first, then the app's before-request hooks (those marked `flask_only` aside), the view or its error
  handler, the after-request hooks, and the journal entry last;
- teardown hooks, when the app has any, and the request's files closed, as Flask's teardown does;
- a body of bytes already measured sent without werkzeug's pass over the headers (`_answer`).

Without Flask around it and with the pipeline and journal in hand, a D7 report's framework part (constant
view, no pipeline, no journal) went from 32 to 16 µs in process; bare Flask answers a constant in 49 µs.
Everything else (the control API, the inbox, unknown paths) goes to Flask as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask, Request, Response
from flask.globals import _cv_app, _cv_request
from flask.sessions import NullSession
from werkzeug.exceptions import HTTPException
from werkzeug.wsgi import ClosingIterator

from simulator.pipeline import journal_request, provider_request
from simulator.provider_routes import ProviderRoutes
from simulator.providers.base import ProviderSpec
from simulator.routing import provider_for_path

_NO_SESSION = NullSession()  # read-only and empty: one serves every provider request


class _ProviderContext:
    """The request and app context of a provider request in one object: what `flask.request`, `g` and
    `current_app` read, and what Flask's error handling and `after_this_request` touch. Pushing Flask's own
    two contexts (an app context with its URL adapter, signals on push and pop) cost more than the hooks."""

    __slots__ = ("_after_request_functions", "app", "flashes", "g", "request", "session", "url_adapter")

    def __init__(self, app: Flask, request: Request) -> None:
        self.app = app
        self.request = request
        self.g = app.app_ctx_globals_class()
        self.session = _NO_SESSION
        self.flashes = None
        self.url_adapter = None
        self._after_request_functions: list[Callable] = []


class ProviderDispatch:
    def __init__(self, app: Flask, providers: Iterable[ProviderSpec]) -> None:
        self.app = app
        self.flask_wsgi_app: Callable = app.wsgi_app
        self.state = app.extensions["simulator"]
        self.providers = tuple(providers)
        prefixes = tuple(spec.prefix + "/" for spec in self.providers)
        self.routes = ProviderRoutes(
            (rule for rule in app.url_map.iter_rules() if rule.rule.startswith(prefixes)), app.url_map
        )
        # endpoint -> the scopes of its hooks: the app's (None), then its blueprints'
        self.scopes: dict[str, tuple[str | None, ...]] = {}
        # (exception type, blueprint) -> the app's handler of it: errors are frequent answers (a report of an
        # unknown id, a refused token), and Flask looks the handler up along the type's bases every time.
        self.handlers: dict[tuple[type, str | None], Callable] = {}

    def __call__(self, environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO", "")
        spec = provider_for_path(self.providers, path)
        if spec is None:
            return self.flask_wsgi_app(environ, start_response)
        app = self.app
        request = app.request_class(environ)
        request.json_module = app.json
        try:
            request.url_rule, request.view_args = self.routes.match(path, environ.get("REQUEST_METHOD", "GET"))
        except HTTPException as exc:
            request.routing_exception = exc
        context = _ProviderContext(app, request)
        app_token, request_token = _cv_app.set(context), _cv_request.set(context)
        error: BaseException | None = None
        try:  # as Flask.wsgi_app: teardown sees the error a last-resort answer was made for
            try:
                response = self._respond(context, spec)
            except Exception as exc:  # raised by a hook after the view, or by the journal: Flask's last resort
                error = exc
                response = app.handle_exception(exc)
                self._journal_last_resort(context, spec, response)
            except BaseException as exc:
                error = exc
                raise
            return _answer(response, environ, start_response)
        finally:
            try:
                self._tear_down(request, error)
            finally:
                _cv_request.reset(request_token)
                _cv_app.reset(app_token)
                # werkzeug's request and its environ refer to each other: left so, every request would be
                # garbage only the cycle collector frees, and it would run several times as often under load.
                environ.pop("werkzeug.request", None)

    def _respond(self, context: _ProviderContext, spec: ProviderSpec) -> Response:
        """Flask's full_dispatch_request without its signals, inside the provider pipeline: namespace, door and
        faults first, then the app's hooks, the view, its error handler and hooks, and the journal last."""
        app, request, kept = self.app, context.request, context.g
        scopes = self._scopes(request)
        try:
            answer = provider_request(self.state, spec, kept, request)
            if answer is None:
                for scope in scopes:
                    for preprocess in app.url_value_preprocessors.get(scope, ()):
                        preprocess(request.endpoint, request.view_args)
                answer = self._before_hooks(scopes)
            if answer is None:
                answer = self._dispatch(request)
        except Exception as exc:  # the app's handlers answer every exception (app.py)
            answer = self._handle(exc, request)
        response = answer if isinstance(answer, app.response_class) else app.make_response(answer)
        for hook in context._after_request_functions:
            response = hook(response)
        for scope in reversed(scopes):
            for hook in reversed(app.after_request_funcs.get(scope, ())):
                if not getattr(hook, "flask_only", False):
                    response = hook(response)
        journal_request(spec, kept, request, response)
        return response

    def _handle(self, exc: Exception, request: Request) -> Response:
        """Flask's handle_user_exception: HTTP errors its own way, any other by the handler found for it once.
        The app registers a handler for Exception (app.py), so every exception has one."""
        if isinstance(exc, HTTPException):
            return self.app.handle_user_exception(exc)
        key = (type(exc), request.blueprint)
        handler = self.handlers.get(key)
        if handler is None:
            handler = self.app._find_error_handler(exc, request.blueprints)
            if handler is None:  # not this app (it handles Exception), but Flask's rule all the same
                raise exc
            handler = self.handlers[key] = self.app.ensure_sync(handler)
        return handler(exc)

    def _dispatch(self, request: Request) -> Response:
        """Flask's dispatch_request: the view, or the answer Flask makes itself to an OPTIONS request on a rule
        that did not declare OPTIONS (Allow lists the path's methods)."""
        if request.routing_exception is not None:
            raise request.routing_exception
        rule = request.url_rule
        if request.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
            response = self.app.response_class()
            response.allow.update(self.routes.adapter.allowed_methods(request.environ.get("PATH_INFO", "")))
            return response
        return self.app.view_functions[rule.endpoint](**request.view_args)

    def _scopes(self, request: Request) -> tuple[str | None, ...]:
        """Whose hooks run for the request: the app's, then its blueprint's (Flask's order)."""
        if request.url_rule is None:
            return (None,)
        scopes = self.scopes.get(request.url_rule.endpoint)
        if scopes is None:
            scopes = self.scopes[request.url_rule.endpoint] = (None, *reversed(request.blueprints))
        return scopes

    def _before_hooks(self, scopes: tuple[str | None, ...]) -> Response | None:
        """The app's before-request hooks but the control plane's (provider_request stands for its own)."""
        for scope in scopes:
            for hook in self.app.before_request_funcs.get(scope, ()):
                if not getattr(hook, "flask_only", False):
                    answer = hook()
                    if answer is not None:
                        return answer
        return None

    def _journal_last_resort(self, context: _ProviderContext, spec: ProviderSpec, response: Response) -> None:
        """Journal the 500 a failure after the view got, as Flask's finalizing of it would: a failure to do so
        is logged, not raised (the answer stands)."""
        try:
            journal_request(spec, context.g, context.request, response)
        except Exception:
            self.app.logger.exception("Journaling the answer to a failed request failed")

    def _tear_down(self, request: Request, error: BaseException | None) -> None:
        """Flask's teardown without its signals: request teardown hooks, files closed, app teardown hooks."""
        app = self.app
        try:
            if app.teardown_request_funcs:
                app.do_teardown_request(error)
            if "files" in request.__dict__:  # all werkzeug's close does: close the uploads a form parse kept
                request.close()
        finally:
            if app.teardown_appcontext_funcs:
                app.do_teardown_appcontext(error)


# Headers werkzeug rewrites on the way out (IRIs made URIs, a location made absolute).
_REWRITTEN_HEADERS = frozenset({"location", "content-location"})


def _answer(response: Response, environ: dict, start_response: Callable) -> Iterable[bytes]:
    """`response(environ, start_response)` for a body of bytes already measured, without werkzeug's copy of
    the headers and its pass over them (3 % of a D7 report in process); werkzeug answers anything else."""
    status, body = response.status_code, response.response
    headers = response.headers.to_wsgi_list()
    names = {name.lower() for name, _ in headers}
    if (
        200 <= status != 204
        and status != 304
        and environ.get("REQUEST_METHOD") != "HEAD"
        and not response.direct_passthrough
        and "content-length" in names
        and names.isdisjoint(_REWRITTEN_HEADERS)
        and type(body) is list
        and all(type(part) is bytes for part in body)
    ):
        start_response(response.status, headers)
        if not response._on_close:  # closing it would do nothing: the list of bytes as it is
            return body
        return ClosingIterator(body, response.close)
    return response(environ, start_response)
