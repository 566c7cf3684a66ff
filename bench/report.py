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
    ("first_list_page_with_total", "first patient list page with total (HTTP)", "≤ 50 ms"),
    ("search_api_http", "GET /api/v1/patient/search (HTTP)", "—"),
    ("opd_slip_pdf", "OPD slip PDF, A5 (HTTP)", "p50 ≤ 60 ms"),
]


def main():
    results = {}
    for path in sorted(Path(__file__).parent.glob("results/registration-*-1000000.json")):
        report = json.loads(path.read_text())
        results[report["database"]] = report
    dbs = sorted(results)
    lines = ["| operation | target | " + " | ".join(f"{db} p50 / p95 (ms)" for db in dbs) + " |",
             "|---|---|" + "---|" * len(dbs)]
    for key, label, target in ROWS:
        cells = []
        for db in dbs:
            r = results[db]["results"].get(key)
            cells.append(f"{r['p50_ms']} / {r['p95_ms']}" if r else "—")
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    when = ", ".join(f"{db}: {results[db]['when']}" for db in dbs)
    lines.append("")
    lines.append(f"Measured {when}; {results[dbs[0]]['machine'] if dbs else ''}.")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
