"""The README's benchmark table is the one bench/report.py makes from bench/results/."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_bench_table_matches_committed_results():
    table = subprocess.run([sys.executable, str(ROOT / "bench" / "report.py")],
                           capture_output=True, text=True, check=True).stdout.strip()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- bench-table:start -->\n(.*?)\n<!-- bench-table:end -->", readme, re.S)
    assert match and match.group(1).strip() == table, \
        "README benchmark table is stale: paste `python bench/report.py` into it"
