"""The lock files pin what pyproject.toml asks for, with hashes; the image and the venv
install from them; `make audit` never calls an unchecked lock clean. No network needed."""

import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {"base.txt": ROOT / "requirements/base.txt", "dev.txt": ROOT / "requirements/dev.txt"}
AUDIT = ROOT / "scripts/audit.py"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def entries(path):
    """Each requirement of a lock file as one logical line (continuations joined)."""
    text = re.sub(r"\\\n", " ", path.read_text())
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def pins(path):
    found = {}
    for entry in entries(path):
        requirement = Requirement(entry.split(" --hash")[0].strip())
        (spec,) = requirement.specifier
        found[canonicalize_name(requirement.name)] = spec.version
    return found


def declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = project["dependencies"]
    return {"base.txt": runtime, "dev.txt": runtime + project["optional-dependencies"]["dev"]}


def logical_lines(path):
    return re.sub(r"\\\n", " ", path.read_text()).splitlines()


@pytest.mark.parametrize("name", LOCKS)
def test_every_lock_entry_is_pinned_with_a_hash(name):
    lock_entries = entries(LOCKS[name])
    assert len(lock_entries) > 20
    for entry in lock_entries:
        requirement = entry.split(" --hash")[0].strip()
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]+\])?==\S+( ;.*)?", requirement), (
            entry
        )
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), f"no sha256 hash: {entry}"


@pytest.mark.parametrize("name", LOCKS)
def test_every_declared_dependency_is_locked_inside_its_range(name):
    locked = pins(LOCKS[name])
    for line in declared()[name]:
        requirement = Requirement(line)
        version = locked.get(canonicalize_name(requirement.name))
        assert version is not None, f"{requirement.name} is missing from requirements/{name}"
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements/{name} pins {requirement.name}=={version}, outside {requirement.specifier}"
        )


def test_the_new_security_dependencies_are_locked():
    base, dev = pins(LOCKS["base.txt"]), pins(LOCKS["dev.txt"])
    assert {"django-axes", "django-storages", "boto3"} <= base.keys()  # boto3: the [s3] extra
    assert {"aiosmtpd", "pip-audit", "uv"} <= dev.keys()
    assert not {"aiosmtpd", "pip-audit", "uv", "pytest"} & base.keys()


def test_runtime_packages_have_the_same_version_for_tests_and_for_the_image():
    base, dev = pins(LOCKS["base.txt"]), pins(LOCKS["dev.txt"])
    assert {package: dev.get(package) for package in base} == base


@pytest.mark.parametrize("name", LOCKS)
def test_lock_header_says_how_it_was_made(name):
    head = LOCKS[name].read_text().split("\n", 4)[:4]
    assert any("make lock" in line for line in head)
    assert any("uv pip compile" in line and "--generate-hashes" in line for line in head)


def test_dockerfile_installs_the_runtime_lock_with_hashes_then_the_project_alone():
    lines = logical_lines(ROOT / "Dockerfile")
    locked = [
        i
        for i, line in enumerate(lines)
        if "pip install" in line
        and "--require-hashes" in line
        and "-r requirements/base.txt" in line
    ]
    project = [
        i
        for i, line in enumerate(lines)
        if re.search(r"pip install [^&;]*--no-deps [^&;]*\.(\s|$)", line)
    ]
    assert locked, "the Dockerfile does not install requirements/base.txt with --require-hashes"
    assert project, "the Dockerfile does not install the project with --no-deps"
    assert locked[0] <= project[0]
    unhashed = [
        line
        for line in lines
        if re.search(r"pip install\b", line)
        and "--require-hashes" not in line
        and "--no-deps" not in line
        and "--upgrade pip" not in line
    ]
    assert not unhashed, unhashed


def test_makefile_installs_the_dev_lock_with_hashes_and_the_project_without_deps():
    makefile = (ROOT / "Makefile").read_text()
    rule = re.search(r"^\$\(VENV\)/\.installed:(.*)\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert rule
    prerequisites, recipe = rule.groups()
    assert "pyproject.toml" in prerequisites and "requirements/dev.txt" in prerequisites
    assert "--require-hashes -r requirements/dev.txt" in recipe
    assert "--no-deps -e ." in recipe
    assert recipe.index("requirements/dev.txt") < recipe.index("--no-deps -e .")


# `make audit`


def run_audit(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k.upper() not in PROXY_VARS}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, str(AUDIT), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def closed_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def small_lock(tmp_path):
    """Two packages from the real lock, hashes included."""
    text = re.sub(r"\\\n", " ", LOCKS["base.txt"].read_text())
    chosen = [line for line in text.splitlines() if line.startswith(("django==", "polib=="))]
    assert len(chosen) == 2
    path = tmp_path / "small.txt"
    path.write_text("\n".join(chosen) + "\n")
    return path


@pytest.fixture
def osv_stub():
    """A local OSV query endpoint; `vulnerable` names the packages it reports."""
    vulnerable = set()
    queried = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            name = query["package"]["name"]
            queried.append(name)
            answer = {}
            if name in vulnerable:
                answer = {
                    "vulns": [
                        {
                            "id": "PYSEC-0000-1",
                            "aliases": ["CVE-0000-0001"],
                            "summary": "Test advisory",
                            "affected": [
                                {
                                    "package": {"name": name, "ecosystem": "PyPI"},
                                    "ranges": [
                                        {
                                            "type": "ECOSYSTEM",
                                            "events": [{"introduced": "0"}, {"fixed": "99.0"}],
                                        }
                                    ],
                                }
                            ],
                        }
                    ]
                }
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    yield url, vulnerable, queried
    server.shutdown()
    server.server_close()


def test_audit_unreachable_osv_exits_2_with_one_clear_line(tmp_path):
    port = closed_port()
    result = run_audit(
        "--service",
        "osv",
        "--osv-url",
        f"http://127.0.0.1:{port}/v1/query",
        "--cache-dir",
        str(tmp_path / "cache"),
        "--timeout",
        "5",
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.strip() == (
        f"make audit: cannot reach the vulnerability database (127.0.0.1:{port}: "
        "connection refused); nothing was checked"
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_audit_unreachable_pypi_through_a_dead_proxy_exits_2(tmp_path):
    port = closed_port()
    result = run_audit(
        "--cache-dir",
        str(tmp_path / "cache"),
        "--timeout",
        "5",
        env_extra={"HTTPS_PROXY": f"http://127.0.0.1:{port}", "NO_PROXY": ""},
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.startswith("make audit: cannot reach the vulnerability database (")
    assert result.stdout.rstrip().endswith("nothing was checked")


def test_audit_clean_lock_exits_0_and_counts_packages(tmp_path, small_lock, osv_stub):
    url, _, queried = osv_stub
    result = run_audit("-r", str(small_lock), "--service", "osv", "--osv-url", url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(queried) == ["django", "polib"]
    assert "no known vulnerabilities; 2 locked packages checked" in result.stdout


def test_audit_vulnerability_exits_1_with_the_listing(tmp_path, small_lock, osv_stub):
    url, vulnerable, _ = osv_stub
    vulnerable.add("polib")
    result = run_audit("-r", str(small_lock), "--service", "osv", "--osv-url", url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"polib\s+\d[\w.]*\s+PYSEC-0000-1, CVE-0000-0001\s+99\.0", result.stdout)
    assert "1 known vulnerability in 1 of 2 checked packages" in result.stdout


def load_audit_module():
    spec = importlib.util.spec_from_file_location("portal_audit", AUDIT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_audit_never_calls_a_lock_clean_when_every_package_was_skipped():
    # What PyPI's JSON API looks like from a network that only reaches the package index.
    audit = load_audit_module()
    report = {
        "dependencies": [
            {
                "name": n,
                "skip_reason": f"Dependency not found on PyPI and could not be audited: {n} (1.0)",
            }
            for n in ("django", "polib")
        ]
    }
    status, lines = audit.summarize(report, "requirements/dev.txt", "pypi")
    assert status == 2
    assert lines == [
        "make audit: cannot reach the vulnerability database (PyPI's advisory data: it answered "
        "'not found' for all 2 locked packages, so its per-release JSON API is not reachable "
        "from here); nothing was checked"
    ]


def test_audit_partial_answer_is_not_clean():
    audit = load_audit_module()
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2", "vulns": []},
            {"name": "polib", "skip_reason": "Dependency not found on PyPI: polib (1.2.0)"},
        ]
    }
    status, lines = audit.summarize(report, "requirements/dev.txt", "pypi")
    assert status == 2
    assert "1 of 2 locked packages could not be checked" in lines[-1]


def test_lock_check_without_the_index_says_so_and_still_checks_the_ranges():
    env = dict(
        os.environ,
        UV_DEFAULT_INDEX=f"http://127.0.0.1:{closed_port()}/simple",
        UV_NO_CACHE="1",
        UV_HTTP_RETRIES="0",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/lock.py"), "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("make lock-check: cannot reach the package index (")
    assert "Traceback" not in result.stderr


def test_the_image_and_the_package_hold_every_app_of_the_project():
    """An app left out of the Dockerfile's COPY lines or the package list breaks the image."""
    from django.conf import settings

    own = {
        app.split(".")[0]
        for app in settings.INSTALLED_APPS
        if (ROOT / app.split(".")[0] / "__init__.py").exists()
    }
    assert {"portal", "home", "stories", "awards", "events"} <= own
    copied = set(re.findall(r"^COPY (\w+) \1$", (ROOT / "Dockerfile").read_text(), re.MULTILINE))
    assert own - copied == set(), "the Dockerfile does not copy these apps"
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    included = {name.rstrip("*") for name in packages["packages"]["find"]["include"]}
    assert own - included == set(), "pyproject.toml does not package these apps"
