"""Starting the app as a new user does: on a real X display, with no display, with a mistyped word."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from depositdesk.app import cli

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    env.update(DEPOSITDESK_SETTINGS=str(tmp_path / "settings.ini"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"), **extra)
    return env


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A virtual X server on a free display (Xvfb picks it and writes its number to a pipe)."""
    if shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        pytest.fail("Xvfb and xdotool are needed (python3 tools/dd.py test installs them)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1360x900x24",
                               "-nolisten", "tcp"], pass_fds=(write_end,), stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait(10)


def test_the_window_is_mapped_on_a_real_x_display(xvfb: str, project_dir: Path, tmp_path: Path) -> None:
    env = _env(tmp_path, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb")
    log = tmp_path / "stderr.txt"
    with log.open("w") as err_file:  # its own session: the app and the index builders it starts end together
        app = subprocess.Popen([sys.executable, "-m", "depositdesk", str(project_dir)], env=env, cwd=ROOT,
                               stderr=err_file, start_new_session=True)
    try:
        found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "DepositDesk"],
                               env=env, capture_output=True, text=True, timeout=90)
        assert found.returncode == 0 and found.stdout.split(), app.poll()
        info = subprocess.run(["xdotool", "getwindowname", found.stdout.split()[0]], env=env,
                              capture_output=True, text=True, timeout=30)
        assert "Zelda binding in early embryos" in info.stdout
        assert app.poll() is None  # still running: the window stays up
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        app.wait(30)
    assert "Could not load the Qt platform plugin" not in log.read_text()


def test_no_display_says_so_in_one_line_and_how_to_work_headless(tmp_path: Path, project_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "depositdesk", str(project_dir)], env=_env(tmp_path),
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display found" in lines[0] and "depositdesk check" in lines[0]


def test_a_screenshot_is_still_taken_without_a_display(tmp_path: Path, project_dir: Path) -> None:
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "depositdesk", str(project_dir), "--screenshot", str(out)],
                          env=_env(tmp_path), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_word_that_is_no_command_and_no_path_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "depositdesk", "pakage"], env=_env(tmp_path, QT_QPA_PLATFORM="offscreen"),
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "usage: depositdesk" in done.stderr
    assert "'pakage' is neither a command nor an existing file or folder" in done.stderr
    assert "package" in done.stderr  # the commands are listed: the one meant is among them


@pytest.mark.parametrize("argv", [
    ["check", "no-such-project", "--format", "json"],
    ["validate", "--format=json", "no-such-file.fastq"],
    ["check", "--format", "json"],  # argparse's own error: a required argument is missing
])
def test_json_runs_that_cannot_start_print_a_json_error(argv: list[str], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    error = json.loads(captured.out)
    assert error["exit_code"] == 2 and error["command"] == argv[0]
    assert error["error"].startswith(f"depositdesk {argv[0]}") and error["error"] in captured.err


def test_the_window_and_the_target_rules_load_without_bioregistry_until_an_identifier_is_checked() -> None:
    """Importing bioregistry (its registry of resources) took 0.9 s and 84 MB of every start of the
    window; it is loaded at the first identifier checked."""
    probe = ("import sys\n"
             "import depositdesk.app.main_window, depositdesk.packaging.targets\n"
             "assert 'bioregistry' not in sys.modules, 'loaded on start'\n"
             "from depositdesk.packaging.rules.identifiers import validate_identifier\n"
             "assert validate_identifier('GSE', 'GSE12345') is None\n"
             "assert validate_identifier('GSE', 'GSE12x') is not None\n"
             "assert 'bioregistry' in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
