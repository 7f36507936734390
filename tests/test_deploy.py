"""The deployment kit: the Makefile's choice of Python, and the promises the Dockerfile, compose.yaml
and the systemd unit make (non-root, dependency layer first, volumes, health check, stop timeout
longer than the drain). Building the image and `systemd-analyze verify` are run by hand (README,
"Deploy"); these keep the files from drifting away from the settings they rely on."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make") or "make"


def make_python(path_dir: Path) -> subprocess.CompletedProcess[str]:
    """`make python` with PATH holding only path_dir: which interpreter the Makefile picks."""
    return subprocess.run([MAKE, "-s", "-C", str(ROOT), "python"], capture_output=True, text=True,
                          env={"PATH": str(path_dir)}, timeout=60)


def fake(path_dir: Path, name: str, old: bool) -> None:
    """A python on PATH: `old` ones fail the ≥ 3.11 check, like a python3.10 would."""
    target = path_dir / name
    if old:
        target.write_text("#!/bin/sh\nexit 1\n")
        target.chmod(0o755)
    else:
        target.symlink_to(sys.executable)


def test_make_picks_the_newest_python_that_is_at_least_3_11(tmp_path):
    fake(tmp_path, "python3.13", old=True)  # e.g. a broken pyenv shim
    fake(tmp_path, "python3.12", old=False)
    fake(tmp_path, "python3", old=True)
    result = make_python(tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "python3.12"


def test_make_skips_an_old_python3_and_says_what_to_install(tmp_path):
    fake(tmp_path, "python3", old=True)
    result = make_python(tmp_path)
    assert result.returncode != 0
    assert "需要 Python 3.11 或更新版本" in result.stderr and "python3.11" in result.stderr
    fake(tmp_path, "python3.11", old=False)
    assert make_python(tmp_path).stdout.strip() == "python3.11"


def test_make_rebuilds_a_venv_of_the_wrong_version(tmp_path):
    """A .venv whose python fails the version check is removed and made again with $(PYTHON)."""
    shutil.copy(ROOT / "Makefile", tmp_path)
    (tmp_path / "pyproject.toml").write_text("")
    old = tmp_path / ".venv" / "bin"
    old.mkdir(parents=True)
    (old / "python").write_text("#!/bin/sh\nexit 1\n")  # like a python3.10 venv
    (old / "python").chmod(0o755)
    (tmp_path / ".venv" / "made-by-3.10").touch()
    calls = tmp_path / "calls.txt"
    new_python = tmp_path / "python-new"  # stands in for python3.11: makes a venv whose python logs its calls
    new_python.write_text(f"""#!/bin/sh
echo "new $*" >> {calls}
mkdir -p .venv/bin
printf '#!/bin/sh\\necho "venv $*" >> {calls}\\n' > .venv/bin/python
chmod +x .venv/bin/python
""")
    new_python.chmod(0o755)
    result = subprocess.run([MAKE, "-s", "-C", str(tmp_path), f"PYTHON={new_python}", ".venv/.installed"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "重建" in result.stderr
    assert not (tmp_path / ".venv" / "made-by-3.10").exists()
    log = calls.read_text().splitlines()
    assert log[0] == "new -m venv .venv" and any("pip install" in line and "-e" in line for line in log)


def test_dockerfile_runs_as_a_user_with_dependencies_in_their_own_layer():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    lines = [line for line in text.splitlines() if line and not line[0].isspace() and line[0] != "#"]
    steps = [line.split()[0] for line in lines]
    assert steps[-1] == "CMD" and "USER" in steps
    user = re.search(r"^USER (\S+)$", text, re.M).group(1)
    assert not user.startswith(("root", "0"))
    deps = text.index("pip install -r")
    assert text.index("COPY pyproject.toml") < deps < text.index("COPY bot/"), "dependencies before the code"
    assert "speechbot ask" in text and "chmod a+r /tmp/jieba.cache" in text, "jieba cache made at build"
    assert re.search(r'^VOLUME \["/data", "/state"\]$', text, re.M)
    assert re.search(r'^HEALTHCHECK .* CMD \["speechbot", "check"\]$', text, re.M)


def test_the_docker_context_leaves_out_secrets_and_state():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored and "state/" in ignored and ".venv" in ignored


def test_compose_waits_longer_than_the_drain():
    text = (ROOT / "compose.yaml").read_text()
    grace = int(re.search(r"stop_grace_period: (\d+)s", text).group(1))
    assert grace > Settings().shutdown_timeout + 2
    assert "env_file: .env" in text and "restart: unless-stopped" in text
    assert "speechbot-data:/data" in text and "speechbot-state:/state" in text


def test_systemd_unit():
    unit = (ROOT / "deploy" / "speechbot.service").read_text()
    values = dict(re.findall(r"^(\w+)=(.*)$", unit, re.M))
    assert values["User"] != "root" and values["Restart"] == "on-failure"
    assert values["EnvironmentFile"].endswith(".env") and values["WorkingDirectory"]
    assert values["ExecStart"].endswith("speechbot run") and values["RestartPreventExitStatus"] == "2"
    assert int(values["TimeoutStopSec"]) > Settings().shutdown_timeout + 2
