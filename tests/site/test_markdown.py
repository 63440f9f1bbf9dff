"""Contributor Markdown renders as GitHub's preview shows it (cmark-gfm), and stays safe."""

from __future__ import annotations

import pytest

from connect_site.site.markdown import render_html

REL = 'rel="nofollow noopener noreferrer ugc"'


@pytest.mark.parametrize(
    ("body", "html"),
    [
        # A list nested by two spaces nests (Python-Markdown needed four).
        ("- a\n  - b", "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"),
        # A bare address is a link, as on GitHub.
        ("See https://example.org/a.", f'<p>See <a href="https://example.org/a" {REL}>https://example.org/a</a>.</p>'),
        ("<https://example.org/>", f'<p><a href="https://example.org/" {REL}>https://example.org/</a></p>'),
        ("~~old~~ new", "<p><del>old</del> new</p>"),
        (
            "| a | b |\n|---|:-:|\n| 1 | 2 |",
            '<table>\n<thead>\n<tr>\n<th>a</th>\n<th align="center">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
            '<td>1</td>\n<td align="center">2</td>\n</tr>\n</tbody>\n</table>',
        ),
        # Headings start at h2, without gaps.
        ("### Three\n\n#### Four", "<h2>Three</h2>\n<h3>Four</h3>"),
        # A task list item stays the text that was typed (checkboxes are form controls).
        ("- [ ] to do", "<ul>\n<li>[ ] to do</li>\n</ul>"),
        # An image is a link to it.
        ('![map](https://example.org/m.png "t")', f'<p><a href="https://example.org/m.png" {REL}>map (image)</a></p>'),
    ],
)
def test_github_flavoured(body: str, html: str) -> None:
    assert render_html(body) == html


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ('<img src=x onerror="alert(1)">', '<p>&lt;img src=x onerror="alert(1)"&gt;</p>'),
        (
            '<iframe src="https://evil.example"></iframe>',
            '<p>&lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;</p>',
        ),
        ("<b>bold</b>", "<p>&lt;b&gt;bold&lt;/b&gt;</p>"),
        ("<div>\n\n*x*\n\n</div>", "<p>&lt;div&gt;</p>\n<p><em>x</em></p>\n<p>&lt;/div&gt;</p>"),
        # In code, what was typed is shown, once escaped.
        ("`<br>` and &lt;", "<p><code>&lt;br&gt;</code> and &lt;</p>"),
        ("```\n<p>\n```", "<pre><code>&lt;p&gt;\n</code></pre>"),
        # A link cmark will not make (javascript:) is plain text.
        ("[x](javascript:alert(1))", "<p>x</p>"),
        ("<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>"),
    ],
)
def test_raw_html_is_the_text_that_was_typed(body: str, html: str) -> None:
    assert render_html(body) == html


def test_the_stand_in_character_cannot_be_smuggled_in() -> None:
    assert render_html("a \ufdd0script> b") == "<p>a script&gt; b</p>"
