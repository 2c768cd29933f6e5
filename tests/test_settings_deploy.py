"""The settings as a deployment ships them (deploy/): the environment template names every setting
settings.py reads, the units load it, and nginx accepts the site as shipped. `make deploy-test` runs
them for real."""

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import podium.settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def _deploy_test():
    spec = importlib.util.spec_from_file_location("deploy_test", DEPLOY / "test.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _settings_read() -> set[str]:
    """The PODIUM_* variables settings.py reads from the environment."""
    source = Path(podium.settings.__file__).read_text()
    return set(re.findall(r"""(?:environ\.get|env_bool|env_number)\(\s*"(PODIUM_[A-Z0-9_]+)\"""", source))


def test_the_environment_template_names_every_setting():
    template = (DEPLOY / "podium.env").read_text()
    named = set(re.findall(r"^#?(PODIUM_[A-Z0-9_]+)=", template, flags=re.MULTILINE))
    read = _settings_read()
    assert len(read) > 30
    assert read - named == set()
    assert named - read - {"PODIUM_SERVER"} == set()  # `podium serve` reads PODIUM_SERVER itself


def test_the_units_run_podium_with_the_environment_file():
    for name, command in (
        ("podium.service", "/srv/podium/venv/bin/podium serve --host 127.0.0.1 --port 8000 --workers"),
        ("podium-worker.service", "/srv/podium/venv/bin/celery -A podium worker"),
        ("podium-beat.service", "/srv/podium/venv/bin/celery -A podium beat"),
    ):
        unit = (DEPLOY / name).read_text()
        assert f"ExecStart={command}" in unit
        assert "EnvironmentFile=/etc/podium/podium.env" in unit
        assert "User=podium" in unit


def test_the_set_up_steps_copy_every_file_the_site_includes():
    """docs/operations.md's steps on a fresh machine copy each snippet deploy/nginx.conf includes (one
    left out: `nginx -t` fails there, as podium-page.conf once did), and the table names each."""
    docs = (DEPLOY.parent / "docs" / "operations.md").read_text()
    steps = docs[docs.index("### On a fresh Debian machine") : docs.index("### What nginx does")]
    copied = {
        Path(source).name
        for line in steps.splitlines()
        if line.startswith("cp ") and "/etc/nginx/snippets/" in line
        for source in line.split("#")[0].split()[1:-1]
    }
    included = set(
        re.findall(r"include /etc/nginx/snippets/([\w.*-]+);", (DEPLOY / "nginx.conf").read_text())
    )
    table = docs[docs.index("| file | goes to | what |") : docs.index("### On a fresh Debian machine")]

    assert "podium-page.conf" in included
    for pattern in included:
        shipped = sorted(path.name for path in DEPLOY.glob(pattern))
        assert shipped, f"nginx.conf includes {pattern}, which deploy/ does not ship"
        assert set(shipped) <= copied, f"the steps copy none of {shipped}"
        assert all(f"`{name}`" in table for name in shipped), f"the table names none of {shipped}"


@pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()) or not shutil.which("openssl"),
    reason="needs nginx and openssl (make deploy-test installs nginx)",
)
def test_nginx_accepts_the_site_as_shipped(tmp_path):
    deploy_test = _deploy_test()
    (tmp_path / "data").mkdir()
    main = deploy_test.render_nginx(
        tmp_path, tmp_path / "data", http_port=8080, tls_port=8443, upstreams=[8001, 8002]
    )

    site = (tmp_path / "site.conf").read_text()
    checked = subprocess.run(
        [deploy_test.nginx_binary(), "-t", "-c", str(main)], capture_output=True, text=True, timeout=60
    )

    assert checked.returncode == 0, checked.stderr
    assert "server 127.0.0.1:8001" in site
    assert "server 127.0.0.1:8002" in site
    assert "proxy_buffering off" in site
