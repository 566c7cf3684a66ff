"""`flask --app run hmis ...` commands."""
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import appbuilder, db

from . import roles as R


@click.group("hmis")
def hmis():
    """Hospital management system administration."""


def sync_roles() -> dict:
    """Create the roles of roles.py and make their permissions exactly what it says.

    Menu entries follow from access: a role sees a menu item when it may open the item's
    page (read for a list, write for a screen that only writes, such as the desk), and a
    category when it sees one of its items.
    """
    sm = appbuilder.sm
    for name in (current_app.config["AUTH_ROLE_ADMIN"], current_app.config["AUTH_ROLE_PUBLIC"]):
        sm.find_role(name) or sm.add_role(name)  # FAB grants the admin role as it goes
    # Several views share a resource (the order screen writes, the register only reads),
    # and roles.py grants read on resources whose views only write: FAB's own update
    # registers each view's part alone, takes every other permission of the resource for
    # stale and logs a refusal to delete it. Register each resource's whole set once,
    # with menu_access where a menu entry has the resource's name ("Staff").
    menus = {item.name for category in appbuilder.menu.get_list()
             for item in [category, *(category.childs or [])] if item.name != "-"}
    resources = {}
    for view in appbuilder.baseviews:
        resources.setdefault(view.class_permission_name, set()).update(view.base_permissions or ())
    for role_name in R.ROLE_PERMISSIONS:
        for perm, resource in R.fab_permissions(role_name):
            resources.setdefault(resource, set()).add(perm)
    for resource, perms in resources.items():
        if resource in menus:
            perms.add("menu_access")
        sm.add_permissions_view(sorted(perms), resource)
    for name in sorted(menus):
        sm.add_permissions_menu(name)
    menu_perms = {}   # (permission, resource) opening an item → the menu entries shown
    for category in appbuilder.menu.get_list():
        children = [c for c in (category.childs or []) if c.name != "-"]
        items = children or [category]
        for item in items:
            view = getattr(item, "baseview", None)
            resource = getattr(view, "class_permission_name", None)
            if resource:
                opens = (view.method_permission_name or {}).get(view.default_view,
                                                                view.default_view)
                shown = menu_perms.setdefault((f"can_{opens}", resource), set())
                shown.add(item.name)
                if children:
                    shown.add(category.name)
    changes = {}
    # Admin last: it gets every permission, including those the other roles create.
    for role_name in sorted(R.ROLE_PERMISSIONS, key=lambda name: name == R.ADMIN):
        role = sm.find_role(role_name) or sm.add_role(role_name)
        if role_name == R.ADMIN:
            wanted = {(p.permission.name, p.view_menu.name)
                      for p in db.session.query(sm.permissionview_model)}
        else:
            wanted = R.fab_permissions(role_name)
            for perm_resource in list(wanted):
                wanted |= {("menu_access", m) for m in menu_perms.get(perm_resource, ())}
        have = {(p.permission.name, p.view_menu.name): p for p in role.permissions}
        added = removed = 0
        for perm, view in sorted(wanted - set(have)):
            pvm = sm.add_permission_view_menu(perm, view)
            sm.add_permission_role(role, pvm)
            added += 1
        for key in set(have) - wanted:
            sm.del_permission_role(role, have[key])
            removed += 1
        changes[role_name] = (added, removed)
    db.session.commit()
    return {name: changes[name] for name in R.ROLE_PERMISSIONS}


@hmis.command("sync-roles")
@with_appcontext
def sync_roles_command():
    """Create/update the roles and their permissions from app/core/roles.py."""
    for role, (added, removed) in sync_roles().items():
        click.echo(f"{role}: +{added} -{removed}")


@hmis.command("roles-table")
def roles_table_command():
    """Print the role × capability table (Markdown) that the README carries."""
    click.echo(R.roles_markdown())


@hmis.command("load-lgd")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def load_lgd_command(path):
    """Load LGD address masters from a CSV (default: the bundled HP/Jharkhand seed)."""
    from .seed import LGD_CSV, load_lgd
    click.echo(f"{load_lgd(path or LGD_CSV)} rows added")


@hmis.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Demo facilities DHR and RNC, their departments and one user per role."""
    from .seed import demo_usernames, seed_demo
    cfg = current_app.config
    password = cfg["DEMO_PASSWORD"]
    if not password:
        if not cfg["DEMO_MODE"]:
            raise click.ClickException(
                "Not in demo mode (HMIS_DEMO_MODE=1) and no HMIS_DEMO_PASSWORD set: "
                "refusing to create accounts with a default password.")
        password = cfg["DEMO_DEFAULT_PASSWORD"]
    sync_roles()
    seed_demo(password)
    click.echo("Demo logins (password: %s):" % password)
    click.echo("  " + ", ".join(demo_usernames()))


@hmis.command("create-user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(list(R.ROLE_PERMISSIONS)))
@click.option("--facility", "facility_code", help="Facility code; omit for state-level users.")
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@click.option("--email", default=None)
@click.option("--designation", default=None)
@with_appcontext
def create_user_command(username, role, facility_code, first_name, last_name, email,
                        designation):
    """Create a user. The password comes from HMIS_NEW_USER_PASSWORD or a prompt."""
    from .models import Facility
    from .passwords import password_problems
    from .seed import ensure_user
    if appbuilder.sm.find_user(username=username):
        raise click.ClickException(f"user {username} already exists")
    facility = None
    if facility_code:
        facility = db.session.query(Facility).filter_by(code=facility_code.upper()).one_or_none()
        if facility is None:
            raise click.ClickException(f"no facility with code {facility_code}")
    elif role not in R.ALL_FACILITY_ROLES:
        raise click.ClickException(f"role {role} needs --facility")
    password = os.environ.get("HMIS_NEW_USER_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise click.ClickException("set HMIS_NEW_USER_PASSWORD or run interactively")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problems = password_problems(password, username)
    if problems:
        raise click.ClickException(" ".join(problems))
    if appbuilder.sm.find_role(role) is None:
        sync_roles()
    ensure_user(username, role, password, first_name or username, last_name or "-",
                facility=facility, designation=designation)
    if email:
        user = appbuilder.sm.find_user(username=username)
        user.email = email
        db.session.commit()
    click.echo(f"created {username} ({role})")


@hmis.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path):
    """Write a consistent copy of the database to PATH (SQLite file or pg_dump archive)."""
    from .audit import record_event
    from .backup import BackupError, backup
    try:
        backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    record_event(db.session, "backup", "database", detail=str(path))
    db.session.commit()
    click.echo(f"backup written to {path}")


@hmis.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Really replace every row with the backup's.")
@with_appcontext
def restore_command(path, yes):
    """Replace the database's contents with a backup made by `hmis backup`."""
    from .backup import BackupError, restore
    if not yes:
        raise click.ClickException("restore replaces all data; run again with --yes")
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old database open
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"restored from {path}")
