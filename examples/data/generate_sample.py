#!/usr/bin/env python3
"""Generate ``sample-export.json``: a synthetic ``gcloud logging read --format=json``
export of the Cloud Run service ``netra-backend-staging`` (project ``netra-staging``).

The incidents are reconstructed from hand-written log-triage worklogs of the real
staging service; every identifier, address, timestamp and size below is generated.

Usage (from the repository root)::

    python3 examples/data/generate_sample.py > examples/data/sample-export.json

Python 3.11, standard library only, deterministic (``random.Random(20250914)``).
Output shape follows gcloud's JSON printer: one array, 2-space indent, keys sorted
at every level, UTF-8 (``ensure_ascii=False``), newest entry first.
"""

from __future__ import annotations

import json
import random
import sys
import uuid
from datetime import datetime, timezone

RNG = random.Random(20250914)

PROJECT = "netra-staging"
SERVICE = "netra-backend-staging"
REGION = "us-central1"
HOST = "https://api.staging.netrasystems.ai"
FRONTEND = "https://app.staging.netrasystems.ai/"
REV_OLD = "netra-backend-staging-00588-k2d"
REV_NEW = "netra-backend-staging-00589-g9x"
CONTAINER = "netra-backend-staging-1"
PROXY_IP = "169.254.169.126"  # address the container sees for every request

LOG_NAMES = {
    "stdout": f"projects/{PROJECT}/logs/run.googleapis.com%2Fstdout",
    "stderr": f"projects/{PROJECT}/logs/run.googleapis.com%2Fstderr",
    "requests": f"projects/{PROJECT}/logs/run.googleapis.com%2Frequests",
    "system": f"projects/{PROJECT}/logs/run.googleapis.com%2Fvarlog%2Fsystem",
}

NS = 1_000_000_000
US = 1_000
MS = 1_000_000
DAY_START = int(datetime(2025, 9, 14, tzinfo=timezone.utc).timestamp()) * NS
WINDOW_START = DAY_START + 22 * 3600 * NS   # 2025-09-14T22:00:00Z
WINDOW_END = DAY_START + (24 * 3600 + 30 * 60) * NS  # 2025-09-15T00:30:00Z

ENTRIES: list[dict] = []


# --------------------------------------------------------------------------- helpers
def T(h: int, m: int, s: float = 0.0) -> int:
    """Nanoseconds since the epoch for 2025-09-14 h:m:s UTC (h >= 24 rolls into the 15th).
    The result is rounded to whole microseconds."""
    return DAY_START + (h * 3600 + m * 60) * NS + int(round(s * 1_000_000)) * US


def jitter_us(lo_us: float, hi_us: float) -> int:
    return int(RNG.uniform(lo_us, hi_us)) * US


def rhex(n: int) -> str:
    return "".join(RNG.choice("0123456789abcdef") for _ in range(n))


def fmt_ts(ns: int) -> str:
    """RFC 3339 the way Cloud Logging prints a protobuf Timestamp: 0, 3, 6 or 9 digits."""
    sec, nanos = divmod(ns, NS)
    base = datetime.fromtimestamp(sec, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if nanos == 0:
        frac = ""
    elif nanos % MS == 0:
        frac = f".{nanos // MS:03d}"
    elif nanos % US == 0:
        frac = f".{nanos // US:06d}"
    else:
        frac = f".{nanos:09d}"
    return f"{base}{frac}Z"


def iso_payload(ns: int) -> str:
    """Python ``datetime.isoformat()`` as the app writes it into jsonPayload.timestamp."""
    sec, nanos = divmod(ns, NS)
    dt = datetime.fromtimestamp(sec, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{nanos // US:06d}+00:00"


def gunicorn_ts(ns: int) -> str:
    return datetime.fromtimestamp(ns // NS, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S +0000")


def with_nanos(ns: int) -> int:
    """Give a microsecond timestamp sub-microsecond digits (platform-written entries)."""
    extra = RNG.randint(1, 999)
    return ns - ns % US + extra


def receive_after(ns: int) -> int:
    """receiveTimestamp: a few ms to ~1 s later, always printed with 9 digits."""
    delay = int(min(RNG.expovariate(1 / 0.12), 0.95) * NS) + RNG.randint(3, 9) * MS
    r = ns + delay
    if r % US == 0:
        r += RNG.randint(1, 999)
    return r


def time_insert_id(ns: int) -> str:
    sec, nanos = divmod(ns, NS)
    return f"{sec:08x}{nanos // US:08x}{rhex(8)}"


def resource(rev: str) -> dict:
    return {
        "labels": {
            "configuration_name": SERVICE,
            "location": REGION,
            "project_id": PROJECT,
            "revision_name": rev,
            "service_name": SERVICE,
        },
        "type": "cloud_run_revision",
    }


class Instance:
    def __init__(self, rev: str):
        self.rev = rev
        # Cloud Run instance ids: long lowercase hex, shared leading bytes.
        self.id = "0069c7a988" + rhex(92)


def _entry(ns: int, log: str, inst: Instance, severity: str | None, receive: int | None = None,
           insert_id: str | None = None) -> dict:
    if log != "system":
        ns -= ns % US  # container output and request logs carry microsecond timestamps
    e = {
        "insertId": insert_id or time_insert_id(ns),
        "labels": {"instanceId": inst.id},
        "logName": LOG_NAMES[log],
        "receiveTimestamp": fmt_ts(receive if receive is not None else receive_after(ns)),
        "resource": resource(inst.rev),
        "timestamp": fmt_ts(ns),
    }
    if log == "system":
        e["labels"]["container_name"] = CONTAINER
    if severity:
        e["severity"] = severity
    ENTRIES.append(e)
    return e


def text(ns: int, inst: Instance, payload: str, severity: str | None = "INFO",
         log: str = "stderr", receive: int | None = None) -> dict:
    e = _entry(ns, log, inst, severity, receive)
    e["textPayload"] = payload
    return e


def system(ns: int, inst: Instance, payload: str, severity: str = "INFO") -> dict:
    # Platform entries: some carry nanosecond precision, some microsecond.
    ts = with_nanos(ns) if RNG.random() < 0.55 else ns - ns % US
    e = _entry(ts, "system", inst, severity)
    e["textPayload"] = payload
    return e


def applog(ns: int, inst: Instance, severity: str, module: str, function: str, line: int,
           message: str, *, logger: str | None = None, error: dict | None = None,
           context: bool = True, payload_ns: int | None = None, entry_ns: int | None = None) -> dict:
    """Structured JSON line written by the app's unified logger.

    jsonPayload.timestamp is when the app formatted the record (``payload_ns``, default
    ``ns``); the LogEntry timestamp is when the line reached the logging agent, a little
    later (``entry_ns`` to pin it)."""
    payload_ts = payload_ns if payload_ns is not None else ns
    entry_ts = entry_ns if entry_ns is not None else payload_ts + jitter_us(250, 6500)
    log = "stdout" if severity in ("INFO", "NOTICE", "DEBUG") else "stderr"
    e = _entry(entry_ts, log, inst, severity)
    payload: dict = {
        "labels": {"function": function, "line": str(line), "module": module},
        "message": message,
        "timestamp": iso_payload(payload_ts),
    }
    if context:
        payload["context"] = {"name": module, "service": "netra-service"}
    if logger:
        payload["logger"] = logger
    if error:
        payload["error"] = error
    e["jsonPayload"] = payload
    return e


# --------------------------------------------------------------------------- clients
UA_CHROME_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
                 "(KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36")
UA_CHROME_WIN = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                 "(KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36")
UA_EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0")
UA_SAFARI = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/18.6 Safari/605.1.15")
UA_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_6_2 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1")
UA_FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:142.0) Gecko/20100101 Firefox/142.0"

BROWSERS = [
    {"ip": "73.158.42.117", "ua": UA_CHROME_MAC},
    {"ip": "98.207.144.23", "ua": UA_SAFARI},
    {"ip": "2601:646:8b00:5e40:a1c2:7f3e:91d4:2b6c", "ua": UA_CHROME_MAC},
    {"ip": "104.28.118.92", "ua": UA_EDGE},
    {"ip": "172.58.29.201", "ua": UA_IPHONE},
    {"ip": "89.64.17.233", "ua": UA_FIREFOX},
    {"ip": "24.5.181.66", "ua": UA_CHROME_WIN},
    {"ip": "2a02:a31a:c43e:7d00:5d1:83f2:4e0a:19c7", "ua": UA_SAFARI},
]
SCRIPTS = [
    {"ip": "20.171.207.38", "ua": "python-httpx/0.28.1"},     # e2e suite on CI
    {"ip": "52.176.44.10", "ua": "python-httpx/0.28.1"},
    {"ip": "73.158.42.117", "ua": "curl/8.7.1"},
    {"ip": "35.203.144.71", "ua": "python-requests/2.32.4"},
]
UPTIME = [
    {"ip": "35.238.118.12", "ua": "GoogleStackdriverMonitoring-UptimeChecks(https://cloud.google.com/monitoring)"},
    {"ip": "34.122.68.45", "ua": "GoogleStackdriverMonitoring-UptimeChecks(https://cloud.google.com/monitoring)"},
    {"ip": "35.186.167.90", "ua": "GoogleStackdriverMonitoring-UptimeChecks(https://cloud.google.com/monitoring)"},
]
SERVER_IPS = ["34.143.72.2", "34.143.73.2", "34.143.74.2", "34.143.75.2"]

THREADS = [str(uuid.UUID(int=RNG.getrandbits(128), version=4)) for _ in range(14)]
DEMO_USERS = [f"demo-user-{n:03d}" for n in (1, 1, 1, 2, 3, 4, 5, 7, 8, 11, 12, 14, 17, 23)]


def latency_str(lat_ns: int) -> str:
    sec, nanos = divmod(lat_ns, NS)
    return f"{sec}.{nanos:09d}s"


def request(ns: int, inst: Instance, method: str, path: str, status: int, lat_s: float,
            client: dict, *, req_size: int, resp_size: int, text_payload: str | None = None,
            referer: bool | None = None, sampled: bool | None = None,
            access_line: bool = True, port: int | None = None) -> dict:
    lat_ns = int(lat_s * NS) + RNG.randint(1, 999)
    end = ns + lat_ns
    sev = "INFO" if status < 400 else ("WARNING" if status < 500 else "ERROR")
    e = _entry(ns, "requests", inst, sev, receive=receive_after(end), insert_id=time_insert_id(end))
    http = {
        "latency": latency_str(lat_ns),
        "protocol": "HTTP/1.1",
        "remoteIp": client["ip"],
        "requestMethod": method,
        "requestSize": str(req_size),
        "requestUrl": HOST + path,
        "responseSize": str(resp_size),
        "serverIp": RNG.choice(SERVER_IPS),
        "status": status,
        "userAgent": client["ua"],
    }
    if referer is None:
        referer = client["ua"].startswith("Mozilla/")
    if referer:
        http["referer"] = FRONTEND
    e["httpRequest"] = http
    e["trace"] = f"projects/{PROJECT}/traces/{rhex(32)}"
    e["spanId"] = rhex(16)
    if sampled is None:
        sampled = RNG.random() < 0.7
    if sampled:
        e["traceSampled"] = True
    if text_payload:
        e["textPayload"] = text_payload
    if access_line and status != 101:
        # uvicorn access record, re-emitted by the app's logging intercept on stdout
        p = port or RNG.randint(32768, 60999)
        text(end - jitter_us(80, 900), inst,
             f'{PROXY_IP}:{p} - "{method} {path} HTTP/1.1" {status}', "INFO", log="stdout")
    return e


# --------------------------------------------------------------------------- tracebacks
SITE = "/usr/local/lib/python3.11/site-packages"
GUNICORN_FRAMES = f'''Traceback (most recent call last):
  File "{SITE}/gunicorn/arbiter.py", line 608, in spawn_worker
    worker.init_process()
  File "{SITE}/uvicorn/workers.py", line 75, in init_process
    super().init_process()
  File "{SITE}/gunicorn/workers/base.py", line 135, in init_process
    self.load_wsgi()
  File "{SITE}/gunicorn/workers/base.py", line 147, in load_wsgi
    self.wsgi = self.app.wsgi()
                ^^^^^^^^^^^^^^^
  File "{SITE}/gunicorn/app/base.py", line 66, in wsgi
    self.callable = self.load()
                    ^^^^^^^^^^^
  File "{SITE}/gunicorn/app/wsgiapp.py", line 57, in load
    return self.load_wsgiapp()
           ^^^^^^^^^^^^^^^^^^^
  File "{SITE}/gunicorn/app/wsgiapp.py", line 47, in load_wsgiapp
    return util.import_app(self.app_uri)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "{SITE}/gunicorn/util.py", line 370, in import_app
    mod = importlib.import_module(module)
          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/local/lib/python3.11/importlib/__init__.py", line 126, in import_module
    return _bootstrap._gcd_import(name[level:], package, level)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "<frozen importlib._bootstrap>", line 1204, in _gcd_import
  File "<frozen importlib._bootstrap>", line 1176, in _find_and_load
  File "<frozen importlib._bootstrap>", line 1147, in _find_and_load_unlocked
  File "<frozen importlib._bootstrap>", line 690, in _load_unlocked
  File "<frozen importlib._bootstrap_external>", line 940, in exec_module
  File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed
  File "/app/netra_backend/app/main.py", line 37, in <module>
    app = create_app()
          ^^^^^^^^^^^^
  File "/app/netra_backend/app/core/app_factory.py", line 169, in create_app
    _configure_app_routes(app)
  File "/app/netra_backend/app/core/app_factory.py", line 238, in _configure_app_routes
    route_modules = _import_route_modules()
                    ^^^^^^^^^^^^^^^^^^^^^^^'''

IMPORT_ERROR_TB = GUNICORN_FRAMES + '''
  File "/app/netra_backend/app/core/app_factory.py", line 287, in _import_route_modules
    from netra_backend.app.routes.agent_route import router as agent_router
  File "/app/netra_backend/app/routes/agent_route.py", line 31, in <module>
    from netra_backend.app.services.websocket_bridge_factory import WebSocketBridgeFactory
  File "/app/netra_backend/app/services/websocket_bridge_factory.py", line 23, in <module>
    from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager
ImportError: cannot import name 'UnifiedWebSocketManager' from 'netra_backend.app.websocket_core.unified_manager' (/app/netra_backend/app/websocket_core/unified_manager.py)'''

SYNTAX_ERROR_TB = GUNICORN_FRAMES + '''
  File "/app/netra_backend/app/core/app_factory.py", line 301, in _import_route_modules
    from netra_backend.app.routes.websocket_ssot import router as websocket_router
  File "/app/netra_backend/app/routes/websocket_ssot.py", line 658
    connection_id = f"main_{UnifiedIdGenerator.generate_base_id("ws_conn").split('_')[-1]}"
                                                                 ^^^^^^^
SyntaxError: f-string: unmatched '(\''''

PYDANTIC_WARNING = [
    f"{SITE}/pydantic/_internal/_config.py:373: UserWarning: Valid config keys have changed in V2:",
    "* 'orm_mode' has been renamed to 'from_attributes'",
    "  warnings.warn(message, UserWarning)",
]

SSOT_CLASSES = ("['netra_backend.app.websocket_core.websocket_manager.WebSocketManagerMode', "
                "'netra_backend.app.websocket_core.websocket_manager.WebSocketManagerProtocol', "
                "'netra_backend.app.websocket_core.unified_manager.WebSocketManagerMode', "
                "'netra_backend.app.websocket_core.protocols.WebSocketManagerProtocol', "
                "'netra_backend.app.websocket_core.protocols.WebSocketManagerProtocolValidator']")

DB_ERROR_VALUE = ("CRITICAL STARTUP FAILURE: Database initialization timeout after 8.0s in staging "
                  "environment. This may indicate Cloud SQL connection issues. Check POSTGRES_HOST "
                  "configuration and Cloud SQL instance accessibility.")

AUTOSCALING = ("Starting new instance. Reason: AUTOSCALING - Instance started due to configured "
               "scaling factors (e.g. CPU utilization, request throughput, etc.) or no existing "
               "capacity for current traffic.")
ROLLOUT = ("Starting new instance. Reason: DEPLOYMENT_ROLLOUT - Instance started due to traffic "
           "shifting between revisions due to deployment, traffic split adjustment, or deployment "
           "health check.")
PROBE_OK = (f'Default STARTUP TCP probe succeeded after 1 attempt for container "{CONTAINER}" '
            f'on port 8080.')
PROBE_FAIL = (f'Default STARTUP TCP probe failed 1 time consecutively for container "{CONTAINER}" '
              f'on port 8080. The instance was not started.')
READINESS_503 = "The request failed because the instance failed the readiness check."

SMD = "netra_backend.app.smd"
HEALTH = "netra_backend.app.routes.health"
WS_SSOT = "netra_backend.app.routes.websocket_ssot"
HANDLERS = "netra_backend.app.websocket_core.handlers"
ENHANCER = "netra_backend.app.websocket_core.ssot_validation_enhancer"
WS_MANAGER = "netra_backend.app.websocket_core.websocket_manager"
UNIFIED_LOG = "shared.logging.unified_logging_ssot"


# --------------------------------------------------------------------------- 00588 boots
def boot_uvicorn(t0: int, inst: Instance, *, reason: str = AUTOSCALING, db_ok: bool = True,
                 new_instance: bool = True, pydantic_warning: bool = False,
                 ssot_warning: bool = False, service_id_warning: bool = True,
                 notice: bool = False) -> int:
    """Container start of the previous revision (uvicorn). Returns the time it is ready
    (or exited)."""
    t = t0
    if new_instance:
        system(t, inst, reason, "INFO")
    t += jitter_us(2.1e6, 3.8e6)
    if pydantic_warning:
        for i, line in enumerate(PYDANTIC_WARNING):
            text(t + i * jitter_us(18, 45), inst, line, None)
        t += 200 * US
    t += jitter_us(0.9e6, 2.2e6)
    if service_id_warning:
        applog(t, inst, "WARNING", UNIFIED_LOG, "_sanitize_service_id", 214,
               "SERVICE_ID contained whitespace - sanitized from 'netra-backend\\n' to 'netra-backend'",
               logger=UNIFIED_LOG)
        t += jitter_us(2e3, 30e3)
    applog(t, inst, "INFO", "netra_backend.app.core.error_tracking", "init_sentry", 58,
           "Sentry SDK not available - install sentry-sdk[fastapi] to enable error tracking")
    t += jitter_us(0.4e6, 1.1e6)
    if ssot_warning:
        applog(t, inst, "WARNING", WS_MANAGER, "_validate_ssot_compliance", 91,
               f"SSOT WARNING: Found other WebSocket Manager classes: {SSOT_CLASSES}",
               logger=WS_MANAGER)
        t += jitter_us(1e5, 6e5)
    text(t, inst, "Started server process [1]", "INFO")
    t += jitter_us(300, 900)
    text(t, inst, "Waiting for application startup.", "INFO")
    t += jitter_us(2e4, 9e4)
    deps = RNG.uniform(24, 33)
    t += int((deps + 0.06) * NS)
    applog(t, inst, "INFO", SMD, "_run_startup_phases", 588,
           f"Startup phases INIT ({RNG.uniform(0.041, 0.079):.3f}s) and DEPENDENCIES ({deps:.3f}s) complete - "
           "environment: staging; Phase 3 DATABASE: connecting to Cloud SQL "
           "/cloudsql/netra-staging:us-central1:staging-shared-postgres (timeout 8.0s)")
    if not db_ok:
        t += int(8.0 * NS) + jitter_us(800, 4500)
        applog(t, inst, "ERROR", SMD, "_initialize_database", 1005, DB_ERROR_VALUE,
               error={"type": "DeterministicStartupError", "value": DB_ERROR_VALUE})
        t += jitter_us(400, 2500)
        applog(t, inst, "ERROR", SMD, "_initialize_database", 1018,
               f"Phase 3 DATABASE failed after {RNG.uniform(8.001, 8.019):.3f}s - startup aborted (DeterministicStartupError)",
               error={"type": "DeterministicStartupError", "value": DB_ERROR_VALUE})
        t += jitter_us(3e3, 2e4)
        text(t, inst, "Application startup failed. Exiting.", "ERROR")
        t += jitter_us(6e4, 2.4e5)
        system(t, inst, "Container called exit(3).", "WARNING")
        return t
    db = RNG.uniform(0.9, 2.6)
    t += int(db * NS)
    applog(t, inst, "INFO", SMD, "_initialize_database", 1031,
           f"Phase 3 DATABASE complete ({db:.3f}s) - async engine pool ready (size=5, max_overflow=10)")
    if notice:
        t += jitter_us(5e3, 4e4)
        applog(t, inst, "NOTICE", SMD, "_check_migrations", 1112,
               f"Migration run 1757350810 already applied - schema at head {rhex(12)}, nothing to do")
    t += jitter_us(2e5, 9e5)
    text(t, inst, "Application startup complete.", "INFO")
    t += jitter_us(200, 900)
    text(t, inst, "Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)", "INFO")
    t += jitter_us(4e5, 1.4e6)
    system(t, inst, PROBE_OK, "INFO")
    return t


def shutdown_uvicorn(t0: int, inst: Instance) -> None:
    system(t0, inst, "Shutting down user disabled instance", "INFO")
    t = t0 + jitter_us(2e3, 2e4)
    for msg in ("Shutting down", "Waiting for application shutdown.", "Application shutdown complete.",
                "Finished server process [1]"):
        text(t, inst, msg, "INFO")
        t += jitter_us(300, 40000)


# --------------------------------------------------------------------------- 00589 boots
def boot_gunicorn_failure(t0: int, inst: Instance, tb: str, *, new_instance: str | None,
                          split: bool = False, probe_fail: bool = False) -> int:
    t = t0
    if new_instance:
        system(t, inst, new_instance, "INFO")
    t += jitter_us(1.6e6, 3.1e6)
    worker = RNG.randint(7, 29)
    for msg in ("Starting gunicorn 23.0.0", "Listening at: http://0.0.0.0:8080 (1)",
                "Using worker: uvicorn.workers.UvicornWorker"):
        text(t, inst, f"[{gunicorn_ts(t)}] [1] [INFO] {msg}", "INFO")
        t += jitter_us(150, 900)
    t += jitter_us(2e3, 9e3)
    text(t, inst, f"[{gunicorn_ts(t)}] [{worker}] [INFO] Booting worker with pid: {worker}", "INFO")
    t += int(RNG.uniform(1.8, 4.6) * NS)
    head = f"[{gunicorn_ts(t)}] [{worker}] [ERROR] Exception in worker process"
    if split:
        # Same traceback, but as Cloud Run records unstructured stderr: one entry per line.
        receive = receive_after(t)
        for line in (head + "\n" + tb).split("\n"):
            text(t, inst, line, None, receive=receive)
            t += jitter_us(4, 38)
            receive += jitter_us(1, 12) + RNG.randint(1, 999)
    else:
        text(t, inst, head + "\n" + tb, "ERROR")
    t += jitter_us(700, 3500)
    text(t, inst, f"[{gunicorn_ts(t)}] [{worker}] [INFO] Worker exiting (pid: {worker})", "INFO")
    t += jitter_us(5e4, 1.6e5)
    text(t, inst, f"[{gunicorn_ts(t)}] [1] [ERROR] Worker (pid:{worker}) exited with code 3", "ERROR")
    t += jitter_us(200, 1500)
    text(t, inst, f"[{gunicorn_ts(t)}] [1] [ERROR] Shutting down: Master", "ERROR")
    t += jitter_us(40, 400)
    text(t, inst, f"[{gunicorn_ts(t)}] [1] [ERROR] Reason: Worker failed to boot.", "ERROR")
    t += jitter_us(5e4, 2e5)
    system(t, inst, "Container called exit(3).", "WARNING")
    if probe_fail:
        t += jitter_us(1e3, 3e4)
        system(t, inst, PROBE_FAIL, "ERROR")
    return t


# --------------------------------------------------------------------------- traffic
def health_check(ns: int, inst: Instance, *, log_skips: bool) -> None:
    lat = RNG.uniform(0.0019, 0.0240)
    request(ns, inst, "GET", "/health/ready", 200, lat, {"ip": PROXY_IP, "ua": "GoogleHC/1.0"},
            req_size=RNG.randint(96, 131), resp_size=RNG.randint(402, 471), referer=False,
            sampled=False)
    if log_skips:
        t = ns + int(lat * NS * 0.4)
        applog(t, inst, "INFO", HEALTH, "_check_readiness_status", 561,
               "ClickHouse skipped in staging environment (optional service - infrastructure may not be available)")
        applog(t + jitter_us(60, 400), inst, "INFO", HEALTH, "_check_readiness_status", 582,
               "Redis skipped in staging environment (optional service - infrastructure may not be available)")


def api_call(ns: int, inst: Instance, client: dict | None = None, *, force: str | None = None,
             session_fail: bool = False) -> None:
    client = client or RNG.choice(BROWSERS + BROWSERS + SCRIPTS)
    th = RNG.choice(THREADS)
    roll = RNG.random() if force is None else {"profile": 0.70}[force]
    if roll < 0.20:
        method, path, size = "GET", f"/api/threads?limit=20&offset={RNG.choice([0, 0, 0, 20, 40])}", RNG.randint(2200, 9800)
    elif roll < 0.34:
        method, path, size = "GET", f"/api/threads/{th}", RNG.randint(780, 2400)
    elif roll < 0.48:
        method, path, size = "GET", f"/api/threads/{th}/messages?limit=50", RNG.randint(3100, 48000)
    elif roll < 0.62:
        method, path, size = "GET", "/api/agents/status", RNG.randint(610, 1290)
    elif roll < 0.76:
        method, path, size = "GET", "/api/user/profile", RNG.randint(505, 690)
    elif roll < 0.84:
        method, path, size = "GET", "/api/discovery/services", RNG.randint(1800, 2300)
    elif roll < 0.91:
        method, path, size = "GET", "/api/mcp/config", RNG.randint(880, 1350)
    else:
        method, path, size = "POST", "/api/threads", RNG.randint(420, 560)
    status = 201 if method == "POST" else 200
    req = RNG.randint(380, 1650) + (RNG.randint(120, 900) if method == "POST" else 0)
    lat = RNG.uniform(0.012, 0.35) if "messages" not in path else RNG.uniform(0.09, 0.9)
    request(ns, inst, method, path, status, lat, client, req_size=req, resp_size=size)
    if session_fail:
        session_warning(ns + int(lat * NS * 0.3), inst)


def session_warning(ns: int, inst: Instance, **kw) -> None:
    applog(ns, inst, "WARNING", "logging", "callHandlers", 1706,
           "Session access failed (middleware not installed?): SessionMiddleware must be installed to access request.session",
           context=False, **kw)


def ws_session(ns: int, inst: Instance, user: str, client: dict, duration_s: float, *,
               session_fail: bool = True, extract_fail: bool = False, bad_request_id: bool = False,
               auto_created: str | None = None, auth_timeout: bool = False,
               ssot_dup: bool = False, main_loop_error: bool = False, ack_error: bool = False,
               close_error: bool = False, redis_degraded: bool = False,
               fixed: dict | None = None) -> None:
    """One browser WebSocket connection to /ws and what the app logs during it.

    ``fixed`` pins payload timestamps (key -> ns) of individual records."""
    fixed = fixed or {}
    request(ns, inst, "GET", "/ws", 101, duration_s, client, req_size=RNG.randint(1420, 2080),
            resp_size=RNG.randint(180, 9200), access_line=False)
    port = RNG.randint(32768, 60999)
    t = ns + jitter_us(900, 4000)
    text(t, inst, f'{PROXY_IP}:{port} - "WebSocket /ws" [accepted]', "INFO", log="stdout")
    t += jitter_us(1e3, 9e3)
    if redis_degraded:
        applog(t, inst, "WARNING", "netra_backend.app.websocket_core.gcp_initialization_validator",
               "_validate_redis_readiness", 412,
               "Redis readiness: GRACEFUL DEGRADATION - Exception 'bool' object is not callable in staging, allowing basic functionality for user chat value")
        t += jitter_us(2e3, 2e4)
    if extract_fail:
        applog(t, inst, "WARNING", "netra_backend.app.websocket_core.unified_websocket_auth",
               "_extract_auth_from_session", 212,
               "Failed to extract auth=REDACTED SessionMiddleware must be installed to access request.session")
        t += jitter_us(200, 3000)
    if bad_request_id:
        applog(t, inst, "WARNING", "netra_backend.app.core.unified_id_manager", "validate_request_id", 318,
               f"request_id 'defensive_auth_{rhex(12)}' has invalid format. Expected UUID or UnifiedIDManager structured format.")
        t += jitter_us(200, 3000)
    if auth_timeout:
        t += int(0.5 * NS) + jitter_us(100, 9000)
        applog(t, inst, "WARNING", "netra_backend.app.services.unified_authentication_service",
               "_check_auth_service_connectivity", 328, "Auth connectivity check timed out after 0.5s")
        t += jitter_us(2e3, 2.5e4)
        applog(t, inst, "WARNING", "netra_backend.app.websocket_core.unified_websocket_auth",
               "authenticate_websocket_connection", 438,
               f"Auth unreachable after {RNG.uniform(0.503, 0.534):.2f}s - preventing WebSocket timeout")
        t += jitter_us(1e3, 6e3)
    if auto_created:
        t = fixed.get("auto", t)
        applog(t, inst, "WARNING", "logging", "callHandlers", 1706,
               "[🔑] USER AUTO-CREATED: Created user ***@netrasystems.ai from JWT=REDACTED "
               f"(env: staging, user_id: {auto_created}..., demo_mode: False, domain: netrasystems.ai, "
               "domain_type: unknown)", context=False)
        t += jitter_us(5e3, 4e4)
    if session_fail:
        t = fixed.get("session", t + jitter_us(2e4, 2e6))
        session_warning(t, inst)
        t += jitter_us(200, 3000)
    if ssot_dup:
        t = fixed.get("ssot", max(t, ns + int(duration_s * NS * RNG.uniform(0.3, 0.8))))
        applog(t, inst, "WARNING", ENHANCER, "validate_manager_creation", RNG.choice([137, 137, 118]),
               f"SSOT validation issues (non-blocking): ['Multiple manager instances for user {user} - potential duplication']")
        t += jitter_us(2e3, 8e4)
    end = ns + int(duration_s * NS)
    t = max(t, end - jitter_us(3e4, 1.2e5))
    if ack_error:
        t = fixed.get("ack", t)
        applog(t, inst, "ERROR", HANDLERS, "_send_unknown_message_ack", 1527,
               f"Error sending unknown message ack to {user}: ")
        t += jitter_us(1e3, 4e3)
    if main_loop_error:
        t = fixed.get("main", t)
        applog(t, inst, "ERROR", WS_SSOT, "_main_message_loop", 1490,
               '[MAIN MODE] Message loop error: WebSocket is not connected. Need to call "accept" first.',
               entry_ns=fixed.get("main_entry"))
        t += jitter_us(1e3, 5e3)
    if close_error:
        applog(t, inst, "WARNING", "netra_backend.app.websocket_core.utils", "safe_websocket_close", 605,
               'Runtime error closing WebSocket: Cannot call "send" once a close message has been sent.')
        t += jitter_us(300, 2e3)


# --------------------------------------------------------------------------- scenario
def google_sub_prefix() -> str:
    return "1" + "".join(RNG.choice("0123456789") for _ in range(7))


def main() -> None:
    a1, a2, a3, a4, a5 = (Instance(REV_OLD) for _ in range(5))
    b1, b2, b3, b4, b5 = (Instance(REV_NEW) for _ in range(5))
    drain = T(23, 46, 52)
    serving = {a1: (WINDOW_START, drain), a2: (WINDOW_START, drain)}

    # ---- previous revision 00588: a scale-up, and the database timeout episode
    ready = boot_uvicorn(T(22, 17, 41.204113), a3, pydantic_warning=True, ssot_warning=True, notice=True)
    serving[a3] = (ready, drain)
    # a4: Cloud SQL unreachable; the container is restarted twice on the same instance
    t = T(22, 31, 7.550912)
    for i in range(3):
        t = boot_uvicorn(t, a4, db_ok=False, new_instance=(i == 0), ssot_warning=(i == 0),
                         service_id_warning=(i != 1))
        t += int(RNG.uniform(9, 22) * NS)
    # a5: two failures, then the database answers and the instance starts serving
    t = T(23, 20, 44.118720)
    for i in range(2):
        t = boot_uvicorn(t, a5, db_ok=False, new_instance=(i == 0), service_id_warning=False)
        if i == 0:
            system(t + jitter_us(2e3, 2e4), a5, PROBE_FAIL, "ERROR")
        t += int(RNG.uniform(10, 19) * NS)
    ready = boot_uvicorn(t, a5, new_instance=False, ssot_warning=True, service_id_warning=False,
                         notice=True)
    serving[a5] = (ready, drain)
    # periodic migration check on a long-running instance
    applog(T(23, 0, 3.402117), a1, "NOTICE", SMD, "_check_migrations", 1112,
           "Migration run 1757350810 already applied - schema at head 7c1e9a04d2b5, nothing to do")

    def pick_old(ns: int) -> Instance:
        return RNG.choice([i for i, (s, e) in serving.items() if s <= ns < e])

    # Load-balancer health checks (GoogleHC) against the previous revision
    t = WINDOW_START + jitter_us(1e6, 9e7)
    while t < T(23, 46, 30):
        health_check(t, pick_old(t), log_skips=RNG.random() < 0.2)
        t += int(RNG.uniform(185, 285) * NS)

    # Uptime checks on /health
    t = WINDOW_START + jitter_us(2e8, 5e8)
    while t < T(23, 46, 30):
        request(t, pick_old(t), "GET", "/health", 200, RNG.uniform(0.0031, 0.0185), RNG.choice(UPTIME),
                req_size=RNG.randint(180, 230), resp_size=RNG.randint(262, 281), sampled=False)
        t += int(RNG.uniform(1350, 1750) * NS)

    # Ordinary API traffic: a few bursts of activity from people using the app
    bursts = [(T(22, 4, 10), 3), (T(22, 25, 2), 1), (T(22, 41, 55), 3), (T(22, 58, 14), 2),
              (T(23, 9, 47), 3), (T(23, 37, 29), 2)]
    for start, n in bursts:
        client = RNG.choice(BROWSERS)
        t = start + jitter_us(0, 3e7)
        for _ in range(n):
            api_call(t, pick_old(t), client if RNG.random() < 0.7 else None)
            t += int(RNG.expovariate(1 / 9.0) * NS) + jitter_us(3e5, 2e6)
    # profile loads that hit the missing SessionMiddleware
    for t, c in ((T(22, 9, 12.080411), BROWSERS[4]), (T(23, 18, 30.562093), BROWSERS[6])):
        api_call(t, pick_old(t), c, force="profile", session_fail=True)
    # scripts / e2e runs
    for _ in range(3):
        t = WINDOW_START + int(RNG.uniform(60, 6300) * NS)
        api_call(t, pick_old(t), RNG.choice(SCRIPTS))
    # a CORS preflight and a few client errors
    t = T(22, 12, 29.871330)
    request(t, pick_old(t), "OPTIONS", "/api/threads?limit=20&offset=0", 200, 0.0021, BROWSERS[0],
            req_size=612, resp_size=311)
    t = T(22, 27, 18.004921)
    request(t, pick_old(t), "GET", "/api/user/profile", 401, 0.0412, BROWSERS[3], req_size=402, resp_size=226)
    t = T(22, 59, 2.551093)
    request(t, pick_old(t), "GET", f"/api/threads/{uuid.UUID(int=RNG.getrandbits(128), version=4)}",
            404, 0.0387, BROWSERS[1], req_size=1188, resp_size=218)

    # WebSocket chat sessions on the previous revision. The 22:44 one reproduces the
    # representative entries quoted in the worklog at their original times.
    ws_session(T(22, 44, 25.301907), a2, "demo-user-001", BROWSERS[0], 23.409155,
               auto_created="10812417", ssot_dup=True, main_loop_error=True, ack_error=True,
               fixed={
                   "auto": T(22, 44, 25.328454),
                   "session": T(22, 44, 46.966424),
                   "ssot": T(22, 44, 48.610858),
                   "ack": T(22, 44, 48.687831),
                   "main": T(22, 44, 48.690097),
                   "main_entry": T(22, 44, 48.695754),
               })
    plans = [
        (T(22, 6, 48.331905), dict(extract_fail=True, ssot_dup=True)),
        (T(22, 14, 2.908127), dict(bad_request_id=True, auth_timeout=True, close_error=True, session_fail=False)),
        (T(22, 20, 37.118406), dict(extract_fail=True, bad_request_id=True, auto_created=google_sub_prefix(), ssot_dup=True)),
        (T(22, 29, 53.640291), dict(redis_degraded=True, ssot_dup=True, session_fail=False)),
        (T(22, 43, 3.022713), dict(bad_request_id=True, close_error=True)),
        (T(22, 52, 11.870332), dict(extract_fail=True, auto_created=google_sub_prefix(), ssot_dup=True,
                                    main_loop_error=True)),
        (T(23, 3, 26.455108), dict(auth_timeout=True, bad_request_id=True, session_fail=False)),
        (T(23, 15, 9.093817), dict(redis_degraded=True, extract_fail=True, ack_error=True, ssot_dup=True)),
        (T(23, 28, 44.301555), dict(bad_request_id=True, auto_created=google_sub_prefix(), ssot_dup=True)),
        (T(23, 35, 57.712940), dict(close_error=True, ssot_dup=True, main_loop_error=True)),
    ]
    for start, flags in plans:
        dur = RNG.uniform(6.0, 260.0)
        if start + int(dur * NS) > drain:
            dur = (drain - start) / NS - RNG.uniform(1, 20)
        ws_session(start, pick_old(start), RNG.choice(DEMO_USERS), RNG.choice(BROWSERS), dur, **flags)

    # ---- 23:46 rollout of 00589: the old instances are drained, the new ones never boot
    for inst in (a1, a2, a3, a5):
        shutdown_uvicorn(drain + jitter_us(1e5, 4e7), inst)

    # ImportError on b1/b2/b3 (one occurrence logged line by line), 23:46 - 00:07
    boot_gunicorn_failure(T(23, 46, 6.731840), b1, IMPORT_ERROR_TB, new_instance=ROLLOUT, probe_fail=True)
    boot_gunicorn_failure(T(23, 46, 7.402291), b2, IMPORT_ERROR_TB, new_instance=ROLLOUT)
    boot_gunicorn_failure(T(23, 46, 9.950617), b3, IMPORT_ERROR_TB, new_instance=ROLLOUT, probe_fail=True)
    boot_gunicorn_failure(T(23, 49, 31.266005), b1, IMPORT_ERROR_TB, new_instance=None)
    boot_gunicorn_failure(T(23, 55, 2.918474), b2, IMPORT_ERROR_TB, new_instance=None, split=True)
    boot_gunicorn_failure(T(24, 6, 40.087113), b3, IMPORT_ERROR_TB, new_instance=None, probe_fail=True)
    # SyntaxError (websocket_ssot.py:658) on b4/b5 later in the outage
    boot_gunicorn_failure(T(24, 12, 18.550390), b4, SYNTAX_ERROR_TB, new_instance=AUTOSCALING, probe_fail=True)
    boot_gunicorn_failure(T(24, 19, 45.104467), b5, SYNTAX_ERROR_TB, new_instance=AUTOSCALING)
    boot_gunicorn_failure(T(24, 27, 2.776901), b4, SYNTAX_ERROR_TB, new_instance=None)

    # 503s while no instance of 00589 is ready (bursty: clients retrying)
    starts = [T(23, 46, 31), T(23, 47, 5), T(23, 48, 40), T(23, 52, 12), T(23, 58, 3), T(24, 3, 27),
              T(24, 9, 51), T(24, 14, 36), T(24, 20, 2), T(24, 24, 49), T(24, 28, 11)]
    count = 0
    for s in starts:
        client = RNG.choice(BROWSERS)
        t = s + jitter_us(0, 2e7)
        for _ in range(RNG.choice([2, 2, 3, 3])):
            if count >= 25:
                break
            r = RNG.random()
            path = "/ws" if r < 0.45 else ("/api/discovery/services" if r < 0.75 else "/api/mcp/config")
            inst = RNG.choice([b1, b2, b3]) if t < T(24, 10) else RNG.choice([b3, b4, b5])
            request(t, inst, "GET", path, 503, RNG.uniform(1.05, 6.95),
                    client if RNG.random() < 0.8 else RNG.choice(BROWSERS),
                    req_size=RNG.randint(1400, 2100) if path == "/ws" else RNG.randint(420, 1300),
                    resp_size=RNG.randint(31, 47) if RNG.random() < 0.5 else RNG.randint(1061, 1174),
                    text_payload=READINESS_503 if RNG.random() < 0.35 else None, access_line=False)
            count += 1
            t += int(RNG.uniform(0.4, 9.0) * NS)

    out = sorted(ENTRIES, key=sort_key, reverse=True)
    for e in out:
        assert WINDOW_START <= parse_ts(e["timestamp"]) < WINDOW_END, e["timestamp"]
    sys.stdout.write(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def parse_ts(s: str) -> int:
    base, frac = s[:-1].split(".") if "." in s else (s[:-1], "")
    sec = int(datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp())
    return sec * NS + int((frac + "000000000")[:9])


def sort_key(e: dict) -> tuple:
    return (parse_ts(e["timestamp"]), e["insertId"])


if __name__ == "__main__":
    main()
