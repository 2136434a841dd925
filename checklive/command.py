"""``picsellia-mock check-live``: compare the real services' answers with the contract.

The calls are in ``calls``, what ``--write`` sends in ``payloads``, the report in
``reporting``; this module holds the command's options and exit statuses.

Exit status: 0 every answer agrees, 1 a difference (or a contradicted own-contract choice),
2 a usage error or nothing could be checked (a host that cannot be reached, a refused login),
said in one line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import uuid

from picsellia_contract.images import image_size, sniff_content_type

from . import payloads, reporting
from .calls import CheckAborted, LiveCheck, Target

EXIT_AGREES, EXIT_DIFFERS, EXIT_USAGE = 0, 1, 2
HOST = re.compile(r"https?://[^/\s]+(/\S*)?")


DESCRIPTION = (
    "Call the real serving and monitoring services as the SDK does and compare "
    "every answer with the contract. Without --write nothing is created on the service: "
    "the check logs in to both services, reads the deployment and its stats, and reads the "
    "deployment once without a token (a 401)."
)
EPILOG = (
    "Exit status: 0 everything agrees, 1 a difference, 2 a usage error or nothing could be "
    "checked. Tokens never appear in the report."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``check-live``'s options."""
    parser.description, parser.epilog = DESCRIPTION, EPILOG
    parser.add_argument("--serving-host", required=True, help="e.g. https://serving.example")
    parser.add_argument("--monitoring-host", required=True, help="the monitoring (oracle) host")
    token = os.environ.get("PICSELLIA_API_TOKEN")
    parser.add_argument(
        "--api-token",
        required=token is None,
        default=token,
        help="the deployment's API token (default: $PICSELLIA_API_TOKEN)",
    )
    parser.add_argument("--deployment-id", required=True)
    parser.add_argument(
        "--write",
        action="store_true",
        help="also predict once with monitor=False and post one monitoring prediction (empty "
        f"raw predictions), marked with source {payloads.SOURCE!r} and tag "
        f"{payloads.TAG!r}",
    )
    parser.add_argument("--image", help="PNG or JPEG for --write (default: a built-in 8x8 PNG)")
    parser.add_argument("--json", metavar="FILE", help="write the report as JSON (- for stdout)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per call (60)")


def run(args: argparse.Namespace) -> int:
    """Check, print the report, and answer the exit status."""
    secrets: list[str | None] = [args.api_token]
    for host in (args.serving_host, args.monitoring_host):
        if not HOST.fullmatch(host):
            return _fail(f"a host is a URL such as https://serving.example, not {host!r}", args)
    if args.image and not args.write:
        return _fail("--image is sent only with --write", args)
    if args.timeout <= 0:
        return _fail("--timeout must be more than 0 seconds", args)
    image, filename = None, None
    if args.write:
        run_id = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:6]
        try:
            image, filename = read_image(args.image, run_id)
        except (OSError, ValueError) as exc:
            return _fail(f"--image: {exc}", args)
    target = Target(
        args.serving_host.rstrip("/"),
        args.monitoring_host.rstrip("/"),
        args.deployment_id,
        args.api_token,
        args.timeout,
    )
    check = LiveCheck(target)
    try:
        report = check.run(image, filename)
    except CheckAborted as exc:
        return _fail(str(exc), args, list(check.tokens.values()))
    secrets += list(check.tokens.values())
    if args.json != "-":
        print(reporting.scrub(reporting.render_text(report), secrets))
    if args.json:
        reporting.write_json(report, args.json, secrets)
    return EXIT_AGREES if report["agrees"] else EXIT_DIFFERS


def read_image(path: str | None, run_id: str) -> tuple[bytes, str]:
    """(bytes, filename) of the image to send: the file at ``path``, or the built-in PNG.

    The filename starts with the run's id, so that no two runs post the same name.
    """
    if path is None:
        return payloads.tiny_png(f"{payloads.SOURCE} {run_id}"), f"{run_id}.png"
    with open(path, "rb") as handle:
        data = handle.read()
    if sniff_content_type(data) is None or image_size(data) is None:
        raise ValueError(f"{path} is not a PNG or JPEG whose size can be read")
    return data, f"{run_id}-{os.path.basename(path)}"


def _fail(message: str, args: argparse.Namespace, secrets=()) -> int:
    """One line on standard error (and in the JSON report, if asked for); exit status 2."""
    message = reporting.scrub(message, [args.api_token, *secrets])
    line = f"picsellia-mock check-live: error: {message}"
    print(line, file=sys.stderr)
    if getattr(args, "json", None) and args.json != "-":
        try:
            with open(args.json, "w", encoding="utf-8") as handle:
                handle.write(json.dumps({"error": line, "agrees": False}, indent=2) + "\n")
        except OSError:
            pass  # the line above already says what went wrong
    return EXIT_USAGE
