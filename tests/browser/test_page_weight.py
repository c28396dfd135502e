"""The first load of a goal page, as production serves it: bytes over the wire and time to a drawn chart.

pytest-django's live server serves static files itself, uncompressed and from the source folders.
Here a second live server serves them as production does: collectstatic with whitenoise's
CompressedManifestStaticFilesStorage (hashed names, gzip and brotli files), whitenoise in front.
A browser with an empty cache (logged in by cookie) opens goal 1.1 on the warm server; the
Performance API gives every response's transferred bytes and the moment charts.js marks the
chart as drawn. Targets (issue 12): at most 1.5 MB and 300 ms.

The bytes are asserted as they are; the chart must be drawn. The time depends on the machine and
on what else runs on it, so it is printed, not asserted (speed is a benchmark's, not a test's): on
the 2-CPU development VM an empty cache takes 500-800 ms (plotly.js takes ~300 ms to evaluate there,
its first chart 100-300 ms), a warm browser cache ~130 ms. A return of the full bundle fails on the
bytes.
"""

import re
import statistics

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread

from tests.browser.conftest import Visit
from tests.browser.test_widths import _figures

pytestmark = pytest.mark.django_db(transaction=True)
MAX_BYTES = 1_500_000
TARGET_MS_TO_CHART = 300
LOADS = 5
MEASURE = """() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const drawn = performance.getEntriesByName('chart-drawn')[0];
  return {
    transferred: navigation.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    decoded: navigation.decodedBodySize + resources.reduce((sum, r) => sum + r.decodedBodySize, 0),
    files: [navigation, ...resources].map(r => [r.name.replace(location.origin, ''), r.transferSize, r.decodedBodySize]),
    responseEnd: navigation.responseEnd,
    steps: Object.fromEntries([...resources.map(r => [r.name.split('/').pop(), Math.round(r.responseEnd)]),
      ['html-start', Math.round(navigation.responseStart)], ['html-end', Math.round(navigation.responseEnd)],
      ['dom-interactive', Math.round(navigation.domInteractive)], ['dcl', Math.round(navigation.domContentLoadedEventEnd)],
      ...performance.getEntriesByType('mark').map(m => [m.name, Math.round(m.startTime)])]),
    chart: drawn ? drawn.startTime : null,
  };
}"""


@pytest.fixture
def production_static(settings, tmp_path):
    """Static files as the production image has them (collectstatic, compressed, hashed names)."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


@pytest.fixture
def production_server(production_static):
    """A live server without Django's static handler, so whitenoise (middleware) serves /static/."""
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread = LiveServerThread("127.0.0.1", static_handler=lambda handler: handler, connections_override=shared, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    for connection in shared.values():
        connection.dec_thread_sharing()


def test_first_load_of_a_goal_page_is_small_and_draws_its_chart(reference_data, member, browser, production_server):
    _figures()
    login = browser.new_context(locale="da-DK", viewport={"width": 1366, "height": 900})
    visit = Visit(login.new_page(), production_server)
    visit.login(member.username)
    visit.goto("/maal/2024/1.1/")  # warms the server: templates, queries, the static files' first read
    cookies = login.storage_state()
    login.close()

    loads, cached = [], []
    for _ in range(LOADS):
        context = browser.new_context(locale="da-DK", viewport={"width": 1366, "height": 900}, storage_state=cookies)
        page = context.new_page()
        for results in (loads, cached):  # an empty cache, then the same page again from the browser's cache
            page.goto(production_server + "/maal/2024/1.1/")
            page.wait_for_function("performance.getEntriesByName('chart-drawn').length > 0", timeout=10_000)
            results.append(page.evaluate(MEASURE))
        context.close()

    first = loads[0]
    for name, transferred, decoded in first["files"]:
        print(f"  {name}: {transferred / 1000:.1f} kB over the wire, {decoded / 1000:.1f} kB unpacked")
    times = [load["chart"] for load in loads]
    median_chart = statistics.median(times)
    print(
        f"first load of /maal/2024/1.1/: {first['transferred'] / 1000:.0f} kB transferred "
        f"({first['decoded'] / 1000:.0f} kB unpacked), chart drawn after {median_chart:.0f} ms "
        f"(median of {LOADS} loads with an empty cache: {', '.join(f'{t:.0f}' for t in times)} ms; "
        f"plotly.js evaluated after {statistics.median(load['steps']['plotly-loaded'] for load in loads):.0f} ms; "
        f"target {TARGET_MS_TO_CHART} ms)"
    )
    print(
        f"again from the browser's cache: {statistics.median(c['transferred'] for c in cached) / 1000:.0f} kB transferred, "
        f"chart drawn after {statistics.median(c['chart'] for c in cached):.0f} ms (median)"
    )
    plotly = next(f for f in first["files"] if "plotly-basic" in f[0])
    assert plotly[1] < plotly[2] / 2, "plotly.js is not served compressed"
    assert re.search(r"plotly-basic\.min\.[0-9a-f]{12}\.js$", plotly[0]), "plotly.js has no hashed (cacheable) name"
    assert first["transferred"] <= MAX_BYTES
