"""`flask hmis bench-data N` (synthetic load for benchmarks) and `load-reference`."""
import time

import click
from flask.cli import with_appcontext

from app.core.cli import hmis


@hmis.command("bench-data")
@click.argument("count", type=click.IntRange(1, 10_000_000))
@click.option("--seed", default=2026, show_default=True)
@with_appcontext
def bench_data_command(count, seed):
    """Create COUNT synthetic patients (Devanagari and Latin names) with OPD visits,
    their bills and payments, and a year of admissions (one for every 40 patients)."""
    from app.core.models import Facility
    from app.extensions import db
    from app.ipd.bench_data import generate_admissions

    from .bench_data import generate
    started = time.perf_counter()
    totals = generate(count, seed=seed, log=click.echo)
    facilities = db.session.query(Facility).all()
    admissions = sum(generate_admissions(f, count // 40 // len(facilities), seed=seed + f.id)
                     for f in facilities)
    click.echo(f"{totals['patients']} patients, {totals['visits']} visits, "
               f"{admissions} admissions, {totals['bills']} OPD bills in "
               f"{time.perf_counter() - started:.1f} s")


@hmis.command("load-reference")
@with_appcontext
def load_reference_command():
    """Load WHO ICD-10 codes and the drug master (idempotent; run after upgrades)."""
    from .consultation import load_icd10
    from .seed import seed_drugs
    click.echo(f"ICD-10: {load_icd10()} codes added")
    seed_drugs()
    click.echo("drug master up to date")
