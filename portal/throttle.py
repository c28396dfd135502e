"""Login throttling: django-axes' limit per username and address, and a higher one per address.

django-axes compares every lockout parameter with one failure limit, so the per-address limit is
added here: once an address has LOGIN_ADDRESS_FAILURE_LIMIT failures within the cool-off time, across
all usernames, its logins are refused as if the username's own limit were reached. One address then
gets a bounded number of guesses however many usernames it tries.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if from_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
