"""Logs as one JSON object per line, each with the request it belongs to.

A district's log collector (Loki, Elasticsearch, journald) reads fields instead of guessing
at text, and ``request_id`` ties a line to the request nginx logged under the same id
(``X-Request-ID``). No personal data goes in: the access line names the route *template*
(``/api/v1/diners/{diner_id}``), never the query string, where a search for a name or a phone
number would sit; log messages elsewhere name ids, never names, ID numbers or phones.
"""

import json
import logging
import logging.config
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id: ContextVar[str] = ContextVar("request_id", default="")
"""The id of the request being served in this task ("" outside a request)."""

_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "pid", "request_id"?, ...extra}`` on one line
    (``pid`` tells the workers of one server apart)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        rid = request_id.get()
        if rid:
            entry["request_id"] = rid
        entry.update(
            (key, value) for key, value in vars(record).items() if key not in _RECORD_FIELDS
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def config(level: str = "info") -> dict[str, Any]:
    """The ``logging.config`` dictionary for the app and uvicorn alike (uvicorn takes it as
    ``log_config``, so its own start-up and error lines come out as JSON too)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": handler},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
        },
    }


def configure(level: str = "info") -> None:
    logging.config.dictConfig(config(level))
