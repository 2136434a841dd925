"""Every bad start-up state is one line on stderr naming the file or option, and exit status 2."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat

import pytest

from tests.helpers import assert_one_line, start_up


def test_a_database_in_a_missing_folder(tmp_path):
    db = tmp_path / "nowhere" / "db.sqlite3"
    assert_one_line(start_up(tmp_path, "--db", str(db)), str(db), "does not exist")


def test_a_database_that_is_a_directory(tmp_path):
    assert_one_line(start_up(tmp_path, "--db", str(tmp_path)), str(tmp_path), "is a directory")


def test_a_database_that_is_not_sqlite(tmp_path):
    db = tmp_path / "notes.txt"
    db.write_text("these are not the tables you are looking for\n")
    assert_one_line(start_up(tmp_path, "--db", str(db)), str(db), "not an SQLite database")


def test_an_sqlite_file_of_another_program(tmp_path):
    db = tmp_path / "other.sqlite3"
    with sqlite3.connect(db) as other:
        other.execute("CREATE TABLE predictions (x)")
    assert_one_line(start_up(tmp_path, "--db", str(db)), str(db), "another program")


def as_owner_without_override() -> tuple[str, ...]:
    """Root writes a read-only file anyway: as root, the mock runs without the capabilities
    that bypass file modes (util-linux's setpriv), so that a read-only file is one to it."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and setpriv (util-linux) is not installed")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search", "--")


def test_a_read_only_database(tmp_path):
    db = tmp_path / "db.sqlite3"
    sqlite3.connect(db).close()
    db.chmod(stat.S_IRUSR)
    done = start_up(tmp_path, "--db", str(db), prefix=as_owner_without_override())
    assert_one_line(done, str(db), "read-only")


def test_a_config_that_is_not_utf8(tmp_path):
    config = tmp_path / "mock.toml"
    config.write_bytes(b"jwt_lifetime_seconds = 60 # caf\xe9\n")
    done = start_up(tmp_path, "--config", str(config), "--db", str(tmp_path / "db"))
    assert_one_line(done, str(config), "UTF-8")


def test_the_database_is_readable_by_its_owner_only(tmp_path):
    from mockserver.app import create_app
    from mockserver.config import Config

    db = tmp_path / "db.sqlite3"
    app = create_app(Config(db_path=str(db)))
    app.test_client().get("/__admin/health")  # a connection: the WAL files exist now
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert {p.name for p in tmp_path.iterdir()} >= {"db.sqlite3", "db.sqlite3-wal"}
