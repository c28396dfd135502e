"""Settings for the benchmark servers (tests/benchmark/server.py): the portal's own, plus two URLs of the benchmarks'.

Never used by the portal itself; gunicorn gets DJANGO_SETTINGS_MODULE=bench_settings only here.
"""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
