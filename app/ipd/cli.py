"""`flask hmis post-bed-days`: the midnight census (run from cron just after 00:00 IST)."""
import click
from flask.cli import with_appcontext

from app.core.cli import hmis


@hmis.command("post-bed-days")
@with_appcontext
def post_bed_days_command():
    """Charge every admitted patient's nights so far to their account (idempotent)."""
    from .services import post_all_bed_days
    click.echo(f"{post_all_bed_days()} bed-days charged")
