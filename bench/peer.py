"""The peer: a bare Flask app answering a fixed JSON body, served the same way as the simulator."""

from flask import Flask, Response

BODY = b'{"request_id":"d9835609-a4e0-10ea-a26a-eeafbe700fef","status":"accepted"}'


def create() -> Flask:
    app = Flask("peer")

    @app.route("/", methods=["GET", "POST"])
    def index() -> Response:
        return Response(BODY, content_type="application/json")

    return app
