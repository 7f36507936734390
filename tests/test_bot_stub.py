"""The stand-in Bot API server rejects what Telegram rejects — otherwise the bot tests prove little."""

from __future__ import annotations

import httpx
import pytest
from botapi_stub import TOKEN, TelegramReject, check_markup, check_text, parse_html


@pytest.mark.parametrize(
    "text",
    [
        "<script>x</script>",
        "<b>unclosed",
        "<b><i>x</b></i>",
        "a < b",
        "a > b",
        "R&D",
        "&nbsp;",
        '<span class="x">s</span>',
        '<a title="t">x</a>',
        "<blockquote><blockquote>x</blockquote></blockquote>",
    ],
)
def test_malformed_or_unsupported_html_is_rejected(text):
    with pytest.raises(TelegramReject, match="can't parse entities"):
        parse_html(text)


def test_supported_html_is_parsed_to_its_visible_text():
    text = (
        "<b>b</b><strong>s</strong><i>i</i><u>u</u><s>s</s><tg-spoiler>x</tg-spoiler>"
        '<span class="tg-spoiler">y</span><a href="https://e.org">a</a><code>c</code><pre>p</pre>'
        "<blockquote expandable>q &lt;&gt;&amp;&quot;&#38;&#x26;</blockquote>"
    )
    assert parse_html(text) == 'bsiusxyacpq <>&"&&'


def test_length_is_counted_after_entity_parsing_in_utf16_units():
    assert check_text("<b>" + "字" * 4096 + "</b>", "HTML")
    with pytest.raises(TelegramReject, match="too long"):
        check_text("😀" * 2049, None)  # 4098 UTF-16 code units
    with pytest.raises(TelegramReject, match="empty"):
        check_text("<b> </b>", "HTML")


def test_callback_data_over_64_bytes_is_rejected():
    check_markup({"inline_keyboard": [[{"text": "ok", "callback_data": "字" * 21}]]})
    with pytest.raises(TelegramReject, match="BUTTON_DATA_INVALID"):
        check_markup({"inline_keyboard": [[{"text": "no", "callback_data": "字" * 22}]]})


async def test_requests_are_recorded_and_errors_injected(stub):
    url = f"{stub.base_url}{TOKEN}"
    async with httpx.AsyncClient() as client:
        ok = await client.post(
            f"{url}/sendMessage", data={"chat_id": "1", "text": "<b>hi</b>", "parse_mode": "HTML"}
        )
        bad = await client.post(
            f"{url}/sendMessage", data={"chat_id": "1", "text": "<b>hi", "parse_mode": "HTML"}
        )
        stub.fail_next("sendMessage", 429, retry_after=3)
        limited = await client.post(f"{url}/sendMessage", data={"chat_id": "1", "text": "x"})
        wrong_token = await client.post(f"{stub.base_url}1:other/getMe")
    assert ok.json()["result"]["text"] == "hi"
    assert bad.status_code == 400 and "can't parse entities" in bad.json()["description"]
    assert limited.status_code == 429 and limited.json()["parameters"] == {"retry_after": 3}
    assert wrong_token.status_code == 401
    assert [c.params.get("chat_id") for c in stub.calls] == [1, 1, 1]
    assert len(stub.rejected) == 1
