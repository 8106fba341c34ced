"""Placeholder: filled in by the nominations work."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("nominations", __name__)
