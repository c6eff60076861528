"""Hashed lock files from pyproject.toml: write them (`make lock`) or check them (`make lock-check`).

    python scripts/lock.py compile [UV_ARGS...]   # e.g. --upgrade-package django, --upgrade
    python scripts/lock.py check

requirements/base.txt holds the runtime dependencies (the Docker image installs it);
requirements/dev.txt holds them plus the `dev` extra (make install, CI). dev.txt is
resolved with base.txt as a constraint, so every runtime package has the same version
in both. Both are resolved by uv for CPython 3.11 on Linux x86_64 (manylinux 2.28, which
the python:3.11-slim-bookworm image satisfies) and list the hashes of every file of each
pinned release, so pip can verify whichever wheel it picks.

`check` resolves again into a temporary copy (uv keeps the pins it is given while they
still satisfy pyproject.toml) and fails when a pinned name or version would change. When
the package index cannot be reached it says so in one line and falls back to checking,
offline, that every dependency in pyproject.toml is pinned inside its range.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
REQUIREMENTS = ROOT / "requirements"

PYTHON_VERSION = "3.11"
PYTHON_PLATFORM = "x86_64-manylinux_2_28"

# (lock file, extras, constraint files); in this order, since dev.txt is constrained by base.txt.
LOCKS = [
    ("base.txt", [], []),
    ("dev.txt", ["dev"], ["base.txt"]),
]

HEADERS = {
    "base.txt": "Runtime dependencies of flemingsberg-portal (the Docker image installs these).",
    "dev.txt": "Runtime dependencies plus the `dev` extra (make install and CI install these).",
}

# How uv reports an index it cannot reach (a resolution failure reads "No solution found").
NETWORK_ERROR = re.compile(r"Failed to fetch: |error sending request for url|Request failed after")
FETCHED_URL = re.compile(r"Failed to fetch: (\S+)")

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


class IndexUnreachable(Exception):
    pass


def uv_executable() -> str:
    beside = Path(sys.executable).with_name("uv")
    if beside.exists():
        return str(beside)
    found = shutil.which("uv")
    if found:
        return found
    sys.exit("lock: uv is not installed; run `make install` (it comes with the dev extra)")


def compile_command(name: str, extras: list[str], constraints: list[str], out: str) -> list[str]:
    """The uv command that writes one lock file (paths relative to the repository root)."""
    cmd = ["uv", "pip", "compile", "pyproject.toml"]
    for extra in extras:
        cmd += ["--extra", extra]
    for constraint in constraints:
        cmd += ["--constraint", constraint]
    cmd += [
        "--generate-hashes",
        "--python-version",
        PYTHON_VERSION,
        "--python-platform",
        PYTHON_PLATFORM,
        "--no-header",
        "--output-file",
        out,
    ]
    return cmd


def header(name: str, cmd: list[str]) -> str:
    shown = " ".join(cmd)
    return (
        f"# {HEADERS[name]}\n"
        "# Generated from pyproject.toml by `make lock` (scripts/lock.py), which runs uv:\n"
        f"#   {shown}\n"
        "# Do not edit by hand: change pyproject.toml and run `make lock` (see README, Lock file).\n"
    )


def strip_header(text: str) -> str:
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines)


def run_uv(args: list[str], cwd: Path) -> None:
    env = dict(os.environ, UV_NO_PROGRESS="1")
    result = subprocess.run(
        [uv_executable(), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True
    )
    if result.returncode == 0:
        return
    message = result.stderr.strip() or result.stdout.strip()
    if NETWORK_ERROR.search(message):
        causes = [line.strip() for line in message.splitlines() if line.strip()]
        url = FETCHED_URL.search(message)
        where = url.group(1).strip("`") if url else "the index"
        raise IndexUnreachable(f"{where}: {causes[-1].removeprefix('cause: ')}"[:200])
    sys.stderr.write(message + "\n")
    sys.exit(f"lock: uv pip compile failed (exit {result.returncode})")


def write_locks(target: Path, extra_args: list[str]) -> dict[str, Path]:
    """Resolve every lock file into `target` (a folder laid out like the repository)."""
    written = {}
    for name, extras, constraints in LOCKS:
        out = f"requirements/{name}"
        cmd = compile_command(name, extras, [f"requirements/{c}" for c in constraints], out)
        path = target / out
        original = path.read_text() if path.exists() else None
        times = path.stat() if original is not None else None
        if original is not None:
            path.write_text(strip_header(original))  # uv keeps these pins where they still fit
        try:
            run_uv(cmd + extra_args, cwd=target)
        except BaseException:
            if original is not None:
                path.write_text(original)
            raise
        path.write_text(header(name, cmd) + path.read_text())
        if path.read_text() == original:  # unchanged: keep its age, so make does not reinstall
            os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
        written[name] = path
    return written


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def declared() -> dict[str, list[Requirement]]:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    return {
        "base.txt": [Requirement(r) for r in project.get("dependencies", [])],
        "dev.txt": [
            Requirement(r)
            for r in project.get("dependencies", [])
            + project.get("optional-dependencies", {}).get("dev", [])
        ],
    }


def offline_problems() -> list[str]:
    """What can be told without the index: ranges, pins, hashes, base.txt inside dev.txt."""
    problems = []
    locked = {}
    for name, _, _ in LOCKS:
        path = REQUIREMENTS / name
        if not path.exists():
            problems.append(f"requirements/{name} is missing")
            continue
        locked[name] = pins(path)
        for req in declared()[name]:
            version = locked[name].get(canonicalize_name(req.name))
            if version is None:
                problems.append(f"requirements/{name}: {req.name} is not pinned")
            elif not req.specifier.contains(version, prereleases=True):
                problems.append(
                    f"requirements/{name}: {req.name}=={version} is outside {req.specifier}"
                )
    if "base.txt" in locked and "dev.txt" in locked:
        for package, version in locked["base.txt"].items():
            if locked["dev.txt"].get(package) != version:
                problems.append(
                    f"requirements/dev.txt: {package} is {locked['dev.txt'].get(package)}, "
                    f"requirements/base.txt pins {version}"
                )
    return problems


def compile_locks(extra_args: list[str]) -> int:
    REQUIREMENTS.mkdir(exist_ok=True)
    try:
        written = write_locks(ROOT, extra_args)
    except IndexUnreachable as error:
        print(
            f"make lock: cannot reach the package index ({error}); the lock files were not changed"
        )
        return 2
    for path in written.values():
        print(f"make lock: {path.relative_to(ROOT)}: {len(pins(path))} packages pinned with hashes")
    return 0


def check_locks() -> int:
    problems = offline_problems()
    if problems:
        print("make lock-check: the lock files disagree with pyproject.toml:")
        for problem in problems:
            print(f"  {problem}")
        print("Run `make lock` and commit requirements/.")
        return 1
    with tempfile.TemporaryDirectory(prefix="lock-check-") as tmp:
        target = Path(tmp)
        shutil.copy(PYPROJECT, target / "pyproject.toml")
        (target / "requirements").mkdir()
        for name, _, _ in LOCKS:
            shutil.copy(REQUIREMENTS / name, target / "requirements" / name)
        try:
            fresh = write_locks(target, [])
        except IndexUnreachable as error:
            print(
                f"make lock-check: cannot reach the package index ({error}); checked only that "
                "pyproject.toml's ranges match the pins, not that they still resolve"
            )
            return 0
        differences = []
        for name, path in fresh.items():
            old, new = pins(REQUIREMENTS / name), pins(path)
            for package in sorted(old.keys() | new.keys()):
                if old.get(package) != new.get(package):
                    was = old.get(package, "absent")
                    now = new.get(package, "absent")
                    differences.append(f"requirements/{name}: {package} {was} -> {now}")
    if differences:
        print("make lock-check: resolving pyproject.toml again changes the lock files:")
        for difference in differences:
            print(f"  {difference}")
        print("Run `make lock` and commit requirements/.")
        return 1
    print("make lock-check: requirements/base.txt and requirements/dev.txt match pyproject.toml")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"compile", "check"}:
        print(__doc__)
        return 64
    if argv[0] == "compile":
        return compile_locks(argv[1:])
    return check_locks()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
