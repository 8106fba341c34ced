"""Blueprints: one per area of the council's work. Views parse input, call a service, render."""

from __future__ import annotations

import io

from flask import Response, send_file


def private_download(data: bytes, filename: str, mimetype: str) -> Response:
    """A generated file as a download that no browser or proxy keeps: names, units and scores of people."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response
