"""Every route, found from the app's URL map, is closed to anonymous visitors unless listed public."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from council import create_app
from council.extensions import db
from council.models import ScoreEvent
from council.models.score import HistoryIsAppendOnly
from council.security import PUBLIC_ENDPOINTS
from council.services.demo import load_demo


def _routes() -> list[tuple[str, str, str]]:
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}, instance_path="/tmp/council-routes"
    )
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, path))
    return found


@pytest.mark.parametrize(("endpoint", "method", "path"), _routes())
def test_every_private_route_sends_anonymous_visitors_to_login(client, endpoint, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 302, endpoint
    assert response.headers["Location"].startswith("/login")


def test_score_history_cannot_be_rewritten(app):
    load_demo("mat-khau-demo")
    event = db.session.scalars(select(ScoreEvent)).first()
    event.reason = "sửa lén"
    with pytest.raises(HistoryIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(ScoreEvent)).first())
    with pytest.raises(HistoryIsAppendOnly):
        db.session.commit()
    db.session.rollback()
