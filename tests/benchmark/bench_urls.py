"""The portal's URLs plus the benchmarks' own: a trivial view (the floor for throughput) and the server's token.

/bench/trivial/ goes through every middleware, as a page does, and renders nothing. /bench/token/
answers the BENCH_SERVER_TOKEN this server was started with, so a script knows it measures its own
server and not whatever else listens on the port.
"""

import os

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


@login_not_required
def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


@login_not_required
def token(request):
    return HttpResponse(os.environ.get("BENCH_SERVER_TOKEN", "").encode(), content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), path("bench/token/", token), *portal_urlpatterns]
