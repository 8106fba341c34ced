"""Error pages in the user's language (Vietnamese first)."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)


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
