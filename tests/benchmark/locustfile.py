"""Load profile: committee members browsing the dashboards, caseworkers registering sign-ups.

Run by bench_load.py, which starts gunicorn and creates the users and a coming fair.
"""

import json
import os
import re
import uuid
from urllib.parse import urlsplit

from locust import FastHttpUser, between, task
from requests.cookies import create_cookie

SESSIONS = json.loads(os.environ["BENCH_SESSIONS"])  # logged-in sessions made by bench_load.py
FAIR = os.environ["BENCH_FAIR"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def get(client, path, name):
    """Anything but the page itself (a redirect to the login form, say) is a failure, not a fast page."""
    with client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
        return response


class Portal(FastHttpUser):  # geventhttpclient: the load client takes less of the server's two cores
    abstract = True
    wait_time = between(1, 3)
    role = ""
    count = 0

    def on_start(self):
        type(self).count += 1
        session = SESSIONS[self.role][type(self).count % len(SESSIONS[self.role])]
        self.client.cookiejar.set_cookie(create_cookie("sessionid", session, domain=urlsplit(self.host).hostname))


class CommitteeMember(Portal):
    weight = 50
    role = "member"

    @task(4)
    def overview(self):
        get(self.client, "/maal/", "dashboard: goal overview")

    @task(3)
    def goal(self):
        get(self.client, "/maal/2024/6.10/", "dashboard: goal page")

    @task(1)
    def report(self):
        get(self.client, "/maal/rapport/?halvaar=2025H2", "dashboard: half-year report")

    @task(1)
    def investments(self):
        get(self.client, "/investeringer/", "dashboard: investments")

    @task(1)
    def fairs(self):
        get(self.client, "/arrangementer/", "dashboard: fairs")


class Caseworker(Portal):
    weight = 10
    role = "caseworker"

    @task
    def register(self):
        page = get(self.client, f"/arrangementer/messe/{FAIR}/tilmeldinger/", "sign-up page")
        token = CSRF.search(page.text)
        if token is None:
            return
        with self.client.post(
            f"/arrangementer/messe/{FAIR}/tilmeldinger/",
            {
                "csrfmiddlewaretoken": token.group(1),
                "name": "Belastningstest",
                "benefit_group": "anden",
                "fairs": FAIR,
                "submission_key": uuid.uuid4().hex,
            },
            name="sign-up",
            catch_response=True,
        ) as response:
            if "er tilmeldt messen" not in response.text and "sat på venteliste" not in response.text:
                response.failure("the sign-up was not confirmed")
