"""Production settings: secrets come from the environment only, and `check --deploy` is clean."""

import json
import re
import subprocess
import sys

import pytest

from config.embedded import BASE_DIR
from tests.support.production import REQUIRED

ENV_EXAMPLE = BASE_DIR / ".env.example"


def _example_environment() -> dict[str, str]:
    """The uncommented (required) lines of .env.example, with production settings."""
    lines = ENV_EXAMPLE.read_text().splitlines()
    pairs = dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line))
    return {"PATH": "/usr/bin:/bin", **pairs, "DJANGO_SETTINGS_MODULE": "config.settings.production"}


def _python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)


def test_check_deploy_reports_no_issues_with_the_example_environment():
    result = _python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _example_environment())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("name", REQUIRED)
def test_production_settings_refuse_to_load_without(name):
    if (BASE_DIR / ".env").exists() and re.search(rf"^{name}=", (BASE_DIR / ".env").read_text(), re.M):
        pytest.skip(f"the local .env provides {name}")
    env = _example_environment()
    del env[name]

    result = _python(["-c", "import django; django.setup()"], env)

    assert result.returncode != 0
    assert f"Set the {name} environment variable" in result.stderr


def test_env_example_documents_every_variable_the_settings_read():
    source = "\n".join(path.read_text() for path in (BASE_DIR / "config" / "settings").glob("*.py"))
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    read |= set(re.findall(r"os\.environ(?:\.get|\.setdefault)\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))

    assert read - documented == set()


def test_production_collects_the_static_files_under_hashed_names(tmp_path):
    # given the production settings (ManifestStaticFilesStorage), as the image's build stage runs them
    env = {**_example_environment(), "STATIC_ROOT": str(tmp_path)}

    # when the static files are collected
    result = _python(["manage.py", "collectstatic", "--noinput"], env)

    # then every file, and every file a collected file refers to, is there under its hashed name
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    assert manifest["paths"]["vendor/htmx-2.0.11.min.js"] != "vendor/htmx-2.0.11.min.js"
    assert (tmp_path / manifest["paths"]["vendor/model-viewer/model-viewer.min.js"]).is_file()
