"""A real FTP server (pyftpdlib) on 127.0.0.1 with fault injection, for the transfer tests.

``faults`` is a list the handlers pop from, one fault per STOR (or per REST for "norest"):
``("drop", n)`` closes the data connection after n bytes of the next upload (426 on the control
connection), ``("421",)`` / ``("426",)`` answer the next STOR with that reply, ``("norest",)``
refuses the next REST with 502 (``refuse_rest=True`` refuses every REST). ``rate`` throttles reads.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler
from pyftpdlib.servers import FTPServer

logging.getLogger("pyftpdlib").setLevel(logging.WARNING)


class FaultyFtp:
    def __init__(self, root: Path, user: str, password: str, rate: int = 0,
                 refuse_rest: bool = False) -> None:
        self.root = root
        self.faults: list[tuple] = []
        self.commands: list[str] = []
        self.args: list[tuple[str, str]] = []
        self.refuse_rest = refuse_rest
        state = self

        class Data(ThrottledDTPHandler):
            read_limit = rate
            drop_after: int | None = None

            def handle_read(self) -> None:
                if self.drop_after is not None and self.tot_bytes_received >= self.drop_after:
                    self._resp = ("426 Connection closed; transfer aborted.", lambda *a: None)
                    self.close()
                    return
                super().handle_read()

            handle_read_event = handle_read

        class Control(FTPHandler):
            dtp_handler = Data

            def pre_process_command(self, line: str, cmd: str, arg: str) -> None:
                state.commands.append(cmd)
                state.args.append((cmd, arg))
                if cmd == "REST" and (state.refuse_rest or state._pop("norest")):
                    self.respond("502 Command not implemented.")
                    return
                if cmd == "STOR":
                    if state._pop("421"):
                        self.respond("421 Service not available, closing control connection.")
                        self.close_when_done()
                        return
                    if state._pop("426"):
                        self.respond("426 Connection closed; transfer aborted.")
                        return
                    drop = state._pop("drop")
                    Data.drop_after = drop[1] if drop else None
                super().pre_process_command(line, cmd, arg)

        self.data_handler = Data
        authorizer = DummyAuthorizer()
        authorizer.add_user(user, password, str(root), perm="elradfmwMT")
        Control.authorizer = authorizer
        Control.passive_ports = None
        Control.auth_failed_timeout = 0.05
        self.server = FTPServer(("127.0.0.1", 0), Control)
        self.port = self.server.address[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _pop(self, kind: str) -> tuple | None:
        for i, fault in enumerate(self.faults):
            if fault[0] == kind:
                return self.faults.pop(i)
        return None

    def _serve(self) -> None:
        while not self._stop.is_set():
            self.server.serve_forever(timeout=0.05, blocking=False, handle_exit=False)
        self.server.close_all()

    def __enter__(self) -> FaultyFtp:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
