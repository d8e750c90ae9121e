"""gunicorn settings read from the working directory (the image's /app) by every `gunicorn`
start: the command line in the Dockerfile and docker-compose.yml adds bind address and workers.

The access log names the path, never the query string or the referrer: an admin search for a
patient's name, e-mail or phone travels in the query string (``?q=...``) and would otherwise be
written to the log, and so would the page a visitor came from. The request id ties a line to
the application's own log records.
"""

access_log_format = (
    '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s "%(a)s"'
)


def post_worker_init(worker) -> None:
    """Move everything a worker holds after start-up (Django, the apps, their modules) out of
    the garbage collector's sight. Without this every full collection walks that whole heap
    again, a pause of tens of milliseconds that lands on whichever request triggers it (seen
    as the p95 of the availability API in bench/scheduling.py)."""
    import gc

    gc.collect()
    gc.freeze()
