"""The Jobindsats API, version 3: the one module that knows its URL layout, header, parameters and shapes.

What is known comes from public client code that calls the API, not from STAR's own guide
(../shared/formats/README.md); a correction should touch this module only. Inferred:

    base URL         https://api.jobindsats.dk/v3 (JOBINDSATS_API_URL)
    authentication   header "Authorization: Bearer <key>"
    every call       format=json (or format=csv)
    GET /tables      [{"subject_name", "table_groups": [{"tables": [{"table_id", "table_name",
                      "update_latest", "update_next", ...}]}]}]
    GET /table/<id>  {"periods": [{"periodtype_id": "M", "values": [{"period_id": "2024M01"}, ...]}, ...],
                      "dimensions": [{"hierarchies": [{"hierarchy_id": "_nykom", ...}]}], ...}
    GET /data/<id>   {"columns": [...], "rows": [[...], ...]}; as CSV (";", decimal comma) it may start with a BOM
    errors           401 for a wrong or expired key (v2 answered 200 with {"Forkert nøgle eller nøglen
                      er udløbet.": ""}), 429 when asked too often, 5xx when the service is down

Table ids are written in lower case in the URL (y30r21), as the public clients do.

The key is read from the environment when a fetch starts and lives only in the Authorization
header: it is never a setting, never stored, and every text this module builds from a response
is scrubbed of it.
"""

import csv
import http.client
import io
import json
import logging
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEFAULT_URL = "https://api.jobindsats.dk/v3"
KEY_VARIABLE = "JOBINDSATS_API_KEY"
KEY_FILE_VARIABLE = "JOBINDSATS_API_KEY_FILE"
MAX_WAIT_SECONDS = 60  # the longest pause between two attempts, whatever Retry-After says

# Query parameters of /data/<id>, inferred from public clients (not from STAR's guide):
#   mgroup.*=*                  every measure group (all measure columns)
#   period.<periodtype_id>=a,b  the periods, comma-separated, of one period type (M, Q, QMAT, Y, ...)
#   hierarchy.<id>=*            every value of a dimension, totals ("… i alt") included, as one client
#                               filters "Stillingsbetegnelse i alt" out of a "*" answer. For the area
#                               hierarchy (_nykom) "*" means every municipality.
MEASURES_PARAMETER = ("mgroup.*", "*")
ALL_VALUES = "*"


def period_parameter(period_type: str) -> str:
    return f"period.{period_type}"


def hierarchy_parameter(hierarchy_id: str) -> str:
    return f"hierarchy.{hierarchy_id}"


# --- failures ---------------------------------------------------------------------------------------


class ApiError(Exception):
    """A fetch failed. `reason` is Danish, for the import record, the page and the e-mail; it never holds the key."""

    stops_run = False  # True when every other table would fail the same way (no key, a refused key)

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NoKey(ApiError):
    stops_run = True


class BadKey(ApiError):
    stops_run = True


class Timeout(ApiError):
    pass


class ServerError(ApiError):
    pass


class RateLimited(ApiError):
    pass


class Unreachable(ApiError):
    pass


class LayoutChanged(ApiError):
    pass


class NotFound(ApiError):
    pass


# --- the key ---------------------------------------------------------------------------------------------


def key_source() -> str:
    """The environment variable that is meant to give the key ("" when neither is set)."""
    if os.environ.get(KEY_VARIABLE, "").strip():
        return KEY_VARIABLE
    if os.environ.get(KEY_FILE_VARIABLE, "").strip():
        return KEY_FILE_VARIABLE
    return ""


def read_key() -> str:
    """The key, from JOBINDSATS_API_KEY or the file JOBINDSATS_API_KEY_FILE names; NoKey when there is none."""
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if key:
        return key
    path = os.environ.get(KEY_FILE_VARIABLE, "").strip()
    if not path:
        raise NoKey(
            _(
                "Der er ingen API-nøgle til Jobindsats, så intet er hentet. Sæt miljøvariablen JOBINDSATS_API_KEY "
                "eller JOBINDSATS_API_KEY_FILE (se README, afsnittet om Jobindsats' API)."
            )
        )
    try:
        with open(path, encoding="utf-8") as handle:
            key = handle.read().strip()
    except (OSError, UnicodeDecodeError):
        key = ""
    if not key:
        raise NoKey(_("Filen med API-nøglen til Jobindsats (JOBINDSATS_API_KEY_FILE) kan ikke læses eller er tom."))
    return key


# --- what the API answers -----------------------------------------------------------------------------


@dataclass
class Listing:
    """One table as /tables describes it."""

    title: str = ""
    next_update: date | None = None
    published_on: date | None = None  # update_latest


@dataclass
class TableInfo:
    """/table/<id>: the periods of each period type (oldest first, as the API lists them) and the dimensions."""

    table: str
    periods: dict[str, list[str]]
    hierarchies: list[str] = field(default_factory=list)
    title: str = ""
    next_update: date | None = None
    published_on: date | None = None  # update_latest


@dataclass
class Data:
    columns: list[str]
    rows: list[list]


def _walk(value):
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _date(value) -> date | None:
    if not value:
        return None
    text = str(value).strip()
    for parse in (
        lambda t: date.fromisoformat(t[:10]),
        lambda t: datetime.strptime(t[:10], "%d-%m-%Y").date(),
        lambda t: datetime.strptime(t[:10], "%d.%m.%Y").date(),
    ):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def _title(item: dict) -> str:
    return str(item.get("table_name") or item.get("table_title") or item.get("name") or "").strip()[:300]


# --- one attempt, within its deadline ---------------------------------------------------------------


class _Deadline:
    """An attempt's time in all. `timeout` on a socket bounds each read, so a server that sends a byte every
    few seconds would hold a fetch for as long as it likes; at the deadline this shuts the attempt's
    sockets down, which ends any read in progress (status line, headers or body)."""

    def __init__(self, seconds: float):
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # already closed
            pass

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
        with self._lock:
            self._sockets.clear()  # closed or about to be: never shut down after the attempt


class _Watched:
    """An HTTP(S) connection whose socket the attempt's deadline may shut down (mixed into http.client's)."""

    def __init__(self, *args, deadline: _Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def connect(self):
        super().connect()
        self._deadline.watch(self.sock)


class _WatchedHTTP(_Watched, http.client.HTTPConnection):
    pass


class _WatchedHTTPS(_Watched, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def http_open(self, req):
        return self.do_open(_WatchedHTTP, req, deadline=self.deadline)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def https_open(self, req):
        return self.do_open(_WatchedHTTPS, req, context=self._context, deadline=self.deadline)


def _read_within(request, timeout: float, limit: int) -> bytes:
    """The body of one GET (at most `limit` + 1 bytes), in at most `timeout` seconds in all: TimeoutError after.

    HTTPError (an answer with an error status) passes through; proxies from the environment still apply.
    """
    with _Deadline(timeout) as deadline:
        opener = urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline))
        try:
            with opener.open(request, timeout=timeout) as response:
                body = response.read(limit + 1)
        except urllib.error.HTTPError:
            raise
        except (OSError, http.client.HTTPException):
            if deadline.expired:
                raise TimeoutError from None
            raise
        if deadline.expired:  # a body without a length ends at the shutdown: cut, not complete
            raise TimeoutError
        return body


class Client:
    """GET requests to the API with the key, bounded retries and backoff; answers as plain data.

    Each attempt has `timeout` seconds in all (JOBINDSATS_TIMEOUT_SECONDS), connecting and reading included.
    """

    def __init__(
        self,
        key: str,
        base_url: str | None = None,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        sleep=time.sleep,
    ):
        self._key = key
        self.base_url = (base_url or settings.JOBINDSATS_API_URL or DEFAULT_URL).rstrip("/")
        self.timeout = settings.JOBINDSATS_TIMEOUT_SECONDS if timeout is None else timeout
        self.retries = max(0, settings.JOBINDSATS_RETRIES if retries is None else retries)
        self.backoff = settings.JOBINDSATS_BACKOFF_SECONDS if backoff is None else backoff
        self._sleep = sleep

    # --- the three calls ---

    def listing(self) -> dict[str, Listing]:
        """Every table /tables names, by upper-case id: title and next update."""
        answer = self._json("tables", {})
        tables = {}
        for item in _walk(answer):
            table_id = item.get("table_id")
            if isinstance(table_id, str) and table_id.strip():
                tables[table_id.strip().upper()] = Listing(
                    _title(item), _date(item.get("update_next")), _date(item.get("update_latest"))
                )
        return tables

    def table(self, table: str) -> TableInfo:
        answer = self._json(f"table/{table.lower()}", {})
        if not isinstance(answer, dict) or not isinstance(answer.get("periods"), list):
            raise LayoutChanged(
                _("Jobindsats' beskrivelse af tabellen %(table)s har ingen liste over perioder.") % {"table": table}
            )
        periods = {}
        for group in answer["periods"]:
            if not isinstance(group, dict) or not group.get("periodtype_id"):
                continue
            values = [v.get("period_id") for v in group.get("values") or [] if isinstance(v, dict)]
            periods[str(group["periodtype_id"])] = [str(v).strip() for v in values if v]
        hierarchies = list(
            dict.fromkeys(
                str(item["hierarchy_id"])
                for item in _walk(answer.get("dimensions", answer))
                if isinstance(item.get("hierarchy_id"), str)
            )
        )
        return TableInfo(
            table,
            periods,
            hierarchies,
            _title(answer),
            _date(answer.get("update_next")),
            _date(answer.get("update_latest")),
        )

    def data(self, info: TableInfo, period_type: str, periods: list[str], per_request: int | None = None) -> Data:
        """The rows of these periods, every area and every dimension value; several requests joined into one."""
        size = max(1, per_request or settings.JOBINDSATS_PERIODS_PER_REQUEST)
        columns, rows = None, []
        for start in range(0, len(periods), size):
            params = {
                "format": "json",
                MEASURES_PARAMETER[0]: MEASURES_PARAMETER[1],
                period_parameter(period_type): ",".join(periods[start : start + size]),
            }
            params.update({hierarchy_parameter(h): ALL_VALUES for h in info.hierarchies})
            part = self._data(self._get(f"data/{info.table.lower()}", params), info.table)
            if columns is not None and part.columns != columns:
                raise LayoutChanged(
                    _("Jobindsats svarede med forskellige kolonner for tabellen %(table)s i samme hentning.")
                    % {"table": info.table}
                )
            columns = part.columns
            rows.extend(part.rows)
        return Data(columns or [], rows)

    # --- shapes ---

    def _json(self, path: str, params: dict):
        body = self._get(path, {**params, "format": "json"})
        try:
            answer = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise LayoutChanged(
                _("Jobindsats svarede ikke med JSON på '%(path)s'.") % {"path": path.split("/")[0]}
            ) from None
        self._check_v2_key_error(answer)
        return answer

    def _check_v2_key_error(self, answer) -> None:
        if isinstance(answer, dict) and len(answer) == 1 and "nøgle" in str(next(iter(answer))).casefold():
            raise BadKey(
                _(
                    "Jobindsats afviste API-nøglen ('%(message)s'). Nøglen er forkert eller udløbet: bed STAR om en ny, "
                    "og sæt den i JOBINDSATS_API_KEY."
                )
                % {"message": self._scrub(str(next(iter(answer))))[:200]}
            )

    def _data(self, body: bytes, table: str) -> Data:
        text = body.decode("utf-8-sig", errors="replace")
        if text.lstrip()[:1] in ("{", "["):
            try:
                answer = json.loads(text)
            except (json.JSONDecodeError, RecursionError):
                raise LayoutChanged(
                    _("Jobindsats' svar for tabellen %(table)s er ikke gyldig JSON.") % {"table": table}
                ) from None
            self._check_v2_key_error(answer)
            if not (
                isinstance(answer, dict)
                and isinstance(answer.get("columns"), list)
                and isinstance(answer.get("rows"), list)
            ):
                keys = (
                    ", ".join(f"'{self._scrub(str(k))[:60]}'" for k in list(answer)[:10])
                    if isinstance(answer, dict)
                    else type(answer).__name__
                )
                raise LayoutChanged(
                    _('Jobindsats\' svar for tabellen %(table)s har ikke formen {"columns", "rows"} (fandt %(keys)s).')
                    % {"table": table, "keys": keys or "-"}
                )
            columns = [str(c) for c in answer["columns"]]
            rows = answer["rows"]
        else:  # format=csv: ";" and decimal comma, perhaps after a BOM (stripped above)
            lines = list(csv.reader(io.StringIO(text), delimiter=";"))
            lines = [line for line in lines if any(cell.strip() for cell in line)]
            if not lines:
                raise LayoutChanged(_("Jobindsats' svar for tabellen %(table)s er tomt.") % {"table": table})
            columns, rows = [c.strip() for c in lines[0]], lines[1:]
        bad = next((i for i, row in enumerate(rows, 1) if not isinstance(row, list) or len(row) != len(columns)), None)
        if bad is not None:
            raise LayoutChanged(
                _("Række %(row)s i Jobindsats' svar for tabellen %(table)s har ikke %(n)s felter som overskriften.")
                % {"row": bad, "table": table, "n": len(columns)}
            )
        return Data([self._scrub(c) for c in columns], rows)

    def _scrub(self, text: str) -> str:
        return text.replace(self._key, "•••") if self._key else text

    # --- HTTP ---

    def url(self, path: str, params: dict) -> str:
        query = urllib.parse.urlencode(params, safe=",*/:")
        return f"{self.base_url}/{path}?{query}" if query else f"{self.base_url}/{path}"

    def _get(self, path: str, params: dict) -> bytes:
        """One GET, tried again on 429, 5xx, timeouts and lost connections, with a doubling pause."""
        params = {**params, "format": params.get("format", "json")}
        request = urllib.request.Request(
            self.url(path, params),
            headers={
                "Authorization": f"Bearer {self._key}",
                "Accept": "application/json, text/csv",
                "User-Agent": "Udvalgsportalen",
            },
        )
        attempts = self.retries + 1
        what = path.split("/")[0]
        for attempt in range(1, attempts + 1):
            wait = self.backoff * 2 ** (attempt - 1)
            try:
                body = _read_within(request, self.timeout, settings.IMPORT_MAX_BYTES)
                if len(body) > settings.IMPORT_MAX_BYTES:
                    raise ApiError(
                        _("Jobindsats' svar er større end %(mb)s MB og afvises.")
                        % {"mb": settings.IMPORT_MAX_BYTES // 1024 // 1024}
                    )
                # A server that echoes the key (in a cell, a column, a message) must not carry it into the
                # stored file, an import's notes or errors: it is blanked before anything reads the answer.
                return body.replace(self._key.encode(), "•••".encode()) if self._key else body
            except urllib.error.HTTPError as error:
                code, retry_after = error.code, error.headers.get("Retry-After") if error.headers else None
                error.close()
                if code in (401, 403):
                    raise BadKey(
                        _(
                            "Jobindsats afviste API-nøglen (HTTP %(code)s): nøglen er forkert eller udløbet. Bed STAR om en ny, "
                            "og sæt den i JOBINDSATS_API_KEY."
                        )
                        % {"code": code}
                    ) from None
                if code == 404:
                    raise NotFound(
                        _("Jobindsats kender ikke '%(path)s' (HTTP 404). Tjek tabellens id i koblingen.")
                        % {"path": path}
                    ) from None
                if code == 429:
                    failure = RateLimited(
                        _(
                            "Jobindsats afviste hentningen, fordi der blev spurgt for ofte (HTTP 429), %(n)s gange i træk. "
                            "Hentningen prøver igen ved næste kørsel."
                        )
                        % {"n": attempts}
                    )
                    if retry_after and retry_after.strip().isdigit():
                        wait = max(wait, float(retry_after.strip()))
                elif code >= 500:
                    failure = ServerError(
                        _(
                            "Jobindsats svarede med en serverfejl (HTTP %(code)s) %(n)s gange i træk. Hentningen prøver igen ved næste kørsel."
                        )
                        % {"code": code, "n": attempts}
                    )
                else:
                    raise ApiError(
                        _("Jobindsats svarede uventet (HTTP %(code)s) på '%(path)s'.") % {"code": code, "path": what}
                    ) from None
            except TimeoutError:
                failure = self._timeout(attempts)
            except urllib.error.URLError as error:
                if isinstance(error.reason, (TimeoutError, socket.timeout)):
                    failure = self._timeout(attempts)
                else:
                    failure = Unreachable(
                        _("Jobindsats kunne ikke nås (%(reason)s) efter %(n)s forsøg.")
                        % {"reason": self._scrub(str(error.reason))[:200], "n": attempts}
                    )
            except (http.client.HTTPException, ConnectionError) as error:
                failure = Unreachable(
                    _("Forbindelsen til Jobindsats blev afbrudt (%(reason)s) efter %(n)s forsøg.")
                    % {"reason": type(error).__name__, "n": attempts}
                )
            logger.info("Jobindsats %s: attempt %s of %s failed: %s", what, attempt, attempts, type(failure).__name__)
            if attempt < attempts:
                self._sleep(min(wait, MAX_WAIT_SECONDS))
        raise failure

    def _timeout(self, attempts: int) -> Timeout:
        return Timeout(
            _(
                "Jobindsats svarede ikke inden for %(seconds)s sekunder, %(n)s gange i træk. Hentningen prøver igen ved næste kørsel."
            )
            % {"seconds": f"{self.timeout:g}", "n": attempts}
        )
