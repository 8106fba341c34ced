"""Reports (báo cáo kết quả thực hiện Phong trào): a unit's figures for a period, exports, report plans.

Who may do what is :func:`council.services.reports.may_report` (the report document, plans) and
:func:`~council.services.reports.may_view` (the figures, the chart, the workbook, the plans' list),
checked here on every view. The dashboard's reminders come from the template global
``report_dashboard`` (``templates/reports/_reminders.html``, included on the rounds page).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from council.blueprints import private_download
from council.extensions import db
from council.forms.reports import ConfirmForm, PeriodForm, PlanForm, ReportForm
from council.models import ReportPlan, Unit
from council.services import reports as service

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _load_unit(unit_id: int, *, manage: bool = False) -> Unit:
    """The unit, or 404; then 403 unless the user may report for it (``manage``) or see its reports."""
    unit = db.get_or_404(Unit, unit_id)
    allowed = service.may_report if manage else service.may_view
    if not allowed(current_user, unit):
        abort(403)
    return unit


def _load_plan(unit: Unit, plan_id: int) -> ReportPlan:
    return service.plan_of(unit, plan_id) or abort(404)


@bp.app_template_global("report_dashboard")
def report_dashboard() -> service.Dashboard:
    """The signed-in user's report reminders, for the dashboard."""
    return service.dashboard(current_user, on=service.today())


@bp.route("/")
def index() -> str:
    """The units whose reports the user makes or sees, and the user's reminders."""
    return render_template(
        "reports/index.html",
        units=service.units_for(current_user),
        reminders=service.reminders(current_user, on=service.today()),
    )


def _period(unit: Unit, source: Any) -> tuple[PeriodForm, service.Period, ReportPlan | None, bool]:
    """The period asked for in ``source`` (query string or form), its form, its plan, and whether it
    was refused (the default period is then shown, with the reason beside the field)."""
    form = PeriodForm(source, plans=service.plans_of(unit))
    valid = form.validate()
    on = service.today()
    try:
        period, plan = service.resolve_period(unit, **form.wanted(), on=on)
    except service.PeriodError as error:
        valid = False
        for key, message in error.errors.items():
            getattr(form, key).errors = [*getattr(form, key).errors, message]
        period, plan = service.default_period(unit, on)
    form.part.data = period.kind
    if plan is not None:
        form.plan.data = plan.id
    elif not form.errors:
        form.start.data, form.end.data = period.start, period.end
    return form, period, plan, valid


def _period_args(period: service.Period, plan: ReportPlan | None) -> dict[str, Any]:
    """The query string that asks for this period again (chart, workbook, export form)."""
    if plan is not None:
        return {"plan": plan.id, "part": period.kind}
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "part": period.kind}


def _render(
    unit: Unit,
    period_form: PeriodForm,
    period: service.Period,
    plan: ReportPlan | None,
    report_form: ReportForm | None = None,
) -> str:
    report = service.build(unit, period, plan=plan)
    may_report = service.may_report(current_user, unit)
    if may_report and report_form is None:
        report_form = ReportForm.with_defaults(service.default_texts(report))
    return render_template(
        "reports/show.html",
        unit=unit,
        report=report,
        period_form=period_form,
        period_args=_period_args(period, plan),
        due=service.due_date(plan, period.kind) if plan is not None else None,
        report_form=report_form if may_report else None,
        chart_alt=service.chart_alt(report),
    )


@bp.route("/units/<int:unit_id>/")
def show(unit_id: int) -> str | tuple[str, int]:
    """The unit's figures for a period against the previous one, the chart, and the export form."""
    unit = _load_unit(unit_id)
    period_form, period, plan, valid = _period(unit, request.args)
    page = _render(unit, period_form, period, plan)
    return page if valid else (page, 400)


@bp.route("/units/<int:unit_id>/report.docx", methods=("POST",))
def export_docx(unit_id: int) -> Response | tuple[str, int]:
    """The report as Word, with the lines typed on the page (who reports for the unit)."""
    unit = _load_unit(unit_id, manage=True)
    period_form, period, plan, valid = _period(unit, request.form)
    form = ReportForm()
    if not (form.validate_on_submit() and valid):
        return _render(unit, period_form, period, plan, report_form=form), 400
    rendered = service.export(unit, period, "docx", plan=plan, texts=form.to_texts())
    return private_download(rendered.data, rendered.filename, rendered.mimetype)


@bp.route("/units/<int:unit_id>/report.xlsx")
def export_xlsx(unit_id: int) -> Response:
    """The figures as a workbook, one sheet per breakdown."""
    unit = _load_unit(unit_id)
    _form, period, plan, valid = _period(unit, request.args)
    if not valid:
        abort(400)
    rendered = service.export(unit, period, "xlsx", plan=plan)
    return private_download(rendered.data, rendered.filename, rendered.mimetype)


@bp.route("/units/<int:unit_id>/chart.svg")
def chart(unit_id: int) -> Response:
    """Received and recognised dossiers by field against the previous period, as SVG for an <img>."""
    unit = _load_unit(unit_id)
    _form, period, plan, valid = _period(unit, request.args)
    if not valid:
        abort(400)
    response = Response(
        service.chart(service.build(unit, period, plan=plan), "svg"), mimetype="image/svg+xml"
    )
    response.headers["Cache-Control"] = "private, no-cache"
    # Opened on its own, the SVG needs its inline styles; it has no script.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@bp.route("/units/<int:unit_id>/plans")
def plans(unit_id: int) -> str:
    """The unit's report plans (kế hoạch báo cáo): periods and due dates."""
    unit = _load_unit(unit_id)
    return render_template(
        "reports/plans.html",
        unit=unit,
        plans=service.plans_of(unit),
        may_report=service.may_report(current_user, unit),
        delete_form=ConfirmForm(),
        overdue_days=service.OVERDUE_DAYS,
    )


def _plan_page(unit: Unit, form: PlanForm, plan: ReportPlan | None) -> str | tuple[str, int] | Response:
    if form.validate_on_submit():
        try:
            saved = service.save_plan(unit, form.to_data(), user=current_user, plan=plan)
        except service.PlanError as error:
            db.session.rollback()
            for key, message in error.errors.items():
                field = getattr(form, key)
                field.errors = [*field.errors, message]
        else:
            flash(_("Đã lưu kế hoạch báo cáo năm %(year)s.", year=saved.year), "success")
            return redirect(url_for("reports.plans", unit_id=unit.id))
    page = render_template("reports/plan_form.html", unit=unit, form=form, plan=plan)
    return (page, 400) if form.errors else page


@bp.route("/units/<int:unit_id>/plans/new", methods=("GET", "POST"))
def new_plan(unit_id: int) -> str | tuple[str, int] | Response:
    unit = _load_unit(unit_id, manage=True)
    if request.method == "POST":
        return _plan_page(unit, PlanForm(), None)
    return _plan_page(unit, PlanForm(data=service.plan_defaults(service.today().year)), None)


@bp.route("/units/<int:unit_id>/plans/<int:plan_id>/edit", methods=("GET", "POST"))
def edit_plan(unit_id: int, plan_id: int) -> str | tuple[str, int] | Response:
    unit = _load_unit(unit_id, manage=True)
    plan = _load_plan(unit, plan_id)
    return _plan_page(unit, PlanForm() if request.method == "POST" else PlanForm(obj=plan), plan)


@bp.route("/units/<int:unit_id>/plans/<int:plan_id>/delete", methods=("POST",))
def delete_plan(unit_id: int, plan_id: int) -> Response:
    unit = _load_unit(unit_id, manage=True)
    plan = _load_plan(unit, plan_id)
    if ConfirmForm().validate_on_submit():
        service.delete_plan(plan, user=current_user)
        flash(_("Đã xóa kế hoạch báo cáo."), "success")
    return redirect(url_for("reports.plans", unit_id=unit.id))
