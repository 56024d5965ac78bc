"""The one retry policy (tenacity) and the classification of transfer errors.

Retried: HTTP 5xx, 429 (waiting what ``Retry-After`` says), connection resets/timeouts, FTP 4xx
replies (421, 425, 426, ...). Not retried: HTTP 4xx other than 429 and FTP 5xx replies, reported with
the server's own message. A credential never appears in a message built here.
"""

from __future__ import annotations

import ftplib
import http.client
import json
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import httpx
    from tenacity import RetryCallState

T = TypeVar("T")


class TransferError(Exception):
    """A failure that retrying will not fix (a 4xx with the server's message, a refused login)."""


class RetryableError(Exception):
    """A transient failure; ``retry_after`` is the server's wish in seconds, if it said one."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError, socket.timeout, EOFError, ftplib.error_temp,
    ftplib.error_reply, OSError, http.client.HTTPException,
)


def _httpx_error(exc: BaseException, name: str) -> bool:
    """``exc`` is an instance of ``httpx.<name>``. httpx (~50-120 ms to import) is not imported
    here: an FTP upload never loads it, and an exception can only be httpx's once it is loaded."""
    module = sys.modules.get("httpx")
    return module is not None and isinstance(exc, getattr(module, name))


def server_message(response: httpx.Response) -> str:
    """The server's own words: the JSON ``message`` (+ field errors) or the start of the body."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return response.text.strip()[:200] or response.reason_phrase
    if not isinstance(body, dict):
        return json.dumps(body)[:200]
    message = " ".join(str(body.get("message") or response.reason_phrase).split())
    details = []
    for err in body.get("errors") or []:
        if isinstance(err, dict):
            text = err.get("message") or "; ".join(map(str, err.get("messages") or []))
            details.append(f"{err.get('field', '?')}: {text}")
    return f"{message} ({'; '.join(details)})" if details else message


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def check_response(response: httpx.Response, what: str) -> httpx.Response:
    """Return a 2xx response; raise RetryableError (5xx, 429) or TransferError (other 4xx)."""
    if response.is_success:
        return response
    code = response.status_code
    message = f"{what}: HTTP {code}: {server_message(response)}"
    if code == 429 or code >= 500:
        raise RetryableError(message, _retry_after(response) if code == 429 else None)
    raise TransferError(message)


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, TransferError):
        return False
    if isinstance(exc, ftplib.error_perm | FileNotFoundError | PermissionError | IsADirectoryError):
        return False
    return isinstance(exc, (RetryableError, *NETWORK_ERRORS)) or _httpx_error(exc, "TransportError")


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff ``initial * 2**n`` capped at ``maximum``; ``Retry-After`` wins."""

    attempts: int = 8
    initial: float = 0.5
    maximum: float = 30.0

    def _wait(self, exc: BaseException | None, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1 = the first)."""
        if isinstance(exc, RetryableError) and exc.retry_after is not None:
            return min(exc.retry_after, max(self.maximum, exc.retry_after))
        return min(self.maximum, self.initial * 2 ** (attempt - 1))

    def call(self, func: Callable[[], T], on_retry: Callable[[BaseException], None] | None = None
             ) -> T:
        """Run ``func`` until it succeeds, a non-retryable error, or the attempts are used up."""
        # The first attempt runs bare: tenacity's import (40-90 ms, as long as 10 % of a 500 MB
        # transfer on the loopback) is paid only by an upload that has something to retry.
        try:
            return func()
        except BaseException as exc:
            if self.attempts <= 1 or not is_retryable(exc):
                raise
            if on_retry:
                on_retry(exc)
            time.sleep(self._wait(exc, 1))
        from tenacity import Retrying, retry_if_exception, stop_after_attempt

        def before_sleep(state: RetryCallState) -> None:
            if on_retry and state.outcome is not None:
                exc = state.outcome.exception()
                if exc is not None:
                    on_retry(exc)

        def wait(state: RetryCallState) -> float:     # attempt n here is attempt n + 1 overall
            exc = state.outcome.exception() if state.outcome else None
            return self._wait(exc, state.attempt_number + 1)

        retrying = Retrying(stop=stop_after_attempt(self.attempts - 1), wait=wait,
                            retry=retry_if_exception(is_retryable), reraise=True,
                            before_sleep=before_sleep)
        return retrying(func)


def describe(exc: BaseException) -> str:
    """One line for the user; never the request headers (where the token travels)."""
    if isinstance(exc, TransferError | RetryableError):
        return str(exc)
    if _httpx_error(exc, "HTTPError"):
        return f"{type(exc).__name__}: {exc}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
