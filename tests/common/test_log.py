import json
import logging

from canlian.common.log import JsonFormatter, bind_request_id, redact, reset_request_id


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
