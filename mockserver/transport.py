"""The HTTP server under the app: waitress, told to stop reading a body at the limit.

waitress reads each request whole before a worker thread sees it, so slow or idle connections
hold no thread, and it runs on Linux, macOS and Windows. Its own limit on bodies
(``max_request_body_size``) is set to ``max_body_bytes + 1``: a declared length over the limit
is refused before any of the body is read, and a chunked body as soon as one byte more than the
limit has arrived (waitress counts the chunk framing too). waitress would answer those with a
plain-text 413; here the request goes on to the app instead, without its body and flagged, so
that the answer is the one error shape (413 ``body_too_large``) and the journal keeps it. The
connection is closed after that answer: the rest of the body is never read.
"""

from __future__ import annotations

import ctypes
import io
import socket
import sys

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

THREADS = 4  # per process; 8 ran monitoring posts about 20% slower (GIL, lock contention)
CONNECTION_LIMIT = 1000  # open connections waitress accepts; idle ones cost no thread
M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
LARGE_BLOCK = 1 << 20
BODY_OVER_LIMIT = "mock.body_over_limit"  # environ key: waitress stopped reading the body


class BodyOverLimitTask(WSGITask):
    """Runs the app on a request whose body went over the limit, with an empty body."""

    def get_environment(self):
        if self.environ is None:
            environ = super().get_environment()
            environ["wsgi.input"] = io.BytesIO()
            environ[BODY_OVER_LIMIT] = True
            self.environ = environ
        return self.environ

    def execute(self):
        self.set_close_on_finish()  # the unread rest of the body cannot be skipped
        super().execute()


def error_task(channel, request):
    if isinstance(request.error, RequestEntityTooLarge):
        return BodyOverLimitTask(channel, request)
    return ErrorTask(channel, request)


class Channel(HTTPChannel):
    error_task_class = staticmethod(error_task)


def give_back_large_blocks() -> None:
    """On glibc, serve blocks of 1 MiB and more by mmap, so that freeing them returns them to the
    system. Left alone, glibc raises that threshold after the first large free and keeps later
    large blocks in its heap: one 20 MB image left a worker about 50 MB above its idle size."""
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # no C library, or one without mallopt
        return
    mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK)


def run_waitress(app, sock: socket.socket) -> None:
    """Serve the mock's ``app`` on the listening ``sock`` until the process is stopped."""
    give_back_large_blocks()
    max_body_bytes = app.config["MAX_CONTENT_LENGTH"]
    server = create_server(
        app,
        sockets=[sock],
        threads=THREADS,
        connection_limit=CONNECTION_LIMIT,
        max_request_body_size=max_body_bytes + 1,  # waitress refuses from this size on
        clear_untrusted_proxy_headers=True,
        ident="picsellia-mock",
    )
    server.channel_class = Channel
    server.run()
