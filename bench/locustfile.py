"""Locust scenario (issue 7 §5): counter clerks of 20 municipalities searching, viewing,
registering move-ins and issuing certificates through the HTTP API. Driven by bench/load.py,
which seeds the municipalities, writes the plan (KYODO_LOAD_PLAN: accounts, residents to view,
kana to search) and starts the server. Each clerk sends requests at random moments (Poisson
arrivals) at KYODO_LOAD_RATE / KYODO_LOAD_USERS per second, so the total rate is KYODO_LOAD_RATE
whatever the response times, as long as the server keeps up. The statistics restart when the
last clerk has logged in (password hashing is deliberately slow, and is not what is measured).
Locust's FastHttpUser (geventhttpclient) is the client: it shares the server's two cores, and
costs a fraction of the CPU of the requests-based HttpUser."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlencode

from locust import task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["KYODO_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
USERS = int(os.environ.get("KYODO_LOAD_USERS", "60"))
RATE = float(os.environ.get("KYODO_LOAD_RATE", "55"))
PASSWORD = PLAN["password"]
_turn = itertools.count()
_logged_in = itertools.count(1)
_serial = itertools.count(random.randrange(10**6))
DIGITS = "〇一二三四五六七八九"
KANA = "アイウエオカキクケコ"


def _move_in(n: int) -> dict[str, object]:
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date()
    born = dt.date(1970, 1, 1) + dt.timedelta(days=n % 9000)

    def person(role: str, sex: str, given: str, kana: str, birth: dt.date) -> dict[str, str]:
        return {
            "family_name": "負荷",
            "given_name": given + "".join(DIGITS[int(d)] for d in str(n)),
            "family_kana": "フカ",
            "given_kana": kana + "".join(KANA[int(d)] for d in str(n)),
            "birth_date": birth.isoformat(),
            "sex": sex,
            "relationship": role,
        }

    return {
        "moved_on": (today - dt.timedelta(days=2)).isoformat(),
        "notified_on": today.isoformat(),
        "address": {
            "town": "本町",
            "banchi": f"{n % 999 + 1}番{n % 30 + 1}号",
            "katagaki": "",
            "postal_code": "939-0000",
        },
        "previous_address": "東京都千代田区千代田1番1号",
        "members": [
            person("世帯主", "M", "太郎", "タロウ", born),
            person("妻", "F", "花子", "ハナコ", born + dt.timedelta(days=700)),
        ],
    }


class Clerk(FastHttpUser):
    def wait_time(self) -> float:
        """Poisson arrivals at RATE / USERS per clerk, on a schedule of their own.

        Clerks working independently send requests at random moments. Locust's
        ``constant_throughput`` keeps each clerk on a fixed period measured from its last
        request, so clerks held up together (behind the logins of the warm-up, say) stay in
        step and arrive in bursts for the rest of the run. Each clerk here draws its next
        arrival from an exponential gap on its own clock; one that fell behind catches up
        without waiting, so the rate asked is the rate sent while the server keeps up.
        """
        self.next_at += random.expovariate(RATE / USERS)
        return max(0.0, self.next_at - time.monotonic())

    def on_start(self) -> None:
        self.muni = PLAN["tenants"][next(_turn) % len(PLAN["tenants"])]
        page = self.client.get("/login/", name="login").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {
            "csrfmiddlewaretoken": token,
            "username": self.muni["username"],
            "password": PASSWORD,
            "otp_token": "",
            "next": "",
        }
        answer = self.client.post(
            "/login/",
            data=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            name="login",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{self.muni['username']} could not log in: {answer.status_code}")
        cookies = {c.name: c.value for c in self.client.cookiejar}
        self.headers = {"X-CSRFToken": cookies.get("csrftoken", ""), "Referer": self.host + "/"}
        if next(_logged_in) == USERS:  # the warm-up is over: measure from here
            self.environment.stats.reset_all()
        self.next_at = time.monotonic()

    @task(5)
    def search(self) -> None:
        self.client.get(
            "/api/v1/persons", params={"q": random.choice(self.muni["queries"])}, name="search"
        )

    @task(3)
    def view(self) -> None:
        self.client.get(f"/api/v1/persons/{random.choice(self.muni['view'])}", name="view")

    @task(1)
    def move_in(self) -> None:
        self.client.post(
            "/api/v1/idou/move-in",
            json=_move_in(next(_serial)),
            headers=self.headers,
            name="move-in",
        )

    @task(1)
    def certificate(self) -> None:
        self.client.post(
            "/api/v1/certificates",
            json={
                "atena_no": random.choice(self.muni["view"]),
                "kind": "juminhyo",
                "household": True,
                "requester": "本人",
                "purpose": "負荷試験",
            },
            headers=self.headers,
            name="certificate",
        )
