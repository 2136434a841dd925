"""``picsellia-client``: log in, predict or monitor from the command line, printing the JSON answer.

Connection settings come from --host, --deployment-id and --api-token, or from the environment
variables PICSELLIA_HOST, PICSELLIA_DEPLOYMENT_ID and PICSELLIA_API_TOKEN. Exit status: 0 done,
1 refused (by the client's own check or by the service) or unreachable, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from .errors import PicselliaError
from .monitoring import MonitoringClient
from .serving import ServingClient
from .session import ServiceSession


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="picsellia-client", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("PICSELLIA_HOST"))
    parser.add_argument("--deployment-id", default=os.environ.get("PICSELLIA_DEPLOYMENT_ID"))
    parser.add_argument("--api-token", default=os.environ.get("PICSELLIA_API_TOKEN"))
    parser.add_argument("--no-validate", action="store_true", help="send without checking first")
    commands = parser.add_subparsers(dest="command", required=True)
    login = commands.add_parser("login", help="log in and print the token")
    login.add_argument("--service", choices=["serving", "monitoring"], default="serving")
    predict = commands.add_parser("predict", help="predict on an image")
    predict.add_argument("image")
    predict.add_argument("--tag", action="append", default=[], dest="tags")
    predict.add_argument("--no-monitor", action="store_true")
    predict.add_argument("--singular-route", action="store_true", help="the vendor guide's route")
    monitor = commands.add_parser("monitor", help="send a prediction to monitoring")
    monitor.add_argument("image")
    monitor.add_argument("--predictions", required=True, help="JSON file of raw_predictions")
    monitor.add_argument("--latency", required=True, type=float, help="seconds")
    monitor.add_argument("--tag", action="append", default=[], dest="tags")
    monitor.add_argument("--source")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    missing = [name for name in ("host", "deployment_id", "api_token") if not getattr(args, name)]
    if missing:
        names = ", ".join("--" + name.replace("_", "-") for name in missing)
        parser.error(f"{names} (or the PICSELLIA_* environment variables) required")
    try:
        answer = run(args)
    except PicselliaError as exc:
        print(f"picsellia-client: {type(exc).__name__}: {exc.message}", file=sys.stderr)
        for problem in exc.problems:
            where = problem.get("pointer") or "/"
            print(f"  {where}  [{problem.get('code')}] {problem.get('message')}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"picsellia-client: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(answer, indent=2))
    return 0


def run(args: argparse.Namespace) -> dict:
    validate = not args.no_validate
    if args.command == "login":
        session = ServiceSession(args.service, args.host, args.deployment_id, args.api_token)
        return session.login()
    if args.command == "predict":
        client = ServingClient(
            args.host,
            args.deployment_id,
            args.api_token,
            validate=validate,
            singular_route=args.singular_route,
        )
        return client.predict(args.image, tags=args.tags, monitor=not args.no_monitor)
    with open(args.predictions, encoding="utf-8") as handle:
        try:
            raw_predictions = json.load(handle)
        except ValueError as exc:
            raise OSError(f"{args.predictions} is not JSON: {exc}") from None
    client = MonitoringClient(args.host, args.deployment_id, args.api_token, validate=validate)
    payload = client.build_payload(
        args.image, raw_predictions, args.latency, tags=args.tags, source=args.source
    )
    return client.monitor(payload)


if __name__ == "__main__":
    sys.exit(main())
