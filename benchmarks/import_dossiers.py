"""How long importing dossiers from Excel takes, beside the time openpyxl needs just to read the file.

Run from the project folder::

    .venv/bin/python benchmarks/import_dossiers.py [--rows 2000]

It builds an app on a temporary SQLite database, creates units and a round, writes an .xlsx of
``--rows`` realistic dossiers (every row with a code), then times: reading the workbook alone with
openpyxl (the floor), the preview (every row validated, nothing saved), the confirmation (validated
again and saved in one transaction), and the same two steps for a re-import, where every row
updates an existing dossier. It prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from council import create_app
from council.extensions import db
from council.models import DossierKind, Field, Level, Unit, UnitKind, User
from council.services.dossiers import DOSSIER_FIELDS
from council.services.imports import import_dossiers, preview_dossiers
from council.services.rounds import create_round

UNITS = (
    [f"Ủy ban MTTQ Việt Nam huyện {name}" for name in ("Đông Sơn", "Hà Trung", "Nga Sơn", "Yên Định")]
    + [f"Hội Nông dân xã {name}" for name in ("Quảng Tâm", "Hoằng Lộc", "Thiệu Đô", "Nam Giang")]
    + [f"Hội Liên hiệp Phụ nữ phường {name}" for name in ("Điện Biên", "Ba Đình", "Ngọc Trạo")]
    + [f"Đoàn Thanh niên xã {name}" for name in ("Tân Phúc", "Minh Sơn", "Xuân Lập")]
    + ["Trường THPT Lê Lợi", "Bệnh viện Đa khoa tỉnh", "Công ty TNHH Nông sản Sạch Miền Trung"]
)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Hữu")
GIVEN = ("An", "Bình", "Hòa", "Hương", "Tuấn", "Lan", "Dũng", "Mai", "Sơn", "Thảo", "Phúc", "Yến")
WHAT = (
    "Số hóa sổ theo dõi hội viên",
    "Mô hình “Chi hội không có hộ nghèo”",
    "Tổ hợp tác trồng rau an toàn theo tiêu chuẩn VietGAP",
    "Ứng dụng mã QR tiếp nhận phản ánh của Nhân dân",
    "Quỹ “Vòng tay nhân ái” hỗ trợ học sinh khó khăn",
    "Camera an ninh kết nối tại khu dân cư",
)


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def dossier_row(number: int, rng: random.Random, year: int) -> dict[str, Any]:
    kinds, fields = [str(k.label) for k in DossierKind], [str(f.label) for f in Field]
    return {
        "code": f"HS-{year}-{number:04d}",
        "kind": rng.choice(kinds),
        "field": rng.choice([*fields, 1, 2, 3, 4, 5]),  # labels or the numbers 1–5
        "title": f"{rng.choice(WHAT)} tại {rng.choice(UNITS)} (số {number})",
        "lead_author": person(rng),
        "co_authors": "; ".join(person(rng) for _ in range(rng.randint(0, 4))),
        "unit": rng.choice(UNITS),
        "summary": " ".join(
            ["Xây dựng quy trình, phân công thành viên, theo dõi hằng tháng."] * rng.randint(2, 8)
        ),
        "novelty": "Lần đầu áp dụng tại đơn vị; cách làm mới so với trước.",
        "applied_time": f"Từ tháng {rng.randint(1, 12)}/{year - 1}",
        "applied_place": rng.choice(UNITS),
        "applied_work": "Tuyên truyền, vận động, tổ chức thực hiện",
        "results": f"{rng.randint(50, 900)} hộ tham gia; tiết kiệm {rng.randint(5, 60)} triệu đồng mỗi năm.",
    }


def workbook(rows: int, year: int) -> bytes:
    rng = random.Random(2025)
    wb = Workbook()
    ws = wb.active
    ws.append([str(spec.label) for spec in DOSSIER_FIELDS])
    for number in range(1, rows + 1):
        row = dossier_row(number, rng, year)
        ws.append([row[spec.name] for spec in DOSSIER_FIELDS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_only(data: bytes) -> int:
    """The floor: every cell of the first sheet read by openpyxl, nothing else."""
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _row in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return count


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=2000, help="dossiers in the workbook (default 2000)")
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.sqlite3", "SECRET_KEY": "bench"},
            instance_path=tmp,
        )
        with app.app_context():
            db.create_all()
            db.session.add_all(Unit(name=name, kind=UnitKind.OTHER, level=Level.PROVINCE) for name in UNITS)
            user = User(username="thuky", full_name="Thư ký đo thời gian", password_hash="!")
            db.session.add(user)
            round_ = create_round(
                {
                    "title": "Đợt xét đo thời gian",
                    "year": 2025,
                    "level": Level.PROVINCE,
                    "issuing_unit_id": 1,
                },
                user=user,
            )
            data = workbook(rows, round_.year)
            results = [("openpyxl: đọc tệp (mốc so sánh)", *timed(lambda: read_only(data)))]
            for label in ("lần đầu", "nhập lại"):
                seconds, report = timed(lambda: preview_dossiers(round_, data, "b.xlsx", user=user))
                assert report.ok, report.blocking or report.errors[:3]
                results.append((f"{label}: xem trước (kiểm tra)", seconds, report))
                seconds, report = timed(lambda: import_dossiers(round_, data, "b.xlsx", user=user))
                assert report.saved
                results.append((f"{label}: xác nhận (kiểm tra + lưu)", seconds, report))
    print(f"Nhập {rows} hồ sơ từ .xlsx ({len(data) / 1024:.0f} KiB), SQLite, một giao dịch")
    print(f"{'Bước':<38} {'giây':>7} {'dòng/giây':>10} {'mới':>6} {'cập nhật':>9} {'× đọc':>6}")
    baseline = results[0][1]
    for label, seconds, report in results:
        created = getattr(report, "created", "")
        updated = getattr(report, "updated", "")
        print(
            f"{label:<38} {seconds:>7.2f} {rows / seconds:>10.0f} {created!s:>6} {updated!s:>9} "
            f"{seconds / baseline:>6.1f}"
        )


if __name__ == "__main__":
    main()
