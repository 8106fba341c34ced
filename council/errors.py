"""Error pages in the user's language (Vietnamese first)."""

from __future__ import annotations

import logging
from contextlib import suppress

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from council.extensions import db, login_manager

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(PoolTimeout, _database_unavailable)


def _http_error(error: HTTPException) -> tuple[str, int]:
    messages = {
        400: _("Yêu cầu không hợp lệ."),
        403: _("Bạn không có quyền truy cập trang này."),
        404: _("Không tìm thấy trang hoặc dữ liệu được yêu cầu."),
        405: _("Phương thức không được hỗ trợ."),
        413: _("Tệp tải lên quá lớn."),
        429: _("Đăng nhập sai quá nhiều lần. Vui lòng đợi ít phút rồi thử lại, hoặc hỏi quản trị hệ thống."),
        500: _("Lỗi hệ thống. Dữ liệu của bạn chưa bị mất; vui lòng thử lại sau."),
    }
    code = error.code or 500
    message = messages.get(code, error.description or "")
    return render_template("errors/error.html", code=code, message=message), code


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    message = _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại.")
    return render_template("errors/error.html", code=400, message=message), 400


# --- the database out of reach ---------------------------------------------------------------------


def database_unavailable(error: SQLAlchemyError) -> bool:
    """Whether the error means the database cannot be reached or used *for now*.

    A refused or dropped connection, a server going down, a SQLite file locked for longer than the
    busy timeout (all ``OperationalError`` or ``InterfaceError``), a connection SQLAlchemy found
    broken, or no free connection in the pool in time. An integrity or programming error is a
    fault of the app, not of the moment, and keeps the generic 500.
    """
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _database_error(error: DBAPIError) -> Response:
    """An outage gets the 503; any other database error goes on to Flask's 500 handling unchanged."""
    if not database_unavailable(error):
        raise error  # Flask's usual handling of an unexpected exception: logged, then the 500 page
    return _database_unavailable(error)


def _database_unavailable(error: SQLAlchemyError) -> Response:
    """503 with a clear message: nothing was saved, and what the member typed is still theirs.

    The transaction is rolled back; the page is made without another query (the database is out of
    reach), so it shows the navigation of a signed-out visitor for this one answer: the member stays
    signed in. The score sheet's script gets JSON and keeps its local copy of the input.
    """
    cause = getattr(error, "orig", None) or error  # the driver's message, never the statement's values
    log.warning("database unavailable on %s %s: %s", request.method, request.path, cause)
    _forget_database_state()
    if _wants_json():
        message = _(
            "Tạm thời không kết nối được cơ sở dữ liệu. Điểm bạn vừa nhập chưa được lưu nhưng vẫn còn "
            "trên trang này; vui lòng thử lại sau ít phút."
        )
        response = jsonify(error=message, retry=True)
    else:
        response = make_response(render_template("errors/error.html", code=503, message=_page_message()))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _page_message() -> str:
    """What the 503 page says: try again later, and for a form, that what was sent is not saved."""
    if request.method in {"GET", "HEAD"}:
        return _("Tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.")
    if request.endpoint == "review.sheet":  # sheet.js keeps a copy of the points until the server has them
        return _(
            "Tạm thời không kết nối được cơ sở dữ liệu: phiếu chấm chưa được lưu. Điểm bạn đã nhập vẫn được "
            "giữ trên máy này; hãy quay lại trang phiếu chấm và lưu lại sau ít phút."
        )
    return _(
        "Tạm thời không kết nối được cơ sở dữ liệu: nội dung bạn vừa gửi chưa được lưu. Vui lòng quay lại "
        "trang trước và gửi lại sau ít phút."
    )


def _wants_json() -> bool:
    """The score sheet's script (JSON body, Accept: application/json) rather than a browser page."""
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return request.is_json or best == "application/json"


def _forget_database_state() -> None:
    """Roll back, and leave nothing for the error page that would need the database again."""
    if "_login_user" in g:
        with suppress(SQLAlchemyError):
            get_locale()  # the member's saved language, read now while their row is still loaded
    with suppress(SQLAlchemyError):
        db.session.rollback()
    # The navigation bar looks up the signed-in user's seats: answer as to a visitor instead.
    g._login_user = login_manager.anonymous_user()
