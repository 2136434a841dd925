"""``picsellia-mock serve``: bind, say where, then serve both services with waitress.

The port is bound before anything is printed, so the first line on standard output is the base
URL actually bound (``--port 0`` picks a free port): a test suite in any language can start the
mock and read where it is. The server is waitress (``transport.py``). ``--workers N``
(above 1, where the system can fork) runs N processes on that address (on Linux, each on a
socket of its own, so that the kernel spreads connections evenly), sharing the SQLite store.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import sys
import webbrowser

from picsellia_contract.routes import login_operation, operation

from .app import create_app
from .config import DEMO_API_TOKEN, Config, ConfigError, load_config_file
from .database import DatabaseError, release
from .guard import is_loopback
from .transport import run_waitress

DEFAULT_DB = "picsellia-mock.sqlite3"
REUSE_PORT = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
BACKLOG = 1024  # connections the system queues before a worker accepts them
CONFIG_ENV = "PICSELLIA_MOCK_CONFIG"  # the config file when --config is not given
HOSTS_ENV = "PICSELLIA_MOCK_ALLOWED_HOSTS"  # comma-separated names added to allowed_hosts
# waitress warns "Task queue depth is N" whenever requests wait for a free thread: routine
# under a page that polls beside a client, so shown only with --verbose.
QUEUE_LOGGER = "waitress.queue"
MEMORY_DB = ":memory:"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0: any free port")
    parser.add_argument(
        "--config",
        default=os.environ.get(CONFIG_ENV) or None,
        help=f"TOML config file (deployments, token lifetime, limits); default: ${CONFIG_ENV}",
    )
    parser.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file (default: {DEFAULT_DB})")
    parser.add_argument("--workers", type=int, default=1, help="processes (above 1: needs fork)")
    parser.add_argument("--strict", action="store_true", help="reject warnings as errors")
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulated model")
    parser.add_argument("--open", action="store_true", help="open the web page in a browser")
    parser.add_argument(
        "--admin-token", help="require this bearer token on /__admin/* and the web page"
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        dest="allowed_hosts",
        metavar="NAME",
        help="a Host name the admin API answers besides loopback ones (repeatable; also "
        f"${HOSTS_ENV}, comma-separated): a remote Docker host's name, for instance",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show waitress's task queue warnings"
    )


def build_config(args: argparse.Namespace) -> Config:
    config = load_config_file(args.config) if args.config else Config()
    if args.db == MEMORY_DB:
        raise ConfigError(
            f"--db {MEMORY_DB} is not supported: the workers and the journal share one SQLite "
            "file; give a file name"
        )
    config.db_path = os.path.abspath(args.db)
    config.strict = args.strict
    config.seed = args.seed
    added = [*os.environ.get(HOSTS_ENV, "").split(","), *getattr(args, "allowed_hosts", [])]
    config.allowed_hosts = (*config.allowed_hosts, *(n.strip() for n in added if n.strip()))
    if args.admin_token is not None:
        if len(args.admin_token) < 8:
            raise ConfigError("--admin-token must be 8 characters or more")
        config.admin_token = args.admin_token
    return config


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


BANNER_ADMIN_OPERATIONS = ("adminDeployments", "adminRequests")  # the admin paths it shows


def banner(config: Config, url: str, workers: int) -> str:
    """What ``serve`` prints on start; the routes it names are read from the OpenAPI document."""
    lines = [f"Picsellia mock (serving + monitoring) on {url}  [{workers} worker(s)]"]
    page = url + "/" + (f"?admin_token={config.admin_token}" if config.admin_token else "")
    lines.append(f"  web page:         {page}   (API reference: {url}/docs)")
    serving, monitoring = login_operation("serving"), login_operation("monitoring")
    lines.append(f"  serving login:    {serving!s:<20} monitoring login: {monitoring}")
    shown = ", ".join(operation(o).path for o in BANNER_ADMIN_OPERATIONS)
    lines.append(f"  admin API:        {shown}, ...")
    lines.append(f"  database:         {config.db_path}")
    lines.append("  deployments (id, type, API tokens):")
    for deployment in config.deployments.values():
        tokens = ", ".join(deployment.api_tokens)
        lines.append(f"    {deployment.id}  {deployment.type:<16} {tokens}")
    if any(DEMO_API_TOKEN in d.api_tokens for d in config.deployments.values()):
        lines.append(f"  demo API token:   {DEMO_API_TOKEN}")
    return "\n".join(lines)


def bind(host: str, port: int, workers: int = 1) -> socket.socket:
    """The listening socket; OSError (in use, no such address) is the caller's to report.

    For several workers on Linux, it is open to SO_REUSEPORT, so that each worker can listen on
    a socket of its own (``own_socket``). The port is first bound without it, so that a port in
    use, by another mock as much as by anything else, is still refused."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    if workers == 1 or not REUSE_PORT:
        return listen((host, port), family)
    # Between the probe and the bind, another program could take the port; the window is
    # microseconds, and the bind then fails as for a port in use (or, for another multi-worker
    # mock started in the same instant, they share it).
    with listen((host, port), family) as probe:
        port = probe.getsockname()[1]  # the port --port 0 picked
    return listen((host, port), family, reuse_port=True)


def listen(address: tuple, family: int, reuse_port: bool = False) -> socket.socket:
    return socket.create_server(address, family=family, backlog=BACKLOG, reuse_port=reuse_port)


def own_socket(sock: socket.socket) -> socket.socket:
    """A worker's own listening socket on ``sock``'s address. The kernel spreads new
    connections across such sockets; on one shared socket, the worker that wakes first takes
    them, and a burst of connections (a load test's) could all land on one worker."""
    if not REUSE_PORT:
        return sock
    try:
        own = listen(sock.getsockname(), sock.family, reuse_port=True)
    except OSError:
        return sock  # served as before, on the shared socket
    sock.close()
    return own


def run(args: argparse.Namespace) -> int:
    """Start the server; a bad option, config, database or port is one line on stderr, exit 2."""
    signal.signal(signal.SIGTERM, _stop)  # as a container's PID 1, SIGTERM has no default
    try:
        if args.workers < 1:
            raise ConfigError(f"--workers must be 1 or more, got {args.workers}")
        if args.workers > 1 and not hasattr(os, "fork"):
            raise ConfigError("--workers above 1 needs a system that can fork (Linux, macOS)")
        if not 0 <= args.port <= 65535:
            raise ConfigError(f"--port must be between 0 and 65535, got {args.port}")
        config = build_config(args)
        logging.getLogger(QUEUE_LOGGER).setLevel(logging.NOTSET if args.verbose else logging.ERROR)
        app = create_app(config)
    except (ConfigError, DatabaseError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot open the database {args.db}: {exc.strerror or exc}")
    try:
        sock = bind(args.host, args.port, args.workers)
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    url = base_url(sock)
    print(url, flush=True)
    print(banner(config, url, args.workers), flush=True)
    if not is_loopback(args.host) and not config.admin_token:
        print(
            f"picsellia-mock: warning: serving on {args.host} without an admin token: anyone who "
            "reaches this port can read and reset the mock (set --admin-token)",
            file=sys.stderr,
            flush=True,
        )
    page = url + "/" + (f"?admin_token={config.admin_token}" if config.admin_token else "")
    if args.open:
        webbrowser.open(page)
    if args.workers > 1:
        run_processes(app, sock, args.workers)
    else:
        run_waitress(app, sock)
    release(app.config["MOCK_DB"], app.extensions["mock_connection_list"])  # no WAL left
    return 0


def _stop(signum, frame) -> None:
    """SIGTERM: waitress closes its sockets and threads, and ``run`` returns 0."""
    raise SystemExit(0)


def run_processes(app, sock: socket.socket, workers: int) -> int:
    """Fork ``workers`` processes serving the address of ``sock`` (the first on ``sock``, the
    others on sockets of their own where the system can); stop them all on SIGTERM/SIGINT."""
    children = []
    for index in range(workers):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            run_waitress(app, sock if index == 0 else own_socket(sock))
            release(app.config["MOCK_DB"], app.extensions["mock_connection_list"])
            os._exit(0)
        children.append(pid)
    sock.close()  # the first worker has it: should that worker die, its connections go elsewhere

    def stop(signum, frame) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, 0)
    return 0


def _fail(message: str) -> int:
    print(f"picsellia-mock: error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """``python -m mockserver [options]``: ``picsellia-mock serve [options]``."""
    parser = argparse.ArgumentParser(prog="python -m mockserver", description="Serve the mock.")
    add_arguments(parser)
    return run(parser.parse_args(argv))
