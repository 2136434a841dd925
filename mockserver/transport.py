"""The HTTP server under the app: waitress, told to stop reading a body at the limit.

waitress reads each request whole before a worker thread sees it, so slow or idle connections
hold no thread, and it runs on Linux, macOS and Windows. Its request parser is given the limit
(``max_body_bytes``): a declared length over it is refused once the headers are read, before
any of the body (and without a ``100 Continue``); a chunked body as soon as its decoded bytes
are one more than the limit (the parser is fed no further; chunk framing does not count).
waitress would answer those with a plain-text 413; here the request goes on to the app instead,
without its body and flagged, so that the answer is the one error shape (413
``body_too_large``) and the journal keeps it. The connection is closed after that answer: the
rest of the body is never read.
"""

from __future__ import annotations

import ctypes
import gc
import io
import socket
import sys

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import create_server
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

from .errors import ApiError
from .jsontext import dumps

THREADS = 4  # per process; 8 ran monitoring posts about 20% slower (GIL, lock contention)
CONNECTION_LIMIT = 1000  # open connections waitress accepts; idle ones cost no thread
M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
LARGE_BLOCK = 1 << 20
BODY_OVER_LIMIT = "mock.body_over_limit"  # environ key: body bytes read before reading stopped
GC_THRESHOLD = 20_000  # allocations between two young-generation collections (default 700)
NO_LIMIT = 1 << 62  # waitress's own limit, which counts chunk framing: the parser's is used


class BodyOverLimitTask(WSGITask):
    """Runs the app on a request whose body went over the limit, with an empty body."""

    def get_environment(self):
        if self.environ is None:
            environ = super().get_environment()
            environ["wsgi.input"] = io.BytesIO()
            environ[BODY_OVER_LIMIT] = len(self.request.body_rcv or ())
            self.environ = environ
        return self.environ

    def execute(self):
        self.set_close_on_finish()  # the unread rest of the body cannot be skipped
        super().execute()


class ProblemErrorTask(ErrorTask):
    """waitress's own refusals (a request line or header it cannot read, headers too large, a
    transfer coding it does not implement), answered in the one error shape, not plain text."""

    def execute(self):
        error = self.request.error
        problem = early_error(error.code, f"{error.reason}: {error.body}")
        if problem is None:
            return super().execute()
        body = dumps(problem.body())
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/problem+json"))
        self.set_close_on_finish()
        data = body.encode()
        self.content_length = len(data)
        self.write(data)


def early_error(status: int, message: str) -> ApiError | None:
    if status == 400:
        return ApiError("bad_request", message)
    if status == 431:
        return ApiError("headers_too_large", message)
    if status == 501:
        return ApiError("not_implemented", message)
    return None


def error_task(channel, request):
    if isinstance(request.error, RequestEntityTooLarge):
        return BodyOverLimitTask(channel, request)
    return ProblemErrorTask(channel, request)


class LimitedParser(HTTPRequestParser):
    """waitress's request parser, refusing a body over ``limit`` bytes as soon as it can."""

    limit = 0  # set by limited_channel

    def received(self, data: bytes) -> int:
        body = self.body_rcv
        if self.chunked and body is not None and not self.completed:
            data = data[: max(1, self.limit + 1 - len(body))]  # not a decoded byte beyond
        consumed = super().received(data)
        if self.error is None and self.headers_finished and self._over_limit():
            self.error = RequestEntityTooLarge(f"the body is over {self.limit} bytes")
            self.completed = True
        return consumed

    def _over_limit(self) -> bool:
        if self.chunked:
            return self.body_rcv is not None and len(self.body_rcv) > self.limit
        return self.content_length > self.limit


class Channel(HTTPChannel):
    error_task_class = staticmethod(error_task)
    parser_class = LimitedParser

    def send_continue(self):
        if self.request is not None and self.request.error is None:  # no body is wanted
            super().send_continue()


def limited_channel(limit: int) -> type[Channel]:
    parser = type("LimitedParser", (LimitedParser,), {"limit": limit})
    return type("Channel", (Channel,), {"parser_class": parser})


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


def collect_less() -> None:
    """Keep the objects made at start-up (the app, the schemas, the OpenAPI document) out of the
    cyclic garbage collector's walks, and let it run less often: requests make many short-lived
    containers, freed by reference counting anyway. Measured: logins about 4% cheaper."""
    gc.collect()  # what start-up left behind is freed, not frozen
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 20)


def run_waitress(app, sock: socket.socket) -> None:
    """Serve the mock's ``app`` on the listening ``sock`` until the process is stopped."""
    give_back_large_blocks()
    collect_less()
    make_server(app, sock).run()


def make_server(app, sock: socket.socket, socket_map: dict | None = None):
    """The waitress server of the mock's ``app`` on the listening ``sock`` (not yet running):
    ``serve`` runs it as the process's loop, ``mockdriver.LiveMock`` on a thread, passing the
    ``socket_map`` of its connections so that it can close them all."""
    max_body_bytes = app.config["MAX_CONTENT_LENGTH"]
    server = create_server(
        app,
        map=socket_map,
        sockets=[sock],
        threads=THREADS,
        connection_limit=CONNECTION_LIMIT,
        max_request_body_size=NO_LIMIT,
        clear_untrusted_proxy_headers=True,
        ident="picsellia-mock",
    )
    server.channel_class = limited_channel(max_body_bytes)
    return server
