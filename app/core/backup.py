"""`flask hmis backup PATH` / `restore PATH`: a consistent copy of the whole database.

SQLite: the online backup API (a consistent snapshot while the app keeps running).
PostgreSQL: pg_dump's custom format, restored with pg_restore --clean; both tools come
with the PostgreSQL client package. Restore refuses to run unless told --yes, since it
replaces every row, the append-only audit log included.
"""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def _pg_args(url) -> tuple[list[str], dict]:
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
            "--username", url.username or "postgres", "--dbname", url.database]
    env = {"PGPASSWORD": url.password} if url.password else {}
    return args, env


def _run(cmd, env):
    if shutil.which(cmd[0]) is None:
        raise BackupError(f"{cmd[0]} not found: install the PostgreSQL client tools")
    result = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{cmd[0]} failed")


def _private(path: Path) -> None:
    """The file exists, empty, readable and writable by its owner only: a backup holds
    every patient's record and must never be readable by other accounts on the server."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT


def backup(database_url: str, target: Path) -> Path:
    url = make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    _private(target)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        source.close()
        dest.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_args(url)
        _run(["pg_dump", "--format=custom", "--file", str(target), *args], env)
    else:
        raise BackupError(f"no backup method for {url.get_backend_name()}")
    return target


def restore(database_url: str, source: Path) -> None:
    url = make_url(database_url)
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    if url.get_backend_name() == "sqlite":
        src = sqlite3.connect(source)
        dest = sqlite3.connect(url.database)
        with dest:
            src.backup(dest)
        src.close()
        dest.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_args(url)
        # The audit log's append-only trigger also refuses the DELETEs of --clean; the
        # restore drops and recreates the tables instead, trigger included.
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *args, str(source)], env)
    else:
        raise BackupError(f"no restore method for {url.get_backend_name()}")
