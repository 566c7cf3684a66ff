"""The common diagnoses of an Indian district hospital's OPD and wards, most common first,
with their Hindi names (data/common_diagnoses.csv): the ICD-10 suggestions rank them
before the rest of the 12,000 codes, and Hindi words find them."""
import csv
from pathlib import Path

CSV = Path(__file__).parent / "data" / "common_diagnoses.csv"


def ranked() -> list[tuple[str, str]]:
    """[(ICD-10 code, Hindi name)], most common first."""
    with open(CSV, encoding="utf-8") as fh:
        return [(row["code"], row["title_hi"]) for row in csv.DictReader(fh)]
