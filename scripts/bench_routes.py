"""Runs `scripts/bench-routes`: every page and API GET route of a served
generated place, as each role, timed once right after a write (so nothing
kept can answer) and once again; prints a markdown table of the slowest and
the spread over all.

Usage (from scripts/bench-routes): python bench_routes.py --base URL
--db SQLITE_FILE --place SLUG --invites FILE --routes FILE [--top 25]
[--timeout 60]. The invites file holds "role email /invite/token" lines;
the routes file the page routes' patterns, one a line. Path parameters are
filled with real records of the place read from the SQLite file (public
ones where the table has an audience, so anonymous callers see a page
too); the API's routes come from its OpenAPI document. Standard library
only; loopback only."""

import argparse
import datetime
import http.client
import json
import re
import secrets
import sqlite3
import statistics
import sys
import time
import urllib.parse

# A path segment before a parameter, and the table its records are in.
TABLES = {
    "places": "place",
    "organisations": "organisation",
    "partners": "organisation",
    "missions": "mission",
    "themes": "outcome_theme",
    "signals": "outcome_signal",
    "measures": "measure",
    "offer": "role",
    "roles": "role",
    "initiatives": "initiative",
    "commitments": "commitment",
    "relationships": "relationship",
    "contributions": "contribution",
    "interactions": "interaction",
    "follow-ups": "follow_up",
    "asks": "ask",
    "asked": "ask_made",
    "enquiries": "enquiry",
    "experiments": "experiment",
    "stories": "story",
    "users": "account",
}
ROLES = ["anonymous", "partner", "staff", "admin"]


class Server:
    """One HTTP/1.1 request per connection to the server under test."""

    def __init__(self, base, timeout):
        url = urllib.parse.urlsplit(base)
        self.base = base
        self.host = url.hostname
        self.port = url.port
        self.timeout = timeout

    def request(self, method, path, cookie=None, body=None, form=None):
        headers = {"Origin": self.base, "Accept": "*/*"}
        if cookie:
            headers["Cookie"] = cookie
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            reply = conn.getresponse()
            data = reply.read()
            elapsed = (time.perf_counter() - started) * 1000
            return reply.status, reply.getheaders(), data, elapsed
        except (OSError, http.client.HTTPException) as err:
            # A request that did not finish within the timeout counts as
            # the timeout, with status 0.
            return 0, [], str(err).encode(), (time.perf_counter() - started) * 1000
        finally:
            conn.close()


def sign_in(server, email, invite, password):
    """Sets the account's password through its invitation, signs in, and
    returns the session cookie."""
    server.request("POST", invite, form={"password": password, "confirm": password})
    status, headers, _, _ = server.request(
        "POST", "/sign-in", form={"email": email, "password": password}
    )
    for name, value in headers:
        if name.lower() == "set-cookie" and "=" in value:
            cookie = value.split(";", 1)[0]
            if cookie.split("=", 1)[1]:
                return cookie
    sys.exit(f"signing in as {email} failed (HTTP {status})")


def records(db, place):
    """A real record of each table, by the value its addresses use."""
    tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    place_id = db.execute("SELECT id FROM place WHERE slug = ?", (place,)).fetchone()[0]
    chosen = {"place": place}
    for table in set(TABLES.values()) - {"place"}:
        if table not in tables:
            continue
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        key = "slug" if "slug" in columns else "id"
        where, args = [], []
        if "place_id" in columns:
            where.append("place_id = ?")
            args.append(place_id)
        if "audience" in columns:
            where.append("audience = 'public'")
        if table == "story":
            where.append("status = 'published'")
        sql = f"SELECT {key} FROM {table}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        row = db.execute(sql + " ORDER BY id LIMIT 1", args).fetchone()
        if row is None:
            row = db.execute(f"SELECT {key} FROM {table} ORDER BY id LIMIT 1").fetchone()
        if row is not None:
            chosen[table] = str(row[0])
    # The organisation with the most relationships and interactions of the
    # place (a busy partner is the slow case), its relationship, and an ask
    # someone was asked about.
    busy = db.execute(
        "SELECT o.slug, r.id FROM organisation o JOIN relationship r ON r.organisation_id = o.id "
        "WHERE o.place_id = ? AND o.audience = 'public' "
        "ORDER BY (SELECT COUNT(*) FROM interaction i WHERE i.organisation_id = o.id) DESC, o.id LIMIT 1",
        (place_id,),
    ).fetchone()
    if busy:
        chosen["organisation"], chosen["relationship"] = busy[0], str(busy[1])
    if "ask_made" in tables:
        made = db.execute(
            "SELECT a.slug, m.id FROM ask_made m JOIN ask a ON a.id = m.ask_id "
            "WHERE a.place_id = ? ORDER BY m.id LIMIT 1",
            (place_id,),
        ).fetchone()
        if made:
            chosen["ask"], chosen["ask_made"] = made[0], str(made[1])
    if "follow_up" in tables:
        follow = db.execute(
            "SELECT interaction_id, id FROM follow_up ORDER BY id LIMIT 1"
        ).fetchone()
        if follow:
            chosen["follow_up_interaction"] = str(follow[0])
            chosen["follow_up"] = str(follow[1])
    return chosen


def fill(pattern, chosen):
    """The pattern with each `{parameter}` replaced by a real record's key;
    None when the place has no such record."""
    segments = pattern.split("/")
    out = []
    for i, segment in enumerate(segments):
        match = re.fullmatch(r"\{(\w+)\}", segment)
        if not match:
            out.append(segment)
            continue
        name = match.group(1)
        before = segments[i - 1] if i else ""
        if name == "file":
            value = "values.csv"
        elif name == "page":
            value = "accessibility"
        elif name == "token":
            value = "0" * 64
        elif name == "interaction" and "follow-ups" in segments:
            value = chosen.get("follow_up_interaction")
        else:
            value = chosen.get(TABLES.get(before, name))
        if value is None:
            return None
        out.append(urllib.parse.quote(value, safe=""))
    return "/".join(out)


def api_routes(server, cookie):
    status, _, body, _ = server.request("GET", "/api/v1/openapi.json", cookie)
    if status != 200:
        sys.exit(f"/api/v1/openapi.json answered {status}")
    document = json.loads(body)
    return sorted(path for path, item in document["paths"].items() if "get" in item)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--place", required=True)
    parser.add_argument("--invites", required=True)
    parser.add_argument("--routes", required=True)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--all", help="also write every timing to this file, tab-separated")
    args = parser.parse_args()

    server = Server(args.base, args.timeout)
    db = sqlite3.connect(args.db)
    chosen = records(db, args.place)
    writer_org = chosen["organisation"]
    db.close()

    cookies = {"anonymous": None}
    password = secrets.token_urlsafe(18)
    with open(args.invites) as invites:
        for line in invites:
            role, email, invite = line.split()
            cookies[role] = sign_in(server, email, invite, password)

    with open(args.routes) as routes:
        pages = [line.strip() for line in routes if line.strip()]
    paths = []
    skipped = []
    for pattern in pages + api_routes(server, cookies["admin"]):
        path = fill(pattern.replace("{place}", args.place), chosen)
        if path is None:
            skipped.append(pattern)
        else:
            paths.append((pattern, path))

    today = datetime.date.today().isoformat()
    writes = {"n": 0, "failed": 0}

    def write():
        # One small write the place's caches must see: an interaction with
        # the busy partner, made by staff, so the data version moves.
        writes["n"] += 1
        status, _, body, _ = server.request(
            "POST",
            f"/api/v1/places/{args.place}/interactions",
            cookies["staff"],
            body={"organisation": writer_org, "kind": "meeting", "date": today,
                  "summary": f"bench write {writes['n']}"},
        )
        if status >= 300:
            writes["failed"] += 1
            if writes["failed"] == 1:
                print(f"a write answered {status}: {body[:300]!r}", file=sys.stderr)

    results = []
    roles = [r for r in args.roles.split(",") if r in cookies]
    started = time.perf_counter()
    for role in roles:
        for pattern, path in paths:
            write()
            status, _, _, after_write = server.request("GET", path, cookies[role])
            again_status, _, _, again = server.request("GET", path, cookies[role])
            results.append((pattern, path, role, status, after_write, again, again_status))
    took = time.perf_counter() - started

    if args.all:
        with open(args.all, "w") as out:
            out.write("route\tpath\trole\tstatus\tms after write\tms again\n")
            for pattern, path, role, status, after_write, again, _ in results:
                out.write(f"{pattern}\t{path}\t{role}\t{status}\t{after_write:.1f}\t{again:.1f}\n")
    print(f"{len(paths)} routes ({len(pages)} page patterns, the rest API) as "
          f"{', '.join(roles)}: {len(results)} route-role pairs, "
          f"{writes['n']} writes ({writes['failed']} refused), {took:.0f} s.")
    if skipped:
        print(f"No record to fill: {', '.join(skipped)}.")
    statuses = {}
    for r in results:
        statuses[r[3]] = statuses.get(r[3], 0) + 1
    print("Answers after a write: " + ", ".join(
        f"{n} × {s or 'timeout'}" for s, n in sorted(statuses.items())) + ".")
    print()
    worst = sorted(results, key=lambda r: max(r[4], r[5]), reverse=True)[: args.top]
    print("| route | role | status | ms after write | ms again |")
    print("| --- | --- | --- | --- | --- |")
    for pattern, path, role, status, after_write, again, _ in worst:
        print(f"| `{pattern}` | {role} | {status} | {after_write:.0f} | {again:.0f} |")
    print()
    for label, column in (("after a write", 4), ("again", 5)):
        values = [r[column] for r in results]
        print(f"- {label}: p50 {percentile(values, 0.5):.0f} ms, "
              f"p95 {percentile(values, 0.95):.0f} ms, max {max(values):.0f} ms; "
              f"{sum(v > 200 for v in values)} over 200 ms, "
              f"{sum(v > 1000 for v in values)} over 1 s "
              f"(of {len(values)}; mean {statistics.mean(values):.0f} ms)")
    errors = [r for r in results if r[3] >= 500 or r[3] == 0]
    if errors:
        print()
        print("Failed (5xx or no answer): " + ", ".join(
            f"`{r[1]}` as {r[2]} ({r[3] or 'timeout'})" for r in errors))


if __name__ == "__main__":
    main()
