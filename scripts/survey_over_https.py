#!/usr/bin/env python3
"""One IIT survey answered the way a browser does it, over HTTPS (the deployment test).

Usage: survey_over_https.py BASE_URL CA_FILE ADMIN_TOKEN [--round ID]
Without --round it first creates an agency and a round (FY2564 edition) through the API and
prints the round's JSON. The form is read, every question answered with its first option, and
sent back with the form's hidden fields and the CSRF cookie; the reply must redirect (303) to the
thank-you page.
"""
import html.parser
import http.cookiejar
import json
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

base, ca, token = sys.argv[1:4]
round_id = sys.argv[sys.argv.index("--round") + 1] if "--round" in sys.argv else None
context = ssl.create_default_context(cafile=ca)
jar = http.cookiejar.CookieJar()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                     urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def api(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    try:
        with opener.open(req) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        sys.exit(f"survey_over_https: {method} {path}: {e.code} {e.read().decode(errors='replace')}")


class Form(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.action, self.fields, self.radios = None, {}, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post" and "/s/" in a.get("action", ""):
            self.action = a["action"]
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")
        if tag == "input" and a.get("type") == "radio":
            self.radios.setdefault(a["name"], a["value"])


if round_id is None:
    agency = api("POST", "/api/v1/agencies", {"name": "เทศบาลตำบลทดสอบการติดตั้ง",
                                              "district": "เมือง", "province": "น่าน",
                                              "type": "เทศบาลตำบล"})
    rnd = api("POST", "/api/v1/rounds", {"agency_id": agency["id"], "edition": "2564",
                                         "staff_count": 30, "service_users": 400})
else:
    rnd = api("GET", "/api/v1/rounds/" + round_id)
link = urllib.parse.urlparse(rnd["links"]["iit"])
with opener.open(base + link.path) as r:
    page = r.read().decode()
form = Form()
form.feed(page)
if not form.action or not form.radios:
    sys.exit("survey_over_https: no survey form at " + link.path)
body = urllib.parse.urlencode({**form.fields, **form.radios}).encode()
req = urllib.request.Request(base + form.action, data=body, method="POST",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
try:
    opener.open(req)
    sys.exit("survey_over_https: the answers were not redirected to the thank-you page")
except urllib.error.HTTPError as e:
    if e.code != 303 or "/thanks" not in e.headers.get("Location", ""):
        sys.exit(f"survey_over_https: {e.code} {e.read().decode(errors='replace')[:500]}")
print(json.dumps(rnd, ensure_ascii=False))
