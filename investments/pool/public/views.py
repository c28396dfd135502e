"""The public application form (no login). Each POST is counted per client address before its body is read."""

import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from investments.pool.public import service
from investments.pool.public.forms import MAX_TOTAL_BYTES, ApplicationForm
from portal import ratelimit

# Every POST from one address, valid or not, and the applications stored from it, per window.
POSTS_PER_WINDOW = 30
SUBMISSIONS_PER_WINDOW = 5
WINDOW_SECONDS = 60 * 60
_RECEIPT_SALT = "investments.pool.public.receipt"


@login_not_required
@never_cache
@csrf_exempt  # checked in _form below, after the limits: the middleware would read the whole body first
@require_http_methods(["GET", "POST"])
def apply(request):
    if request.method == "POST":
        key = ratelimit.client_key(request)
        if not ratelimit.take("pool-post", key, POSTS_PER_WINDOW, WINDOW_SECONDS) or not ratelimit.take(
            "pool-submission", key, SUBMISSIONS_PER_WINDOW, WINDOW_SECONDS
        ):
            response = render(request, "investments/pool/public/too_many.html", status=429)
            response["Retry-After"] = str(WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS)
            return response
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_TOTAL_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            ratelimit.give_back("pool-submission", key, WINDOW_SECONDS)
            return render(request, "investments/pool/public/too_large.html", status=413)
        return _form(request, key)
    return _form(request, None)


@csrf_protect
def _form(request, key):
    window = service.current_window(timezone.localdate())
    if not window.is_open(timezone.localdate()):
        if key:
            ratelimit.give_back("pool-submission", key, WINDOW_SECONDS)
        return render(request, "investments/pool/public/closed.html", {"window": window, "sent": key is not None})
    form = ApplicationForm(request.POST or None, request.FILES or None, pool_round=window.round)
    if key and form.is_valid():
        application = service.submit(window.round, form.application_data(), form.cleaned_data["attachments"])
        mailed = service.send_receipt(application, request.LANGUAGE_CODE)
        token = signing.dumps({"r": service.reference(application), "m": mailed}, salt=_RECEIPT_SALT)
        return redirect("pool_public:receipt", token=token)
    if key:
        ratelimit.give_back("pool-submission", key, WINDOW_SECONDS)  # a form with errors stores nothing
    context = {"form": form, "round": window.round, "personal_data_months": settings.POOL_PERSONAL_DATA_MONTHS}
    return render(request, "investments/pool/public/apply.html", context)


@login_not_required
@never_cache
def receipt(request, token):
    """The applicant's own reference, from the signed token of the redirect: no application is looked up."""
    try:
        found = signing.loads(token, salt=_RECEIPT_SALT, max_age=24 * 60 * 60)
    except signing.BadSignature:
        raise Http404 from None
    return render(request, "investments/pool/public/receipt.html", {"reference": found["r"], "mailed": found["m"]})
