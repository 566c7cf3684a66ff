"""The cash counter: find the patient (UHID, mobile, name, or the slip's barcode), bill
the pending items, collect, print the receipt; pay dues, cancel or refund a bill."""
import functools
import re

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.base_views import DomainError, no_facility
from app.core.numbering import ist_today
from app.core.roles import WRITE
from app.core.scoping import acting_user, current_facility, in_scope
from app.extensions import db
from app.registration import services as registration
from app.registration.display import summary
from app.registration.models import Patient

from . import services
from .models import ADVANCE, BILL_STATUS_LABELS, PAYMENT_MODE_LABELS, Account, Bill, Tariff

BILL_NUMBER = re.compile(r"^[A-Z]{2,6}/\d{4}-\d{2}/\d{6}$")
MANUAL_ROWS = 4


def reload_shows(endpoint: str):
    """A refused form is answered on its own URL; reloading that page (a GET) goes back to
    the screen the form is on instead of a bare 405."""
    def wrap(act):
        @functools.wraps(act)
        def answer(self, **row):
            if request.method == "GET":
                return redirect(url_for(endpoint, **row))
            return act(self, **row)
        return answer
    return wrap


def mode_labels():
    return dict(PAYMENT_MODE_LABELS)


def status_labels():
    return dict(BILL_STATUS_LABELS)


def bill_titles():
    """What a bill is called, by its stage or else its kind."""
    return {"bill": _("Bill"), "advance": _("Advance deposit"), "interim": _("Interim bill"),
            "final": _("Final bill")}


def payment_labels():
    """How a recorded payment reads: the modes, and money moved from a deposit."""
    return {**mode_labels(), ADVANCE: _("From advance deposit")}


class CashCounterView(BaseView):
    row_args = {"patient_id": Patient, "account_id": Account, "bill_id": Bill}  # rows named in its URLs: 404 unless in scope
    route_base = "/cash"
    class_permission_name = "Bill"
    method_permission_name = {name: WRITE for name in
                              ("counter", "patient", "create", "bill", "pay", "cancel",
                               "refund", "advance", "account", "account_bill",
                               "refund_deposit")}
    default_view = "counter"

    @staticmethod
    def _patient(patient_id):
        """(facility, patient) when the user may see the patient: the patient's facility
        is where the bill is made (a state user works at the patient's facility)."""
        patient = db.session.get(Patient, patient_id)
        if patient is None or not in_scope(patient.facility_id):
            return None, None
        return patient.facility, patient

    def _user_id(self):
        return getattr(acting_user(), "id", None)

    @staticmethod
    def _account(account_id):
        account = db.session.get(Account, account_id)
        return account if account is not None and in_scope(account.facility_id) else None

    @staticmethod
    def _manual_items(form):
        return [{"code": form.get(f"item_{n}"), "quantity": form.get(f"quantity_{n}")}
                for n in range(1, MANUAL_ROWS + 1) if form.get(f"item_{n}")]

    @staticmethod
    def _discount(form) -> dict:
        return dict(discount=form.get("discount"), discount_reason=form.get("discount_reason"),
                    authoriser=(form.get("auth_username"), form.get("auth_password")))

    def _collect(self, bill, form):
        """What the counter form asks for a new bill: the deposit first, then the money."""
        if form.get("use_advance"):
            services.apply_advances(bill, self._user_id())
        if bill.due > 0 and form.get("amount", "").strip():
            services.add_payment(bill, form.get("mode", "cash"), form.get("amount"),
                                 self._user_id(), form.get("reference"), form.get("tendered"))

    @staticmethod
    def _tariffs(facility):
        today = ist_today()
        return db.session.execute(select(Tariff).options(selectinload(Tariff.category_prices))
                                  .where(Tariff.facility_id == facility.id,
                                         Tariff.valid_from <= today,
                                         (Tariff.valid_to.is_(None)) | (Tariff.valid_to >= today))
                                  .order_by(Tariff.code)).scalars().all()

    def _bill(self, bill_id):
        bill = db.session.get(Bill, bill_id)
        return bill if bill is not None and in_scope(bill.facility_id) else None

    @expose("/")
    @has_access
    def counter(self):
        facility = current_facility()
        if facility is None:
            return no_facility(self)
        q = request.args.get("q", "").strip()
        if BILL_NUMBER.match(q.upper()):
            bill = db.session.execute(select(Bill).where(
                Bill.facility_id == facility.id, Bill.number == q.upper())).scalar_one_or_none()
            if bill is not None:
                return redirect(url_for("CashCounterView.bill", bill_id=bill.id))
        patient_id = services.patient_for_slip(facility.id, q) if q else None
        if patient_id is not None:
            return redirect(url_for("CashCounterView.patient", patient_id=patient_id))
        results = [summary(p) for p in registration.search_patients(facility.id, q)] if q else None
        if results and len(results) == 1 and registration.UHID.match(q.upper()):
            return redirect(url_for("CashCounterView.patient", patient_id=results[0]["id"]))
        return self.render_template("billing/counter.html", q=q, results=results)

    def _patient_page(self, facility, patient, form=None, errors=None, status=200):
        records = registration.record_ids(patient)  # merged duplicates' items are theirs
        tariffs = self._tariffs(facility)
        return self.render_template(
            "billing/patient.html", patient=summary(patient),
            charges=services.pending_charges(facility.id, records), tariffs=tariffs,
            unit_amounts=services.unit_amounts(
                facility.id, tariffs, patient.category.code if patient.category else None),
            form=form, errors=errors or {},
            modes=mode_labels(), rows=MANUAL_ROWS,
            accounts=services.open_accounts(facility.id, records),
            advance=services.advance_balance(facility.id, records)), status

    @expose("/patient/<int:patient_id>")
    @has_access
    def patient(self, patient_id):
        facility, patient = self._patient(patient_id)
        if patient is None:
            return self.render_template("billing/not_found.html"), 404
        return self._patient_page(facility, registration.resolve(patient))

    @expose("/patient/<int:patient_id>/bill", methods=["GET", "POST"])
    @has_access
    @reload_shows("CashCounterView.patient")
    def create(self, patient_id):
        facility, patient = self._patient(patient_id)
        if patient is None:
            return self.render_template("billing/not_found.html"), 404
        form = request.form
        try:
            bill = services.create_bill(
                facility, patient.id, [int(c) for c in form.getlist("charge") if c.isdigit()],
                self._manual_items(form), self._user_id(), **self._discount(form))
            self._collect(bill, form)
        except DomainError as err:
            db.session.rollback()
            return self._patient_page(facility, patient, form=form, errors=err.errors,
                                      status=422)
        db.session.commit()
        return redirect(url_for("CashCounterView.bill", bill_id=bill.id))

    @expose("/patient/<int:patient_id>/advance", methods=["GET", "POST"])
    @has_access
    @reload_shows("CashCounterView.patient")
    def advance(self, patient_id):
        facility, patient = self._patient(patient_id)
        if patient is None:
            return self.render_template("billing/not_found.html"), 404
        form = request.form
        account = self._account(int(form["account"])) if form.get("account", "").isdigit() \
            else None
        if account is not None and account.patient_id != patient.id:
            account = None
        try:
            deposit = services.take_advance(facility, patient.id, form.get("advance_amount"),
                                            form.get("advance_mode", "cash"), self._user_id(),
                                            form.get("advance_reference"),
                                            form.get("advance_tendered"), account=account)
        except DomainError as err:
            db.session.rollback()
            errors = {f"advance_{k}" if k in ("amount", "mode", "reference", "tendered") else k: v
                      for k, v in err.errors.items()}
            if account is not None:
                return self._account_page(facility, self._account(account.id), errors=errors,
                                          status=422)
            return self._patient_page(facility, patient, form=form, errors=errors, status=422)
        db.session.commit()
        return redirect(url_for("CashCounterView.bill", bill_id=deposit.id))

    def _account_page(self, facility, account, form=None, errors=None, status=200):
        return self.render_template(
            "billing/account.html", st=services.statement(account),
            bills=services.account_bills(account), final=services.final_bill(account),
            patient=summary(account.patient), tariffs=self._tariffs(facility), form=form,
            errors=errors or {}, modes=mode_labels(), rows=MANUAL_ROWS,
            advance=services.advance_balance(facility.id, account.patient_id, account.id),
            stages=bill_titles(), statuses=status_labels()), status

    @expose("/account/<int:account_id>")
    @has_access
    def account(self, account_id):
        account = self._account(account_id)
        if account is None:
            return self.render_template("billing/not_found.html"), 404
        return self._account_page(account.facility, account)

    @expose("/account/<int:account_id>/bill", methods=["GET", "POST"])
    @has_access
    @reload_shows("CashCounterView.account")
    def account_bill(self, account_id):
        account = self._account(account_id)
        if account is None:
            return self.render_template("billing/not_found.html"), 404
        facility, form = account.facility, request.form
        try:
            bill = services.bill_account(facility, account, form.get("stage", ""),
                                         self._manual_items(form), self._user_id(),
                                         **self._discount(form))
            self._collect(bill, form)
        except DomainError as err:
            db.session.rollback()
            return self._account_page(facility, self._account(account_id), form, err.errors,
                                      422)
        db.session.commit()
        return redirect(url_for("CashCounterView.bill", bill_id=bill.id))

    @expose("/account/<int:account_id>/refund-deposit", methods=["GET", "POST"])
    @has_access
    @reload_shows("CashCounterView.account")
    def refund_deposit(self, account_id):
        account = self._account(account_id)
        if account is None:
            return self.render_template("billing/not_found.html"), 404
        try:
            amount = services.refund_deposits(account, request.form.get("mode", "cash"),
                                              self._user_id())
        except DomainError as err:
            db.session.rollback()
            return self._account_page(account.facility, self._account(account_id),
                                      errors=err.errors, status=422)
        db.session.commit()
        flash(_("Deposit refunded: ₹%(amount)s.", amount=amount), "success")
        return redirect(url_for("CashCounterView.account", account_id=account_id))

    def _bill_page(self, bill, errors=None, form=None, status=200):
        return self.render_template("billing/bill.html", bill=bill,
                                    patient=summary(bill.patient), errors=errors or {},
                                    form=form, modes=mode_labels(),
                                    paid_by=payment_labels(), titles=bill_titles(),
                                    statuses=status_labels()), status

    @expose("/bill/<int:bill_id>")
    @has_access
    def bill(self, bill_id):
        bill = self._bill(bill_id)
        if bill is None:
            return self.render_template("billing/not_found.html"), 404
        return self._bill_page(bill)

    def _act(self, bill_id, act, message):
        bill = self._bill(bill_id)
        if bill is None:
            return self.render_template("billing/not_found.html"), 404
        try:
            act(bill, request.form)
        except DomainError as err:
            db.session.rollback()
            return self._bill_page(self._bill(bill_id), errors=err.errors, form=request.form,
                                   status=422)
        db.session.commit()
        flash(message, "success")
        return redirect(url_for("CashCounterView.bill", bill_id=bill_id))

    @expose("/bill/<int:bill_id>/pay", methods=["GET", "POST"])
    @has_access
    @reload_shows("CashCounterView.bill")
    def pay(self, bill_id):
        return self._act(bill_id, lambda bill, f: services.add_payment(
            bill, f.get("mode", "cash"), f.get("amount"), self._user_id(), f.get("reference"),
            f.get("tendered")), _("Payment recorded."))

    @expose("/bill/<int:bill_id>/cancel", methods=["GET", "POST"])
    @has_access
    @reload_shows("CashCounterView.bill")
    def cancel(self, bill_id):
        return self._act(bill_id, lambda bill, f: services.cancel_bill(
            bill, f.get("reason"), (f.get("auth_username"), f.get("auth_password")),
            self._user_id()), _("Bill cancelled."))

    @expose("/bill/<int:bill_id>/refund", methods=["GET", "POST"])
    @has_access
    @reload_shows("CashCounterView.bill")
    def refund(self, bill_id):
        return self._act(bill_id, lambda bill, f: services.refund(
            bill, f.get("amount"), f.get("reason"),
            (f.get("auth_username"), f.get("auth_password")), self._user_id(),
            f.get("mode", "cash")), _("Refund recorded."))
