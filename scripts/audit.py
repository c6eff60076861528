"""`make audit`: pip-audit against the locked versions, with a plain answer.

    python scripts/audit.py [-r requirements/dev.txt] [--service pypi|osv] [--osv-url URL]
                            [--timeout SECONDS] [--cache-dir DIR] [-- PIP_AUDIT_ARGS...]

pip-audit reads the pins of the lock file as they are (--require-hashes --disable-pip):
no environment is created and nothing is resolved again, so exactly the locked versions
are checked. Exit status:

  0  every locked package was checked and none has a known vulnerability
  1  known vulnerabilities: the listing says which package, advisory and fixed versions
  2  the vulnerability database could not be reached, or answered for only some of the
     packages: whatever was not checked is named, and nothing is called clean
  3  pip-audit failed for another reason (its own message is shown)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "make audit:"

# How requests/urllib3 and pip-audit word a service they cannot reach.
UNREACHABLE = [
    (
        re.compile(r"NameResolutionError|Name or service not known|Failed to resolve"),
        "DNS lookup failed",
    ),
    (re.compile(r"ProxyError|Unable to connect to proxy"), "the proxy refused the connection"),
    (re.compile(r"Connection refused|NewConnectionError"), "connection refused"),
    (re.compile(r"ConnectTimeout|ReadTimeout|timed out|Could not connect to"), "timed out"),
    (re.compile(r"SSLError|CERTIFICATE_VERIFY_FAILED"), "TLS verification failed"),
    (re.compile(r"Network is unreachable"), "network is unreachable"),
    (re.compile(r"ConnectionError|Max retries exceeded|RemoteDisconnected"), "connection failed"),
]
HOST = re.compile(r"host='([^']+)'(?:, port=(\d+))?")


def unreachable_reason(stderr: str) -> str | None:
    for pattern, reason in UNREACHABLE:
        if pattern.search(stderr):
            host = HOST.search(stderr)
            if host:
                where = host.group(1) + (f":{host.group(2)}" if host.group(2) else "")
                return f"{where}: {reason}"
            return reason
    return None


def service_name(service: str) -> str:
    return {"pypi": "PyPI's advisory data", "osv": "the OSV database"}.get(service, service)


def summarize(report: dict, source: str, service: str) -> tuple[int, list[str]]:
    """Exit status and the lines to print, from pip-audit's JSON report."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d]
    checked = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in checked if d.get("vulns")]
    lines: list[str] = []

    if vulnerable:
        rows = [("Name", "Version", "ID", "Fix Versions")]
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                ids = ", ".join([vuln["id"], *vuln.get("aliases", [])])
                rows.append(
                    (dep["name"], dep["version"], ids, ", ".join(vuln.get("fix_versions", [])))
                )
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        rows.insert(1, tuple("-" * w for w in widths))
        lines += [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
        count = sum(len(d["vulns"]) for d in vulnerable)
        lines.append(
            f"{PREFIX} {count} known {'vulnerability' if count == 1 else 'vulnerabilities'} "
            f"in {len(vulnerable)} of {len(checked)} "
            f"checked packages ({source}, {service_name(service)})"
        )
        if skipped:
            lines.append(
                f"{PREFIX} {len(skipped)} packages could not be checked: "
                + ", ".join(d["name"] for d in skipped)
            )
        return 1, lines

    if not checked:
        reasons = {d["skip_reason"].split(":")[0] for d in skipped}
        why = "; ".join(sorted(reasons)) if reasons else "no packages in the report"
        if skipped and all(r.startswith("Dependency not found on PyPI") for r in reasons):
            why = (
                f"it answered 'not found' for all {len(skipped)} locked packages, "
                "so its per-release JSON API is not reachable from here"
            )
        lines.append(
            f"{PREFIX} cannot reach the vulnerability database ({service_name(service)}: {why}); "
            "nothing was checked"
        )
        return 2, lines

    if skipped:
        for dep in skipped:
            lines.append(f"  {dep['name']}: {dep['skip_reason']}")
        lines.append(
            f"{PREFIX} {len(skipped)} of {len(dependencies)} locked packages could not be checked "
            f"({service_name(service)}); the other {len(checked)} have no known vulnerabilities"
        )
        return 2, lines

    lines.append(
        f"{PREFIX} no known vulnerabilities; {len(checked)} locked packages checked "
        f"({source}, {service_name(service)})"
    )
    return 0, lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "-r", "--requirement", default="requirements/dev.txt", help="lock file to audit"
    )
    parser.add_argument(
        "--service", default=os.environ.get("AUDIT_SERVICE", "pypi"), choices=["pypi", "osv"]
    )
    parser.add_argument("--osv-url", default=None, help="OSV query URL (with --service osv)")
    parser.add_argument("--timeout", type=int, default=15, help="seconds per request")
    parser.add_argument("--cache-dir", default=None, help="HTTP cache folder for pip-audit")
    parser.add_argument("extra", nargs="*", help="further pip-audit arguments, after --")
    args = parser.parse_args(argv)

    requirement = Path(args.requirement)
    if not requirement.is_absolute():
        requirement = ROOT / requirement
    try:
        source = str(requirement.relative_to(ROOT))
    except ValueError:
        source = str(requirement)
    if not requirement.exists():
        print(f"{PREFIX} {source} does not exist; run `make lock`")
        return 3

    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        report_path = Path(tmp) / "report.json"
        cmd = [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            str(requirement),
            "--require-hashes",
            "--disable-pip",
            "--vulnerability-service",
            args.service,
            "--format",
            "json",
            "--output",
            str(report_path),
            "--progress-spinner",
            "off",
            "--timeout",
            str(args.timeout),
        ]
        if args.osv_url:
            cmd += ["--osv-url", args.osv_url]
        if args.cache_dir:
            cmd += ["--cache-dir", args.cache_dir]
        cmd += args.extra
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        report = None
        if report_path.exists():
            try:
                report = json.loads(report_path.read_text())
            except json.JSONDecodeError:
                report = None

    if report is None or result.returncode not in (0, 1):
        reason = unreachable_reason(result.stderr)
        if reason:
            print(
                f"{PREFIX} cannot reach the vulnerability database ({reason}); nothing was checked"
            )
            return 2
        sys.stderr.write(result.stderr)
        print(f"{PREFIX} pip-audit failed (exit {result.returncode}); nothing was checked")
        return 3

    status, lines = summarize(report, source, args.service)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
