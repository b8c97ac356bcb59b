"""The control API's own error format: {"error": {"code": ..., "message": ...}}."""

from __future__ import annotations

from flask import Response, jsonify


def control_error(status: int, code: str, message: str, **details) -> Response:
    response = jsonify({"error": {"code": code, "message": message, **details}})
    response.status_code = status
    return response


class ControlError(Exception):
    def __init__(self, status: int, code: str, message: str, **details) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def response(self) -> Response:
        return control_error(self.status, self.code, self.message, **self.details)
