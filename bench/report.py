"""Markdown table of the committed benchmark results, for the README.

    .venv/bin/python bench/report.py
"""
import json
from pathlib import Path

ROWS = [  # (result key, what it is, target)
    ("register_patient_and_visit", "register patient + OPD visit (one act)", "p50 ≤ 10 ms"),
    ("name_prefix_search", "name prefix search, either script", "p95 ≤ 50 ms"),
    ("name_word_search", "a later word of the name", "—"),
    ("exact_uhid", "exact UHID", "p95 ≤ 10 ms"),
    ("exact_mobile", "exact mobile", "p95 ≤ 10 ms"),
    ("name_words_any_order", "surname first, middle name left out", "p95 ≤ 50 ms"),
    ("mobile_last_digits", "last six digits of a mobile", "p95 ≤ 50 ms"),
    ("first_list_page_with_total", "first patient list page with total (HTTP)", "≤ 50 ms"),
    ("search_api_http", "GET /api/v1/patient/search (HTTP)", "—"),
    ("opd_slip_pdf", "OPD slip PDF, A5 (HTTP)", "p50 ≤ 60 ms"),
]


BILLING_ROWS = [
    ("bill_50_items_and_payment", "bill with 50 items made and paid", "p50 ≤ 50 ms"),
    ("receipt_pdf", "receipt PDF, A5 (HTTP)", "p50 ≤ 60 ms"),
    ("receipt_pdf_50_items", "receipt PDF of the 50-item bill (HTTP)", "—"),
    ("day_end_one_day", "day-end report, one day", "—"),
    ("day_end_one_year", "day-end report over a year (≈500,000 bills of one facility)",
     "≤ 1 s on PostgreSQL"),
]


IPD_ROWS = [
    ("admit_patient", "admit a patient (IPD number, bed, account, admission fee)",
     "p50 ≤ 25 ms"),
    ("transfer", "transfer to another bed", "—"),
    ("discharge_and_final_bill", "discharge, then the final bill netting a deposit",
     "p50 ≤ 50 ms"),
    ("bed_board_http", "bed board, 640 beds, half occupied (HTTP)", "p50 ≤ 100 ms"),
    ("admission_page_http", "an admission's page (HTTP)", "—"),
    ("census_month_http", "ward census of 30 days, every ward (HTTP)", "≤ 500 ms"),
    ("admission_slip_pdf", "admission slip PDF (HTTP)", "p50 ≤ 60 ms"),
    ("final_bill_pdf", "final bill PDF with the stay's account (HTTP)", "p50 ≤ 100 ms"),
]


LAB_ROWS = [
    ("order_three_tests", "order three tests (order number, three charges)", "p50 ≤ 25 ms"),
    ("order_page_http", "the order's page (HTTP)", "—"),
    ("lab_slip_pdf", "test slip PDF, A5 (HTTP)", "p50 ≤ 60 ms"),
    ("counter_scan_http", "cash counter finds the patient from the slip's number (HTTP)", "—"),
]

LAB_RESULT_ROWS = [
    ("worklist_http", "worklist with 2,000 pending tests (HTTP)", "p95 ≤ 100 ms"),
    ("enter_panel_20", "save a 20-analyte panel with flags and delta checks", "p50 ≤ 30 ms"),
    ("release_panel_20", "verify and release it", "p50 ≤ 20 ms"),
    ("report_pdf_cbc_lft_kft", "report PDF of a CBC, an LFT and a KFT (HTTP)", "p50 ≤ 150 ms"),
    ("order_to_released_api", "one test from order to released result, 5 REST calls",
     "≤ 60 ms in all"),
]

IPD_RECORD_ROWS = [
    ("chart_vitals_set", "chart a set of vitals (checked, NEWS2-scored, audited)",
     "p50 ≤ 10 ms"),
    ("mark_dose_given", "mark a dose given (checked against the schedule, locked, audited)",
     "—"),
    ("admission_page_60_sets_http", "an admission's page: 60 sets charted, 20 notes, "
     "10 days of medicines, intake/output and orders (HTTP)", "p50 ≤ 80 ms"),
    ("bed_board_with_scores_http", "bed board with each patient's latest NEWS2 (HTTP)", "—"),
    ("discharge_summary_pdf_http", "discharge summary PDF, A4 (HTTP)", "p50 ≤ 150 ms"),
    ("medicine_round_60_beds_http", "medicine round of a 60-bed ward (HTTP)", "p95 ≤ 50 ms"),
    ("medicine_round_300_beds_http", "medicine round of the 300-bed ward (HTTP)", "—"),
]


REPORT_ROWS = [
    ("hmis_facility_month", "HMIS monthly report, one facility's month (counted)", "≤ 2 s"),
    ("hmis_state_month", "HMIS state roll-up of a month, every facility", "≤ 5 s"),
    ("hmis_page_http", "HMIS report page (HTTP)", "—"),
    ("hmis_drill_opd_http", "drill into OPD attendance: a month's 500 first visits (HTTP)", "—"),
    ("dashboard_http", "facility dashboard, last 30 days (HTTP)", "p95 ≤ 500 ms"),
    ("dashboard_state_http", "state dashboard: facilities compared (HTTP)", "—"),
]


def exports(name):
    """The register exports: rows, size, time and Python's peak memory, month vs year."""
    lines = ["| OPD register as CSV (streamed) | rows | MB | seconds | peak Python memory (MB) |",
             "|---|---|---|---|---|"]
    for path in sorted(Path(__file__).parent.glob(f"results/{name}-*-1000000.json")):
        report = json.loads(path.read_text())
        for span in ("month", "year"):
            r = report["results"].get(f"register_csv_{span}")
            if r:
                lines.append(f"| a {span}, {report['database']} | {r['rows']} | {r['megabytes']} "
                             f"| {r['seconds']} | {r['peak_python_mb']} |")
    return lines


def table(name, rows):
    results = {}
    for path in sorted(Path(__file__).parent.glob(f"results/{name}-*-1000000.json")):
        report = json.loads(path.read_text())
        results[report["database"]] = report
    dbs = sorted(results)
    lines = ["| operation | target | " + " | ".join(f"{db} p50 / p95 (ms)" for db in dbs) + " |",
             "|---|---|" + "---|" * len(dbs)]
    for key, label, target in rows:
        cells = []
        for db in dbs:
            r = results[db]["results"].get(key)
            cells.append(f"{r['p50_ms']} / {r['p95_ms']}" if r else "—")
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    when = ", ".join(f"{db}: {results[db]['when']}" for db in dbs)
    return lines, f"{name}: {when}", results[dbs[0]]["machine"] if dbs else ""


HTTP_ROWS = [  # (operation of bench/http_load.py, what it is, target)
    ("register", "new patient + OPD token, as the desk does it",
     "≥ 150/s, p95 ≤ 200 ms, CPU ≤ 13 ms, ≤ 12 SQL"),
    ("revisit", "returning patient's token", "p95 ≤ 100 ms"),
    ("search", "patient search (API)", "p95 ≤ 100 ms, ≤ 4 SQL"),
    ("slip", "OPD slip PDF", "≥ 40/s, p95 ≤ 250 ms, ≤ 6 SQL"),
    ("cashier", "counter: patient's page, bill paid, receipt PDF", "—"),
    ("doctor", "doctor: queue, consultation saved, prescription PDF", "—"),
]
HTTP_ORDER = ("before", "trust", "now")


def http_table():
    """Over HTTP: one column per measured checkout (bench/http_load.py --label)."""
    runs = {}
    for path in Path(__file__).parent.glob("results/http-postgresql-1000000-*.json"):
        report = json.loads(path.read_text())
        runs[report["label"]] = report
    labels = sorted(runs, key=lambda n: HTTP_ORDER.index(n) if n in HTTP_ORDER else 9)
    if not labels:
        return []
    lines = ["| operation (8 clients) | target | " + " | ".join(
        f"{label}: per s · p50 / p95 ms · CPU app + db ms · SQL" for label in labels) + " |",
        "|---|---|" + "---|" * len(labels)]
    for key, label, target in HTTP_ROWS:
        cells = []
        for run in labels:
            alone = runs[run]["results"]["alone"][key]
            op = alone["by_operation"].get(key)
            cpu = alone["cpu_ms_per_op"]
            sql = op.get("sql_per_op") or "—"
            cells.append(f"{op['per_second']} · {op['p50_ms']} / {op['p95_ms']} · "
                         f"{cpu['app']} + {cpu['db']} · {sql}" if op else "—")
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    clients = list(runs[labels[-1]]["results"]["morning"])
    for n in clients:
        cells = [f"{runs[run]['results']['morning'].get(n, {}).get('per_second', '—')} per s"
                 for run in labels]
        who = "1 client" if n == "1" else f"{n} clients"
        lines.append(f"| the morning's mix, {who} | — | " + " | ".join(cells) + " |")
    cells = [f"{runs[run]['results']['memory_pss_mib']['all']} MiB" for run in labels]
    lines.append("| memory, master + 4 workers (PSS) | ≤ 400 MiB | " + " | ".join(cells) + " |")
    when = "; ".join(f"{run}: {runs[run]['when']}" for run in labels)
    return ["", "Over HTTP: gunicorn (4 workers, config.py) and PostgreSQL, 1,000,000 patients, "
                "each operation alone with 8 clients, then the morning's mix:", ""] + lines + \
        ["", "Each request of the morning's mix at 8 clients, as its user waits for it "
             "(p50 / p95 ms):", ""] + page_lines(runs, labels) + \
        ["", f"Measured over HTTP, one sitting: {when}."]


def page_lines(runs, labels) -> list[str]:
    pages = {label: runs[label]["results"]["morning"].get("8", {}).get("by_page", {})
             for label in labels}
    lines = ["| request | target | " + " | ".join(labels) + " |",
             "|---|---|" + "---|" * len(labels)]
    for page in sorted(set().union(*pages.values())):
        # Papers print while the next patient steps up; pages and acts are waited for.
        target = "—" if page.startswith("GET /print/") else "p95 ≤ 100 ms"
        cells = [f"{pages[label][page]['p50_ms']} / {pages[label][page]['p95_ms']}"
                 if page in pages[label] else "—" for label in labels]
        lines.append(f"| `{page}` | {target} | " + " | ".join(cells) + " |")
    return lines


def main():
    registration, when_r, machine = table("registration", ROWS)
    billing, when_b, _machine = table("billing", BILLING_ROWS)
    ipd, when_i, _machine = table("ipd", IPD_ROWS)
    lab, when_l, _machine = table("lab", LAB_ROWS)
    lab_results, when_lr, _machine = table("labresults", LAB_RESULT_ROWS)
    ipd_record, when_ir, _machine = table("ipdrecord", IPD_RECORD_ROWS)
    reports, when_rp, _machine = table("reports", REPORT_ROWS)
    print("\n".join(["Registration and OPD, 1,000,000 patients:", ""] + registration +
                    ["", "Billing, 1,000,000 bills:", ""] + billing +
                    ["", "IPD, 1,000,000 patients and 25,000 past admissions:", ""] + ipd +
                    ["", "Lab orders, 1,000,000 patients:", ""] + lab +
                    ["", "Lab results, 1,000,000 patients:", ""] + lab_results +
                    ["", "IPD clinical record, 1,000,000 patients, 300 inpatients with ten "
                         "days of vitals and medicines, 60 more on a ward of their own:", ""]
                    + ipd_record +
                    ["", "Reports, 1,000,000 patients with a year of visits (about 40,000 a "
                         "month at each facility) and 25,000 admissions:", ""] + reports +
                    [""] + exports("reports") +
                    ["", f"Measured {when_r}; {when_b}; {when_i}; {when_l}; {when_lr}; "
                         f"{when_ir}; {when_rp}; {machine}."] +
                    http_table()))


if __name__ == "__main__":
    main()
