"""Drive the running demo over HTTP: probes, login page, a clerk's login and search."""

from __future__ import annotations

import http.cookiejar
import re
import sys
import time
import urllib.parse
import urllib.request

base = sys.argv[1]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(path: str) -> tuple[int, str]:
    with opener.open(base + path, timeout=10) as response:
        return response.status, response.read().decode()


for _ in range(100):  # wait for the server to come up (at most ~20 s)
    try:
        get("/healthz")
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("server did not start")

assert get("/healthz")[0] == 200
status, body = get("/readyz")
assert status == 200 and '"sqlite"' in body, body
status, page = get("/login/")
assert status == 200 and "ログイン" in page
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
form = urllib.parse.urlencode(
    {"csrfmiddlewaretoken": token, "username": "imizu.clerk", "password": "kyodo-demo-2026"}
).encode()
request = urllib.request.Request(base + "/login/", data=form, headers={"Referer": base})
with opener.open(request, timeout=10) as response:
    home = response.read().decode()
assert "業務メニュー" in home and "射水市" in home, home[:500]
status, results = get("/atena/persons/?q=" + urllib.parse.quote("サ"))
assert status == 200 and "件" in results
print("smoke: probes, login and search OK")
