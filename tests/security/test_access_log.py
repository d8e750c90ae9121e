"""The web server's access log (gunicorn.conf.py) keeps query strings and referrers out."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parents[2]


def access_line(environ: dict) -> str:
    config = Config()
    config.set(
        "access_log_format", runpy.run_path(str(ROOT / "gunicorn.conf.py"))["access_log_format"]
    )
    logger = Logger(config)
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("X-Request-ID", "req-42")])
    atoms = logger.atoms_wrapper_class(
        logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=7))
    )
    return config.access_log_format % atoms


def test_the_access_log_has_the_path_and_request_id_but_no_query_or_referrer():
    line = access_line(
        {
            "REQUEST_METHOD": "GET",
            "RAW_URI": "/admin/triage/staffalert/?q=Zephyrine+Quackenbushova",
            "PATH_INFO": "/admin/triage/staffalert/",
            "QUERY_STRING": "q=Zephyrine+Quackenbushova",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "10.0.0.7",
            "HTTP_REFERER": "https://portal.example/admin/?q=zq.sentinel4471%40example.org",
            "HTTP_USER_AGENT": "Mozilla/5.0",
        }
    )
    assert '"GET /admin/triage/staffalert/ HTTP/1.1" 200 512 7ms rid=req-42' in line
    assert "Zephyrine" not in line
    assert "sentinel" not in line
