"""A throwaway PostgreSQL server for tests.

The harness starts one when the environment names no database. Each server lives in
a fresh temporary directory (data dir, unix socket, logs) on a free TCP port bound to
127.0.0.1 only, uses trust authentication and trades durability for speed. Its locale is a
UTF-8 one, as production's (the postgres image and Debian's clusters use en_US.UTF-8): under
such a collation ``LIKE '62%'`` cannot use a plain b-tree index, and the tests must see that.

Fault tests can take it down and bring it back on the same port and data dir::

    with PostgresServer() as pg:
        pg.halt()        # pg_ctl stop -m fast: clients see "connection refused"
        pg.start()       # same port, same data
        pg.kill()        # SIGKILL, as in a crash; start() runs crash recovery
        pg.freeze()      # SIGSTOP: connections hang instead of failing
        pg.thaw()

Run ``python -m canlian.testing.postgres`` to start one and print its address.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Self

from canlian.testing.ports import free_port

__all__ = ["PostgresServer", "PostgresServerError", "find_pg_bindir", "utf8_locale"]

DEFAULT_DATABASE = "canlian"
DEFAULT_USER = "postgres"
HOST = "127.0.0.1"
# As root, initdb/postgres run as Debian's `postgres` user, else as one we create.
FALLBACK_SYSTEM_USER = "canlian-test"
_SERVER_OS_USERS = ("postgres", FALLBACK_SYSTEM_USER)

_SERVER_SETTINGS: dict[str, str] = {
    "listen_addresses": f"'{HOST}'",
    "max_connections": "200",
    # Test data is disposable: skip every durability cost.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "logging_collector": "off",
    "log_min_messages": "warning",
}


class PostgresServerError(RuntimeError):
    """The server could not be set up, started or stopped."""


def find_pg_bindir() -> Path | None:
    """Directory holding initdb/pg_ctl/postgres, or None when PostgreSQL is not installed.

    Order: $CANLIAN_PG_BINDIR, `pg_config --bindir`, the newest /usr/lib/postgresql/*/bin
    (Debian does not put initdb on PATH), then PATH.
    """
    candidates: list[Path] = []
    if env := os.environ.get("CANLIAN_PG_BINDIR"):
        candidates.append(Path(env))
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            if out:
                candidates.append(Path(out))
    debian = glob.glob("/usr/lib/postgresql/*/bin")
    candidates.extend(Path(p) for p in sorted(debian, key=_version_key, reverse=True))
    if initdb := shutil.which("initdb"):
        # Follow symlinks so pg_ctl/postgres are taken from the same installation.
        candidates.append(Path(initdb).resolve().parent)
    for bindir in candidates:
        if all((bindir / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return bindir
    return None


def utf8_locale() -> str:
    """The cluster's locale: en_US.UTF-8 when the system has it, else C.UTF-8 (glibc always
    has it). Both collate by language rules, not bytes, unlike ``C``."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        listed = subprocess.run(
            ["locale", "-a"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.split()
        for wanted in ("en_US.utf8", "en_US.UTF-8"):
            if wanted in listed:
                return "en_US.UTF-8"
    return "C.UTF-8"


def _version_key(path: str) -> tuple[int, ...]:
    # "/usr/lib/postgresql/15/bin" -> (15,); non-numeric parts sort first.
    return tuple(int(n) for n in re.findall(r"\d+", Path(path).parent.name)) or (-1,)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 16_384))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return f"(no {path.name})"
    return "\n".join(text.splitlines()[-lines:])


def _system_user() -> str:
    """Unprivileged user to run initdb/postgres as, creating one if needed (root only)."""
    for name in _SERVER_OS_USERS:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
         FALLBACK_SYSTEM_USER],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    return FALLBACK_SYSTEM_USER


def _group_alive(pgid: int) -> bool:
    """Whether any non-zombie process is left in process group ``pgid``.

    Reads /proc rather than using kill(0) because zombies (if pid 1 does not reap
    them) still answer signals.
    """
    for stat_file in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat_file).read_text()
        except OSError:
            continue
        # Fields after the ")" closing the command name: state ppid pgrp ...
        fields = text[text.rindex(")") + 2 :].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


def _world_traversable(path: Path) -> bool:
    # The unprivileged user must be able to reach the data dir through every parent.
    for parent in [path, *path.parents]:
        try:
            if not parent.stat().st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


class PostgresServer:
    """A private PostgreSQL cluster in a temp dir, with database ``canlian``.

    ``url`` is the SQLAlchemy asyncpg URL, ``dsn`` the libpq/asyncpg DSN. The first
    ``start()`` runs initdb; later ones restart the same cluster on the same port.
    ``stop()`` shuts it down and deletes the directory.
    """

    def __init__(
        self,
        *,
        database: str = DEFAULT_DATABASE,
        port: int | None = None,
        bindir: Path | str | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        self.host = HOST
        self.user = DEFAULT_USER
        self.database = database
        self.startup_timeout = startup_timeout
        self._fixed_port = port is not None
        self.port: int = port if port is not None else free_port()
        self._bindir = Path(bindir) if bindir is not None else None
        self._run_as: str | None = None
        self.base_dir: Path | None = None
        self._initialised = False
        self._running = False
        self._database_created = False
        self._lock = threading.RLock()

    # -- addresses ---------------------------------------------------------------

    @property
    def url(self) -> str:
        """SQLAlchemy async URL, e.g. ``postgresql+asyncpg://postgres@127.0.0.1:5432/canlian``."""
        return self.url_for(self.database)

    @property
    def dsn(self) -> str:
        """Plain DSN for asyncpg/psql, e.g. ``postgresql://postgres@127.0.0.1:5432/canlian``."""
        return self.dsn_for(self.database)

    def url_for(self, database: str) -> str:
        return f"postgresql+asyncpg://{self.user}@{self.host}:{self.port}/{database}"

    def dsn_for(self, database: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    @property
    def running(self) -> bool:
        return self._running

    @property
    def data_dir(self) -> Path:
        return self._base() / "data"

    @property
    def log_path(self) -> Path:
        return self._base() / "postgres.log"

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> Self:
        """Create the cluster on first call, else restart it; returns when it accepts queries."""
        with self._lock:
            if self._running:
                return self
            if not self._initialised:
                self._initialise()
                atexit.register(self.stop)
            for attempt in range(3):
                try:
                    self._pg_ctl_start()
                    break
                except PostgresServerError:
                    # Another process may have taken our free port between pick and bind.
                    if self._fixed_port or attempt == 2 or not self._port_conflict():
                        raise
                    self.port = free_port()
                    self._write_settings()
            self._running = True
            if not self._database_created:
                self._create_database()
            return self

    def halt(self) -> None:
        """Fast shutdown (``pg_ctl stop -m fast``), keeping the data dir for ``start()``."""
        with self._lock:
            if not self._running:
                return
            self.thaw()  # a frozen server cannot shut down
            try:
                self._pg_ctl("stop", "-m", "fast", "-w", "-t", "30")
            except PostgresServerError:
                # Stuck (e.g. frozen): escalate rather than leave a server behind.
                self._hard_kill()
            self._running = False

    def kill(self) -> None:
        """SIGKILL the postmaster and its backends, as in a crash."""
        with self._lock:
            if not self._running:
                return
            self._hard_kill()
            self._running = False

    def freeze(self) -> None:
        """SIGSTOP every server process: connections hang instead of being refused."""
        self._kill_group(signal.SIGSTOP)

    def thaw(self) -> None:
        """Undo ``freeze()``."""
        self._kill_group(signal.SIGCONT)

    def stop(self) -> None:
        """Shut down (SIGKILL if a fast shutdown fails) and delete the temp dir. Idempotent."""
        with self._lock:
            try:
                self.halt()
            finally:
                # halt() was interrupted, or start() failed after the postmaster came up:
                # don't orphan the server.
                pid = self._postmaster_pid()
                if self._running or (pid is not None and _group_alive(pid)):
                    self._hard_kill()
                    self._running = False
                if self.base_dir is not None:
                    shutil.rmtree(self.base_dir, ignore_errors=True)
                    self.base_dir = None
                self._initialised = False
                self._database_created = False
                atexit.unregister(self.stop)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._running else "stopped"
        return f"<PostgresServer {self.dsn} {state}>"

    # -- internals ---------------------------------------------------------------

    def _base(self) -> Path:
        if self.base_dir is None:
            raise PostgresServerError("server has not been started")
        return self.base_dir

    def _initialise(self) -> None:
        bindir = self._bindir or find_pg_bindir()
        if bindir is None:
            raise PostgresServerError(
                "PostgreSQL binaries (initdb, pg_ctl, postgres) not found; "
                "run scripts/install-test-servers.sh or set CANLIAN_PG_BINDIR"
            )
        self._bindir = bindir
        tmp_parent: str | None = None
        if os.geteuid() == 0:
            # initdb/postgres refuse to run as root.
            self._run_as = _system_user()
            if not _world_traversable(Path(tempfile.gettempdir())):
                tmp_parent = "/tmp"
        self.base_dir = Path(tempfile.mkdtemp(prefix="canlian-pg-", dir=tmp_parent))
        try:
            (self.base_dir / "sock").mkdir()
            if self._run_as is not None:
                entry = pwd.getpwnam(self._run_as)
                for path in (self.base_dir, self.base_dir / "sock"):
                    os.chown(path, entry.pw_uid, entry.pw_gid)
            log = self.base_dir / "initdb.log"
            self._run(
                [
                    str(bindir / "initdb"),
                    "-D", str(self.data_dir),
                    "-U", self.user,
                    "--auth=trust",
                    "--encoding=UTF8",
                    f"--locale={utf8_locale()}",
                    "--no-sync",  # speed; the cluster is disposable
                ],
                log=log,
                timeout=120,
                what="initdb",
            )  # fmt: skip
            self._write_settings()
        except BaseException:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None
            raise
        self._initialised = True

    def _write_settings(self) -> None:
        # A conf.d-style include keeps the generated postgresql.conf untouched, and
        # rewriting it lets a port change (bind retry) take effect.
        settings = {
            **_SERVER_SETTINGS,
            "port": str(self.port),
            "unix_socket_directories": f"'{self._base() / 'sock'}'",
        }
        extra = self.data_dir / "canlian_test.conf"
        extra.write_text("".join(f"{k} = {v}\n" for k, v in settings.items()))
        conf = self.data_dir / "postgresql.conf"
        include = "include = 'canlian_test.conf'\n"
        if include not in conf.read_text():
            with conf.open("a") as fh:
                fh.write("\n" + include)
        if self._run_as is not None:
            entry = pwd.getpwnam(self._run_as)
            os.chown(extra, entry.pw_uid, entry.pw_gid)

    def _pg_ctl_start(self) -> None:
        timeout = max(1, int(self.startup_timeout))
        self._pg_ctl("start", "-w", "-t", str(timeout), "-l", str(self.log_path))
        # pg_ctl -w already waited for "ready"; also make sure TCP is served.
        deadline = time.monotonic() + self.startup_timeout
        while True:
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise PostgresServerError(
                        f"postgres not accepting TCP on {self.port}\n{_tail(self.log_path)}"
                    ) from None
                time.sleep(0.1)

    def _port_conflict(self) -> bool:
        return "could not bind" in _tail(self.log_path, 20)

    def _create_database(self) -> None:
        assert self._bindir is not None
        # TCP + trust auth: no need to switch user for a client.
        self._run(
            [
                str(self._bindir / "createdb"),
                "-h", self.host, "-p", str(self.port), "-U", self.user,
                self.database,
            ],
            log=self._base() / "createdb.log",
            timeout=60,
            what="createdb",
            as_server_user=False,
        )  # fmt: skip
        self._database_created = True

    def _pg_ctl(self, *args: str) -> None:
        assert self._bindir is not None
        self._run(
            [str(self._bindir / "pg_ctl"), "-D", str(self.data_dir), *args],
            log=self._base() / "pg_ctl.log",
            timeout=self.startup_timeout + 30,
            what=f"pg_ctl {args[0]}",
        )

    def _run(
        self,
        argv: list[str],
        *,
        log: Path,
        timeout: float,
        what: str,
        as_server_user: bool = True,
    ) -> None:
        if as_server_user and self._run_as is not None:
            argv = ["runuser", "-u", self._run_as, "--", *argv]
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        with log.open("ab") as out:
            try:
                proc = subprocess.run(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    cwd=self._base(),  # the server user may not be able to read our cwd
                    env=env,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise PostgresServerError(
                    f"{what} timed out after {timeout}s\n{_tail(log)}\n{self._server_log_tail()}"
                ) from None
        if proc.returncode != 0:
            raise PostgresServerError(
                f"{what} failed (exit {proc.returncode})\n{_tail(log)}\n{self._server_log_tail()}"
            )

    def _server_log_tail(self) -> str:
        if self.base_dir is None or not self.log_path.exists():
            return ""
        return f"--- postgres.log ---\n{_tail(self.log_path)}"

    def _postmaster_pid(self) -> int | None:
        if self.base_dir is None:
            return None
        try:
            return int((self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def _kill_group(self, sig: signal.Signals) -> None:
        pid = self._postmaster_pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            # pg_ctl starts the postmaster in its own session, so its process group
            # holds exactly the server and its backends.
            if os.getpgid(pid) == pid:
                os.killpg(pid, sig)
            else:
                os.kill(pid, sig)

    def _hard_kill(self) -> None:
        pid = self._postmaster_pid()
        if pid is None:
            return
        self._kill_group(signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _group_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        # Clean up what the dead postmaster left: a zombie (pid 1 may never reap it)
        # still answers kill(pid, 0), so postgres would take the stale postmaster.pid
        # for a live server and refuse to start; and its SysV segment would leak.
        lock = self.data_dir / "postmaster.pid"
        with contextlib.suppress(OSError, IndexError, ValueError):
            shmid = int(lock.read_text().splitlines()[6].split()[1])
            subprocess.run(["ipcrm", "-m", str(shmid)], capture_output=True, timeout=10)
        lock.unlink(missing_ok=True)
        for stale in (self._base() / "sock").glob(".s.PGSQL.*"):
            stale.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run a throwaway PostgreSQL until Ctrl-C.")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    with PostgresServer(port=args.port) as server:
        print(f"url: {server.url}\ndsn: {server.dsn}\ndir: {server.base_dir}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
