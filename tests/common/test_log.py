import json
import logging
import sys

import pytest

from canlian.common.log import (
    JsonFormatter,
    TextFormatter,
    bind_request_id,
    choose_format,
    configure_logging,
    redact,
    reset_request_id,
)


def test_redacts_citizen_ids_card_numbers_and_phones() -> None:
    text = "id 11010519491231002X card 1101051949123100241 phone 13812345678"
    cleaned = redact(text)
    assert "11010519491231002X" not in cleaned
    assert "13812345678" not in cleaned
    assert "110***********X" in cleaned


def test_json_lines_carry_the_request_id() -> None:
    record = logging.LogRecord(
        "t", logging.INFO, __file__, 1, "saw %s", ("11010519491231002X",), None
    )
    token = bind_request_id("req-1")
    try:
        line = json.loads(JsonFormatter("cards").format(record))
    finally:
        reset_request_id(token)
    assert line["request_id"] == "req-1"
    assert line["service"] == "cards"
    assert "11010519491231002X" not in line["message"]


class _Stream:
    def __init__(self, terminal: bool) -> None:
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def test_auto_is_text_on_a_terminal_and_json_otherwise_or_in_production() -> None:
    assert choose_format(None, stream=_Stream(True)) == "text"
    assert choose_format("auto", stream=_Stream(False)) == "json"
    assert choose_format("auto", stream=_Stream(True), production=True) == "json"
    assert choose_format("JSON", stream=_Stream(True)) == "json"
    assert choose_format("text", stream=_Stream(False), production=True) == "text"
    with pytest.raises(ValueError, match="CANLIAN_LOG_FORMAT"):
        choose_format("yaml", stream=_Stream(True))


def _request_record() -> logging.LogRecord:
    record = logging.LogRecord(
        "canlian.access",
        logging.WARNING,
        __file__,
        1,
        "POST /v1/persons %s",
        ("13812345678",),
        None,
    )
    record.method = "POST"
    record.status = 409
    record.duration_ms = 12.5
    return record


def test_text_lines_name_service_level_message_and_fields_redacted() -> None:
    token = bind_request_id("req-7")
    try:
        line = TextFormatter("cards").format(_request_record())
    finally:
        reset_request_id(token)
    assert "\n" not in line
    assert "\x1b" not in line
    service, _clock, level, *rest = line.split(" ")
    assert (service, level) == ("cards", "WARNING")
    text = " ".join(rest)
    assert text.startswith("POST /v1/persons 138****5678")
    assert "13812345678" not in line
    assert text.endswith("request_id=req-7 method=POST status=409 duration_ms=12.5")


def test_text_lines_are_coloured_only_when_asked() -> None:
    coloured = TextFormatter("cards", colour=True).format(_request_record())
    assert "\x1b[33mWARNING" in coloured
    assert coloured.startswith("\x1b[36mcards\x1b[0m ")


def test_text_lines_carry_the_traceback_redacted() -> None:
    try:
        raise RuntimeError("bad id 11010519491231002X")
    except RuntimeError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = TextFormatter("members").format(record)
    assert line.splitlines()[0].endswith("failed")
    assert "Traceback" in line
    assert "RuntimeError" in line
    assert "11010519491231002X" not in line


def test_alembic_is_quiet_unless_debugging(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANLIAN_LOG_FORMAT", "text")
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("metrics", "INFO")
        assert isinstance(root.handlers[0].formatter, TextFormatter)
        assert logging.getLogger("alembic").getEffectiveLevel() == logging.WARNING
        monkeypatch.setenv("CANLIAN_LOG_FORMAT", "json")
        configure_logging("metrics", "INFO")
        assert isinstance(root.handlers[0].formatter, JsonFormatter)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.getLogger("alembic").setLevel(logging.NOTSET)
