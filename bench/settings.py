"""Production settings plus the bare view the page benchmark compares pages with.

Only ``bench/page_bench.py`` uses this, with the repository on PYTHONPATH; the
production URL conf stays as it is.
"""

import os

from portal.settings.production import *  # noqa: F403
from portal.settings.production import STATIC_ROOT

ROOT_URLCONF = "bench.urls"
# Static files collected into the benchmark's own folder, not the checkout's.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT") or STATIC_ROOT
