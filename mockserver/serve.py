"""``picsellia-mock serve``: run both services on one base URL (gunicorn for several workers)."""

from __future__ import annotations

import argparse
import os
import sys

from .app import create_app
from .config import DEMO_API_TOKEN, Config, ConfigError, load_config_file

DEFAULT_DB = "picsellia-mock.sqlite3"


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--config", help="TOML config file (deployments, token lifetime, limits)")
    parser.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file (default: {DEFAULT_DB})")
    parser.add_argument("--workers", type=int, default=1, help="above 1: run under gunicorn")
    parser.add_argument("--strict", action="store_true", help="reject warnings as errors")
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulated model")


def build_config(args: argparse.Namespace) -> Config:
    config = load_config_file(args.config) if args.config else Config()
    config.db_path = os.path.abspath(args.db)
    config.strict = args.strict
    config.seed = args.seed
    return config


def banner(config: Config, base_url: str, workers: int) -> str:
    lines = [f"Picsellia mock (serving + monitoring) on {base_url}  [{workers} worker(s)]"]
    lines.append("  serving login:    POST /api/login      monitoring login: POST /api/auth/login")
    lines.append("  admin API:        /__admin/health, /__admin/requests, ...")
    lines.append(f"  database:         {config.db_path}")
    lines.append("  deployments (id, type, API tokens):")
    for deployment in config.deployments.values():
        tokens = ", ".join(deployment.api_tokens)
        lines.append(f"    {deployment.id}  {deployment.type:<16} {tokens}")
    if any(DEMO_API_TOKEN in d.api_tokens for d in config.deployments.values()):
        lines.append(f"  demo API token:   {DEMO_API_TOKEN}")
    return "\n".join(lines)


def serve(args: argparse.Namespace) -> int:
    """Start the server; a bad configuration is one message on stderr and exit status 2."""
    try:
        if args.workers < 1:
            raise ConfigError(f"--workers must be 1 or more, got {args.workers}")
        config = build_config(args)
        app = create_app(config)
    except ConfigError as exc:
        print(f"picsellia-mock: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"picsellia-mock: error: cannot open the database: {exc}", file=sys.stderr)
        return 2
    base_url = f"http://{args.host}:{args.port}"
    print(banner(config, base_url, args.workers), flush=True)
    if args.workers > 1:
        run_gunicorn(app, args.host, args.port, args.workers)
    else:
        app.run(host=args.host, port=args.port, threaded=True)
    return 0


def run_gunicorn(app, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class MockApplication(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", None)

        def load(self):
            return app

    MockApplication().run()
