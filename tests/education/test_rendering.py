import json
import re

import pytest

from education.rendering import json_for_script, render_markdown, sanitise_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<p onclick="alert(1)" onmouseover="alert(2)">hover</p>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><input name="pw"></form>',
    "<style>body{display:none}</style>",
    '<object data="x.swf"></object><embed src="x.swf">',
    "<!-- <script>alert(1)</script> -->",
    '<a href="https://ok.example" onfocus="alert(1)" autofocus>x</a>',
    "<div><math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_and_html_never_survives(source):
    html = render_markdown(f"Intro paragraph.\n\n{source}\n\nOutro.").lower()
    for forbidden in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "onmouseover",
        "onfocus",
        "javascript:",
        "data:",
        "style=",
        "<style",
        "<iframe",
        "<svg",
        "<form",
        "<input",
        "<object",
        "<embed",
        "<img",
        "<meta",
        "<!--",
    ):
        assert forbidden not in html, (source, html)
    assert html.startswith("<p>intro paragraph.</p>")


def test_script_content_is_dropped_not_shown_as_text():
    assert render_markdown("<script>alert('x')</script>Safe").strip() == "<p>Safe</p>"


def test_allowed_markdown_survives():
    html = render_markdown(
        "## Section\n\n**Bold** and *italic*\n\n- one\n- two\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote"
    )
    assert "<h2>Section</h2>" in html
    assert "<strong>Bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<li>one</li>" in html
    assert "<table>" in html
    assert "<td>1</td>" in html
    assert "<blockquote>" in html


def test_links_keep_safe_schemes_and_get_noopener():
    html = render_markdown(
        "[site](https://example.org) [mail](mailto:a@example.org) [call](tel:+15550100) "
        "[local](/education/x/)"
    )
    assert html.count('rel="noopener noreferrer"') == 4
    assert 'href="https://example.org"' in html
    assert 'href="mailto:a@example.org"' in html
    assert 'href="tel:+15550100"' in html
    assert 'href="/education/x/"' in html


def test_an_attacker_supplied_rel_or_target_is_replaced():
    html = sanitise_html('<a href="https://x.example" rel="opener" target="_blank">x</a>')
    assert html == '<a href="https://x.example" rel="noopener noreferrer">x</a>'


def test_json_for_script_cannot_close_the_script_element():
    data = {"name": "</script><script>alert(1)</script>", "note": "<!-- & -->"}
    text = str(json_for_script(data))
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(text) == data
    assert re.search(r"\\u003C/script\\u003E", text)
