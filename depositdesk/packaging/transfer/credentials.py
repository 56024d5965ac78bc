"""Credentials: in the system keyring, or in the environment for one run — nowhere else.

HTTP targets (Zenodo, Figshare, Synapse) use a token (``DEPOSITDESK_TOKEN``), FTP targets a
password (``DEPOSITDESK_PASSWORD``). Keyring entries live under the service "depositdesk", account
``TARGET`` (HTTP) or ``TARGET:USER`` (FTP). The secret is never written, logged or put in a message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

SERVICE = "depositdesk"
ENV = {"http": "DEPOSITDESK_TOKEN", "ftp": "DEPOSITDESK_PASSWORD"}


@dataclass(frozen=True)
class Credential:
    secret: str
    source: str          # "keyring" or the environment variable's name

    def __repr__(self) -> str:           # never shows the secret
        return f"Credential(source={self.source!r})"


def kind_of(transport: str) -> str:
    return "ftp" if transport == "ftp" else "http"


def account(target: str, user: str = "") -> str:
    return f"{target}:{user}" if user else target


def keyring_usable() -> bool:
    """A real keyring backend exists (not keyring's 'fail' or 'null' stand-ins)."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    return not isinstance(backend, fail.Keyring | null.Keyring) and backend.priority > 0


def store(target: str, user: str, secret: str) -> None:
    import keyring
    keyring.set_password(SERVICE, account(target, user), secret)


def find(target: str, transport: str, user: str = "") -> Credential | None:
    """The environment for this run wins, then the keyring; None when neither has one."""
    variable = ENV[kind_of(transport)]
    if os.environ.get(variable):
        return Credential(os.environ[variable], variable)
    if keyring_usable():
        import keyring
        try:
            secret = keyring.get_password(SERVICE, account(target, user))
        except Exception:
            secret = None
        if secret:
            return Credential(secret, "keyring")
    return None


def how_to_provide(target: str, transport: str, user: str = "") -> str:
    variable = ENV[kind_of(transport)]
    login = f"depositdesk login {target}" + (f" --user {user}" if user else "")
    if keyring_usable():
        return f"no credential for {target}: run '{login}' or set {variable} for this run"
    return (f"no credential for {target} and no system keyring on this machine: "
            f"set {variable} in the environment for this run")
