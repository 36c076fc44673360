"""Hostile uploads for the upload page: case generators and the checks every answer must pass.

Shared by tests/newsroom/test_upload_fuzz.py (a fixed seed, a modest number of cases) and
bench/fuzz_upload.py (thousands of cases and a summary table). Everything random comes from
one seeded ``random.Random``, so a case can be replayed from the seed and its number.

A case is what a browser sends: the upload form as multipart/form-data with the CSRF token,
the files under their own names, with or without htmx. When the preview stages the batch,
the form it returns is submitted again with "Save" as the browser would (hidden stage token,
the prefilled headlines); then every page the saved articles appear on is fetched. Checks:

* no 5xx, and no exception escaping the view;
* a 4xx shows an error sentence, naming a refused file (or the pasted text) when one is;
* a refused batch changes nothing: articles, paragraphs, stories and outlets are as before;
* a saved batch is saved whole, and no stored paragraph or byline keeps a tag;
* no page shows anything active that came from an upload: no <script> except the app's own
  (``src`` under STATIC_URL, no inline code), no ``on*`` or ``style`` attribute, no
  ``javascript:`` (or ``vbscript:``/``data:``) URL, no iframe, object, embed or style element;
* files that must be refused are refused, and clean files with visible text are accepted.

Needs configured Django settings and a database (imported by tests and the bench script).
"""

from __future__ import annotations

import dataclasses
import html
import io
import os
import random
import re
import secrets
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

import docx
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse

from newsroom.ingest import MAX_UPLOAD_BYTES, SUPPORTED_EXTENSIONS
from newsroom.models import Article, Outlet, Paragraph, Story

URL = reverse("upload")
REJECT, ACCEPT, EITHER = "reject", "accept", "either"
TEXT_EXTENSIONS = (".txt", ".md", ".html")

# Kinds of problem a case can show; every count must be zero.
PROBLEM_KINDS = (
    "server error",  # a 5xx, or an exception escaping the view
    "partial save",  # a refused batch changed the database, or a batch was saved in part
    "script in page",  # an active element or attribute from an upload reached a page
    "unclear refusal",  # a 4xx without an error sentence naming the refused file
    "bad file accepted",  # a file that must be refused was not
    "good file refused",  # a clean file with visible text was refused
    "tag stored",  # a stored paragraph or byline still contains markup
)

# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FuzzFile:
    name: str  # as the browser sends it; the server strips paths and odd characters
    data: bytes
    expect: str  # REJECT, ACCEPT or EITHER


@dataclass(frozen=True)
class Case:
    number: int
    category: str
    files: tuple[FuzzFile, ...] = ()
    text: str = ""
    text_expect: str = EITHER
    new_story: str = ""  # name a new story / outlet instead of choosing the existing one
    new_outlet: str = ""
    fields: tuple[tuple[str, str], ...] = ()  # other form fields to override
    fields_expect: str = ACCEPT
    htmx: bool = False
    stale: bool = False  # store the same text through another upload between preview and save

    def expectation(self) -> str:
        """REJECT if anything in the batch must be refused, ACCEPT if all of it must be
        accepted, EITHER otherwise."""
        sent = [f.expect for f in self.files if server_file_name(f.name) is not None]
        if self.text.strip():
            sent.append(self.text_expect)
        if not sent:
            return REJECT  # nothing to upload
        sent += [self.fields_expect, REJECT if self.stale else ACCEPT]
        if REJECT in sent:
            return REJECT
        return ACCEPT if all(item == ACCEPT for item in sent) else EITHER


def server_file_name(name: str) -> str | None:
    """The name the view sees: Django's multipart sanitising, UploadedFile's 255-character
    cap, then the view's PurePath(...).name. None when Django drops the file."""
    name = html.unescape(name).rsplit("/")[-1].rsplit("\\")[-1]
    name = "".join(char for char in name if char.isprintable())
    if name in {"", ".", ".."}:
        return None
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        ext = ext[:255]
        name = stem[: 255 - len(ext)] + ext
    return PurePath(name).name


# Paragraphs of a clean article; every case gets a unique number so no two texts collide.
_SENTENCES = [
    "The harbour board voted on Tuesday to close the northern wharf for repairs.",
    "Council staff said the work would take eleven weeks and cost $4.2 million.",
    '"It is a disgrace," said the mayor, Ana Roe, after the vote.',
    "Fishing crews will moor at the southern basin until the wharf reopens.",
    "The union asked whether workers would be paid during the closure.",
    "A report to the board found corrosion in 40 per cent of the piles.",
    "Ratepayers will be asked for their views at three meetings next month.",
    "The ferry operator said timetables would not change.",
]


def _article_paragraphs(rng: random.Random, nonce: str, count: int | None = None) -> list[str]:
    count = count or rng.randint(2, 5)
    chosen = rng.sample(_SENTENCES, min(count, len(_SENTENCES)))
    return [f"Session {nonce}: {chosen[0]}", *chosen[1:]]


# Markup that must never come back as anything but inert text.
HOSTILE_HTML = [
    "<script>alert('x')</script>",
    "<script src='https://evil.example/x.js'></script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=1></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<p onclick=\"steal()\" onmouseover='x()'>hover</p>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href=" JaVaScRiPt:alert(1)">mixed case</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">ent</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button formaction=javascript:alert(2)>go</button></form>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<input autofocus onfocus=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<x-widget onclick=alert(1)>custom</x-widget>",
    "javascript:alert(1)",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "{{ 7|add:7 }} {% csrf_token %}",
]
# Unclosed openers: what follows them is script, style or raw text to the parser (as in a
# browser), so they only ever end a document.
TRAILING_HTML = [
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<plaintext><script>alert(1)</script>",
    "<xmp><script>alert(1)</script>",
    "<style><img src=x onerror=alert(1)>",
    "<script>alert(1)",
    "<noscript><img src=x onerror=alert(1)>",
    "<textarea><script>alert(1)</script>",
    "<iframe><script>alert(1)</script>",
    "<!--<script>alert(1)</script>",
    "<svg><script>alert(1)</script>",
    "<a href='javascript:alert(1)'>unclosed",
]
HOSTILE_MARKDOWN = [
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '[ref][x]\n\n[x]: javascript:alert(1) "title"',
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "<div onmouseover=alert(1)>\n\n*emphasis* inside\n\n</div>",
    "**bold <img src=x onerror=alert(1)>**",
    "`<script>alert(1)</script>`",
]
# Inputs that are slow for some parser (see newsroom/ingest/limits.py); repeated to ~2 MB.
PATHOLOGICAL_UNITS = [
    "[", "![", "*a", "_a", "**a", "[x][", "[](", "`a", "<", "&", "&#", "&lt;b&gt;", "#",
    "<p>", "<div>", "<b>", "a<br>", "<a href=x>", "\\[", "> ", "- ", "|", "<!--", "a\n",
    "a\n\n", "- a\n  ", "<p a=b " + "c=d " * 200 + ">", "&amp;", '"', "'", "…", "\u200b",
]  # fmt: skip


def _html_page(rng: random.Random, paragraphs: list[str], hostile: list[str]) -> str:
    body = []
    for text in paragraphs:
        body.append(f"<p>{html.escape(text, quote=False)} {rng.choice(hostile)}</p>")
        if rng.random() < 0.5:
            body.append(rng.choice(hostile))
    title = rng.choice(["Wharf closes", "</title><script>alert(1)</script>", "T&amp;C"])
    end = rng.choice(TRAILING_HTML) if rng.random() < 0.5 else "</body></html>"
    return (
        f"<!doctype html><html><head><title>{title}</title>{rng.choice(hostile)}"
        f'<meta name="author" content="{rng.choice(["Jane Roe", "<b>x</b>", "&quot;x"])}">'
        f"</head><body><h1>Wharf {rng.choice(hostile)}</h1>{''.join(body)}{end}"
    )


def _markdown(rng: random.Random, paragraphs: list[str], hostile: list[str]) -> str:
    parts = [f"# Wharf {rng.choice(hostile)}"]
    for text in paragraphs:
        parts.append(f"{text} {rng.choice(hostile)}")
        if rng.random() < 0.5:
            parts.append(rng.choice(hostile))
    if rng.random() < 0.5:
        parts.append(rng.choice(TRAILING_HTML))
    return "\n\n".join(parts) + "\n"


def _docx_bytes(paragraphs: list[str], title: str = "", author: str = "") -> bytes:
    word = docx.Document()
    word.add_heading("Wharf to close", level=1)
    for text in paragraphs:
        word.add_paragraph(text)
    word.core_properties.title = title
    word.core_properties.author = author
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), content, method)
    return buffer.getvalue()


def _docx_replacing(members: dict[str, bytes | None], paragraphs: list[str]) -> bytes:
    """A real .docx with some parts replaced (bytes) or removed (None)."""
    with zipfile.ZipFile(io.BytesIO(_docx_bytes(paragraphs))) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    for name, content in members.items():
        if content is None:
            parts.pop(name, None)
        else:
            parts[name] = content
    return _zip(parts)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _word_xml(inner: str) -> bytes:
    return f'<?xml version="1.0"?><w:document {_W}><w:body>{inner}</w:body></w:document>'.encode()


# --------------------------------------------------------------------------------------------
# Generators: each returns the files (and pasted text) of one case
# --------------------------------------------------------------------------------------------


@dataclass
class Draw:
    """What a generator contributes to a case."""

    files: list[FuzzFile] = field(default_factory=list)
    text: str = ""
    text_expect: str = EITHER


Generator = Callable[[random.Random, str], Draw]


def _pick_ext(rng: random.Random) -> str:
    return rng.choice(SUPPORTED_EXTENSIONS)


def gen_random_bytes(rng: random.Random, nonce: str) -> Draw:
    size = rng.choice([1, 2, 7, 64, 512, 4096, 65_536, rng.randint(1, 300_000)])
    data = rng.randbytes(size)
    ext = _pick_ext(rng)
    if ext == ".docx" and not data.startswith(b"PK"):
        return Draw([FuzzFile(f"noise-{nonce}{ext}", data, REJECT)])
    return Draw([FuzzFile(f"noise-{nonce}{ext}", data, EITHER)])


_INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x28\x8c\x28"]
_INVALID_UTF8 += [b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xbf\xbf"]


def gen_invalid_utf8(rng: random.Random, nonce: str) -> Draw:
    text = "\n\n".join(_article_paragraphs(rng, nonce)).encode()
    cuts = sorted(rng.sample(range(len(text)), rng.randint(1, 12)))
    pieces, last = [], 0
    for cut in cuts:
        pieces += [text[last:cut], rng.choice(_INVALID_UTF8)]
        last = cut
    data = b"".join([*pieces, text[last:]])
    if rng.random() < 0.2:  # a UTF-16 byte-order mark over an odd number of bytes
        data = b"\xff\xfe" + data[: len(data) | 1]
    return Draw([FuzzFile(f"mangled-{nonce}{rng.choice(TEXT_EXTENSIONS)}", data, EITHER)])


def gen_empty(rng: random.Random, nonce: str) -> Draw:
    data = rng.choice(
        [b"", b"\x00" * rng.randint(1, 5000), b" \n\t\r\n " * rng.randint(1, 50), b"\xef\xbb\xbf"]
        + [b"\xef\xbb\xbf   \n", "\u200b\u200b\n\u00a0".encode(), b"<html></html>", b"<!-- -->"]
    )
    return Draw([FuzzFile(f"empty-{nonce}{_pick_ext(rng)}", data, REJECT)])


def gen_over_limit(rng: random.Random, nonce: str) -> Draw:
    size = MAX_UPLOAD_BYTES + rng.choice([1, 2, 1024, rng.randint(1, 1_500_000)])
    unit = rng.choice([b"word ", b"<p>para</p>\n", b"x", rng.randbytes(64)])
    data = (unit * (size // len(unit) + 1))[:size]
    return Draw([FuzzFile(f"big-{nonce}{_pick_ext(rng)}", data, REJECT)])


def gen_zip_junk(rng: random.Random, nonce: str) -> Draw:
    real = _docx_bytes(_article_paragraphs(rng, nonce))
    data = rng.choice(
        [
            b"PK\x03\x04" + rng.randbytes(rng.randint(0, 4000)),
            b"PK\x05\x06" + bytes(18),
            b"PK\x05\x06" + rng.randbytes(rng.randint(0, 64)),
            real[: rng.randint(4, len(real) - 1)],
            real[:30] + rng.randbytes(200) + real[230:],
            b"PK" + rng.randbytes(100),
            _zip({f"junk-{i}.bin": rng.randbytes(50) for i in range(rng.randint(0, 5))}),
        ]
    )
    return Draw([FuzzFile(f"archive-{nonce}{_pick_ext(rng)}", data, REJECT)])


def gen_docx_junk(rng: random.Random, nonce: str) -> Draw:
    paragraphs = _article_paragraphs(rng, nonce)
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f"]><w:document {_W}><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    choice = rng.randrange(10)
    expect = REJECT
    if choice == 0:
        data = _docx_replacing({"word/document.xml": None}, paragraphs)
    elif choice == 1:
        data = _docx_replacing({"word/document.xml": rng.randbytes(500)}, paragraphs)
    elif choice == 2:
        data = _docx_replacing({"word/document.xml": b"<w:document><w:body><w:p>"}, paragraphs)
    elif choice == 3:  # a zip bomb: 25 MB of zeros in a few kilobytes
        data = _docx_replacing({"word/media/zeros.bin": bytes(25 * 2**20)}, paragraphs)
    elif choice == 4:
        data = _docx_replacing({f"word/x{i}.xml": b"<x/>" for i in range(2100)}, paragraphs)
    elif choice == 5:
        data, expect = _docx_replacing({"word/document.xml": laughs}, paragraphs), EITHER
    elif choice == 6:  # deep nesting inside the body
        deep = "<w:sdt><w:sdtContent>" * 5000 + "</w:sdtContent></w:sdt>" * 5000
        data, expect = _docx_replacing({"word/document.xml": _word_xml(deep)}, paragraphs), EITHER
    elif choice == 7:  # huge XML: a body of many paragraphs, under the unpacked cap
        body = "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 400_000
        data, expect = _docx_replacing({"word/document.xml": _word_xml(body)}, paragraphs), EITHER
    elif choice == 8:
        data, expect = _docx_replacing({"[Content_Types].xml": None}, paragraphs), EITHER
    else:
        data = _docx_replacing({"word/document.xml": _word_xml("")}, paragraphs)
    return Draw([FuzzFile(f"word-{nonce}.docx", data, expect)])


def gen_hostile_html(rng: random.Random, nonce: str) -> Draw:
    page = _html_page(rng, _article_paragraphs(rng, nonce), HOSTILE_HTML)
    ext = rng.choice([".html", ".htm", ".txt"])  # a .txt holding a whole page is read as HTML
    return Draw([FuzzFile(f"page-{nonce}{ext}", page.encode(), ACCEPT)])


def gen_hostile_markdown(rng: random.Random, nonce: str) -> Draw:
    text = _markdown(rng, _article_paragraphs(rng, nonce), HOSTILE_MARKDOWN + HOSTILE_HTML)
    return Draw([FuzzFile(f"notes-{nonce}.md", text.encode(), ACCEPT)])


def gen_hostile_text(rng: random.Random, nonce: str) -> Draw:
    lines = [f"{p} {rng.choice(HOSTILE_HTML)}" for p in _article_paragraphs(rng, nonce)]
    encoding = rng.choice(["utf-8", "utf-8-sig", "utf-16", "cp1252"])
    data = "\n\n".join(lines).encode(encoding, "replace")
    return Draw([FuzzFile(f"wire-{nonce}.txt", data, ACCEPT)])


def gen_hostile_docx(rng: random.Random, nonce: str) -> Draw:
    paragraphs = [f"{p} {rng.choice(HOSTILE_HTML)}" for p in _article_paragraphs(rng, nonce)]
    data = _docx_bytes(paragraphs, title=rng.choice(HOSTILE_HTML), author=rng.choice(HOSTILE_HTML))
    return Draw([FuzzFile(f"word-{nonce}.docx", data, ACCEPT)])


def gen_hostile_paste(rng: random.Random, nonce: str) -> Draw:
    paragraphs = _article_paragraphs(rng, nonce)
    if rng.random() < 0.5:
        text = _html_page(rng, paragraphs, HOSTILE_HTML)
    else:
        text = "\n\n".join(f"{p} {rng.choice(HOSTILE_HTML)}" for p in paragraphs)
    return Draw(text=text, text_expect=ACCEPT)


def gen_huge_line(rng: random.Random, nonce: str) -> Draw:
    """About 2 MB (just under the limit) of one pathological unit, or of prose on one line."""
    if rng.random() < 0.3:
        unit = " ".join(_article_paragraphs(rng, nonce)) + " "
    else:
        unit = rng.choice(PATHOLOGICAL_UNITS)
    size = MAX_UPLOAD_BYTES - rng.randint(0, 4096)
    data = (unit.encode() * (size // len(unit.encode()) + 1))[:size]
    if rng.random() < 0.2:
        return Draw(text=data.decode("utf-8", "ignore"), text_expect=EITHER)
    return Draw([FuzzFile(f"line-{nonce}{rng.choice(TEXT_EXTENSIONS)}", data, EITHER)])


def gen_big_paste(rng: random.Random, nonce: str) -> Draw:
    text = "The council met. " * ((MAX_UPLOAD_BYTES + rng.randint(1, 500_000)) // 17 + 1)
    return Draw(text=text, text_expect=REJECT)


_ODD_NAMES: list[tuple[str, str | None]] = [
    # (name, extension the content is written as; None keeps the file's own)
    ("../../etc/passwd-{n}.txt", ".txt"),
    ("..\\..\\windows\\win-{n}.html", ".html"),
    ("C:\\fakepath\\report-{n}.md", ".md"),
    ("/absolute/path/story-{n}.html", ".html"),
    ("<img src=x onerror=alert(1)>-{n}.txt", ".txt"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;-{n}.txt", ".txt"),
    ('"quoted" name-{n}.txt', ".txt"),
    ("new\nline-{n}.txt", ".txt"),
    ("tab\tname-{n}.md", ".md"),
    ("\u202egnp-{n}.txt", ".txt"),
    ("Ωmega – “quotes” 日本語 😀 {n}.md", ".md"),
    ("naïve café {n}.HTML", ".html"),
    ("{long}{n}.txt", ".txt"),
    ("{n}.docx", ".docx"),
    (".txt", ".txt"),
    ("story-{n}.TXT", ".txt"),
    ("story-{n}.exe.txt", ".txt"),
    ("story-{n}", None),
    ("story-{n}.", None),
    ("story-{n}.txt.exe", None),
    ("story-{n}.pdf", None),
    ("story-{n}.doc", None),
    ("story-{n}.js", None),
    ("story-{n}.svg", None),
    ("..", None),
    ("", None),
]


def gen_odd_name(rng: random.Random, nonce: str) -> Draw:
    pattern, written_as = rng.choice(_ODD_NAMES)
    name = pattern.format(n=nonce, long="x" * rng.randint(250, 400))
    paragraphs = _article_paragraphs(rng, nonce)
    if written_as == ".docx":
        data = _docx_bytes(paragraphs)
    elif written_as == ".html":
        data = _html_page(rng, paragraphs, HOSTILE_HTML).encode()
    else:
        data = "\n\n".join(paragraphs).encode()
    if written_as is None:
        expect = REJECT
    elif name.rsplit(".", 1)[-1].lower() in {"txt", "md", "html", "htm", "docx"}:
        expect = ACCEPT
    else:
        expect = REJECT
    return Draw([FuzzFile(name, data, expect)])


def gen_wrong_extension(rng: random.Random, nonce: str) -> Draw:
    paragraphs = _article_paragraphs(rng, nonce)
    real_docx = _docx_bytes(paragraphs)
    text = "\n\n".join(paragraphs).encode()
    page = _html_page(rng, paragraphs, HOSTILE_HTML).encode()
    choices = [
        (real_docx, rng.choice(TEXT_EXTENSIONS), REJECT),  # a zip is not text
        (text, ".docx", REJECT),
        (page, ".docx", REJECT),
        (page, ".md", ACCEPT),  # raw HTML in Markdown is sanitised like HTML
        (b"%PDF-1.4\n" + rng.randbytes(300), rng.choice(TEXT_EXTENSIONS), REJECT),
        (b"\x89PNG\r\n\x1a\n" + rng.randbytes(300), _pick_ext(rng), REJECT),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(300), ".docx", REJECT),
        (b"{\\rtf1\\ansi " + text + b"}", rng.choice(TEXT_EXTENSIONS), REJECT),
        (b"\x1f\x8b\x08" + rng.randbytes(100), _pick_ext(rng), REJECT),
    ]
    data, ext, expect = rng.choice(choices)
    return Draw([FuzzFile(f"renamed-{nonce}{ext}", data, expect)])


# Generators of a single file, by category, with the weight each gets in a run.
SINGLE: dict[str, tuple[Generator, int]] = {
    "random bytes": (gen_random_bytes, 8),
    "invalid utf-8": (gen_invalid_utf8, 8),
    "empty or blank": (gen_empty, 6),
    "over the limit": (gen_over_limit, 3),
    "zip-like junk": (gen_zip_junk, 6),
    "docx-like junk": (gen_docx_junk, 4),
    "hostile html": (gen_hostile_html, 12),
    "hostile markdown": (gen_hostile_markdown, 8),
    "hostile text": (gen_hostile_text, 6),
    "hostile docx": (gen_hostile_docx, 5),
    "hostile paste": (gen_hostile_paste, 6),
    "huge single line": (gen_huge_line, 3),
    "paste over the limit": (gen_big_paste, 1),
    "odd file name": (gen_odd_name, 10),
    "wrong extension": (gen_wrong_extension, 6),
}
_CLEAN = ("hostile html", "hostile markdown", "hostile text", "hostile docx")
_BAD = ("empty or blank", "zip-like junk", "wrong extension", "over the limit")
OTHER_WEIGHTS = {"mixed batch": 10, "hostile fields": 3, "too many files": 1, "stale preview": 2}
CATEGORIES = (*SINGLE, *OTHER_WEIGHTS)


def _hostile_name(rng: random.Random, nonce: str) -> str:
    return f"{rng.choice(HOSTILE_HTML)} {nonce}"[:190]


def generate_case(rng: random.Random, number: int, category: str | None = None) -> Case:
    """One case; its category is drawn by weight unless given."""
    if category is None:
        weights = {name: weight for name, (_, weight) in SINGLE.items()} | OTHER_WEIGHTS
        category = rng.choices(list(weights), list(weights.values()))[0]
    nonce = f"{number}-{rng.randrange(16**6):06x}"
    htmx = rng.random() < 0.5
    new_story = _hostile_name(rng, nonce) if rng.random() < 0.15 else ""
    new_outlet = _hostile_name(rng, nonce) if rng.random() < 0.1 else ""
    common = {"number": number, "category": category, "htmx": htmx}
    common |= {"new_story": new_story, "new_outlet": new_outlet}
    if category in SINGLE:
        draw = SINGLE[category][0](rng, nonce)
        return Case(files=tuple(draw.files), text=draw.text, text_expect=draw.text_expect, **common)
    if category == "mixed batch":
        files: list[FuzzFile] = []
        for index in range(rng.randint(2, 6)):
            kind = rng.choice(_CLEAN) if index == 0 or rng.random() < 0.6 else None
            kind = kind or rng.choice([*_BAD, "random bytes", "invalid utf-8", "odd file name"])
            files += SINGLE[kind][0](rng, f"{nonce}-{index}").files
        rng.shuffle(files)
        return Case(files=tuple(files), **common)
    if category == "hostile fields":
        draw = gen_hostile_text(rng, nonce)
        bad = rng.choice(
            [
                ("source_url", "javascript:alert(1)"),
                ("source_url", "data:text/html,<script>alert(1)</script>"),
                ("published", "<script>alert(1)</script>"),
                ("genre", "<script>"),
                ("story", "99999999"),
                ("outlet", "' OR 1=1 --"),
            ]
        )
        return Case(files=tuple(draw.files), fields=(bad,), fields_expect=REJECT, **common)
    if category == "too many files":
        count = settings.UPLOAD_MAX_FILES + rng.randint(1, 3)
        files = [gen_hostile_text(rng, f"{nonce}-{i}").files[0] for i in range(count)]
        return Case(files=tuple(files), fields_expect=REJECT, **common)
    if category == "stale preview":  # with a new story, which must not be left behind
        draw = gen_hostile_html(rng, nonce)
        common["new_story"] = common["new_story"] or f"Stale preview {nonce}"
        return Case(files=tuple(draw.files), stale=True, **common)
    raise ValueError(f"unknown category {category!r}")


def generate_cases(seed: int, count: int, first: int = 0) -> Iterator[Case]:
    rng = random.Random(seed)
    for number in range(first, first + count):
        yield generate_case(rng, number)


# --------------------------------------------------------------------------------------------
# Checks on pages and stored text
# --------------------------------------------------------------------------------------------

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href"}
_URL_ATTRIBUTES |= {"background", "poster", "codebase", "cite", "longdesc", "ping", "srcset"}
_FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "style"}
_FORBIDDEN_ELEMENTS |= {"base", "svg", "math", "template", "noscript", "portal"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_SCRIPT_SCHEME = re.compile(r"(?:java|vb|live)script:|data:(?!image/(?:png|gif|jpe?g|webp);)")
TAG = re.compile(r"<[A-Za-z/!?]")


def page_problems(page: str) -> list[str]:
    """Anything active in a page that the app's own templates never produce."""
    problems = []
    soup = BeautifulSoup(page, "lxml")
    static = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    )
    for tag in soup.find_all(True):
        name = tag.name.lower()
        if name == "script" and (not str(tag.get("src", "")).startswith(static) or tag.string):
            problems.append(f"<script> not from {static}: {str(tag)[:120]}")
        if name in _FORBIDDEN_ELEMENTS and not _own_noscript(tag):
            problems.append(f"<{name}> element: {str(tag)[:120]}")
        if name == "meta" and str(tag.get("http-equiv", "")).lower() == "refresh":
            problems.append(f"meta refresh: {str(tag)[:120]}")
        if name == "link" and not str(tag.get("href", "")).startswith(static):
            problems.append(f"<link> not from {static}: {str(tag)[:120]}")
        for attribute, value in tag.attrs.items():
            attribute = attribute.lower()
            if attribute.startswith("on") or attribute == "style":
                problems.append(f"{attribute}= attribute on <{name}>")
            values = value if isinstance(value, list) else [value]
            if attribute in _URL_ATTRIBUTES and any(
                _SCRIPT_SCHEME.match(_INVISIBLE.sub("", html.unescape(str(v))).lower())
                for v in values
            ):
                problems.append(f"script URL in {attribute}= on <{name}>: {values[0][:80]}")
    return problems


# The one <noscript> the app's templates write: a cached verdict's way to label without
# JavaScript (stance/paragraph.html#verdict), a link to the paragraph's own page.
_OWN_NOSCRIPT = re.compile(
    r'<noscript><a href="/paragraphs/\d+/explain/">Label it on its own page</a></noscript>'
)


def _own_noscript(tag) -> bool:
    return tag.name.lower() == "noscript" and bool(_OWN_NOSCRIPT.fullmatch(str(tag)))


def error_text(page: str) -> str:
    """The error box and field errors of an upload page, as one line of text."""
    soup = BeautifulSoup(page, "lxml")
    parts = [node.get_text(" ") for node in soup.select(".error-box, .field .error")]
    return " ".join(" ".join(parts).split())


def title_text(page: str) -> str:
    soup = BeautifulSoup(page, "lxml")
    return " ".join((soup.title.get_text() if soup.title else "").split())


def form_fields(page: str, button: str) -> list[tuple[str, str]]:
    """What a browser submits for the upload form when ``button`` ("save") is clicked."""
    soup = BeautifulSoup(page, "lxml")
    form = soup.find("form", id="upload-form")
    assert form is not None, "the page has the upload form"
    fields: list[tuple[str, str]] = []
    for element in form.find_all(["input", "select", "textarea", "button"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        kind = (element.get("type") or "text").lower()
        if element.name == "button":
            if element.get("value") == button:
                fields.append((name, button))
        elif element.name == "select":
            options = element.find_all("option")
            chosen = next(
                (o for o in options if o.has_attr("selected")), options[0] if options else None
            )
            fields.append((name, chosen.get("value", chosen.get_text()) if chosen else ""))
        elif element.name == "textarea":
            # Browsers drop the one newline that follows <textarea>; the parser already has.
            fields.append((name, element.get_text()))
        elif kind in {"checkbox", "radio"}:
            if element.has_attr("checked"):
                fields.append((name, element.get("value", "on")))
        elif kind not in {"file", "submit", "button", "image", "reset"}:
            fields.append((name, element.get("value", "")))
    return fields


# --------------------------------------------------------------------------------------------
# Sending a case
# --------------------------------------------------------------------------------------------


def encode_multipart(
    fields: list[tuple[str, str]], files: list[FuzzFile] | None
) -> tuple[bytes, str]:
    """multipart/form-data as browsers write it: quotes and line breaks in a file name are
    percent-encoded, the name is otherwise sent as typed (UTF-8), and a file input with no
    file selected is sent as an empty part with an empty file name."""
    boundary = "----StanceDeskFuzz" + secrets.token_hex(16)
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.replace("\r\n", "\n").replace("\n", "\r\n").encode() + b"\r\n")
    for upload in files or [FuzzFile("", b"", EITHER)]:
        quoted = upload.name.replace("\n", "%0A").replace("\r", "%0D").replace('"', "%22")
        out.write(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="files"; filename="{quoted}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        out.write(upload.data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Outcome:
    case: Case
    result: str = ""  # "accepted", "refused" or "server error"
    seconds: float = 0.0  # the slowest request of the case (wall clock)
    cpu_seconds: float = 0.0  # the most CPU time any one request of the case took
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail)

    def add(self, kind: str, detail: str) -> None:
        assert kind in PROBLEM_KINDS, kind
        self.problems.append((kind, detail[:300]))


class ServerError(Exception):
    pass


def _counts() -> tuple[int, int, int, int]:
    return (
        Article.objects.count(),
        Paragraph.objects.count(),
        Story.objects.count(),
        Outlet.objects.count(),
    )


class UploadFuzzer:
    """Sends cases through a signed-in admin's client and checks every answer."""

    def __init__(self, client: Client, story: Story, outlet: Outlet):
        self.client = client
        self.story = story
        self.outlet = outlet
        page = self._get(URL, None).content.decode()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, "the upload page carries a CSRF token"
        self.csrf = match.group(1)

    # Requests -------------------------------------------------------------------------

    def _timed(self, outcome: Outcome | None, send: Callable[[], object]):
        started, cpu = time.perf_counter(), time.process_time()
        try:
            response = send()
        except Exception as error:  # the test client re-raises what escaped the view
            raise ServerError(f"{type(error).__name__}: {error}") from error
        finally:
            if outcome is not None:
                outcome.seconds = max(outcome.seconds, time.perf_counter() - started)
                outcome.cpu_seconds = max(outcome.cpu_seconds, time.process_time() - cpu)
        if response.status_code >= 500:
            raise ServerError(f"HTTP {response.status_code}")
        return response

    def _get(self, url: str, outcome: Outcome | None):
        return self._timed(outcome, lambda: self.client.get(url))

    def _post(self, outcome: Outcome, fields, files, htmx: bool):
        body, content_type = encode_multipart(fields, files)
        headers = {"HX-Request": "true"} if htmx else {}
        return self._timed(
            outcome,
            lambda: self.client.post(URL, body, content_type=content_type, headers=headers),
        )

    # A case ---------------------------------------------------------------------------

    def run(self, case: Case) -> Outcome:
        outcome = Outcome(case)
        try:
            self._run(case, outcome)
        except ServerError as error:
            outcome.result = "server error"
            outcome.add("server error", f"{error}")
        # Keep the names, not the megabytes, of what was sent.
        files = tuple(dataclasses.replace(upload, data=b"") for upload in case.files)
        outcome.case = dataclasses.replace(case, files=files, text=case.text[:200])
        return outcome

    def _preview_fields(self, case: Case) -> list[tuple[str, str]]:
        fields = {
            "csrfmiddlewaretoken": self.csrf,
            "story": "" if case.new_story else str(self.story.pk),
            "new_story": case.new_story,
            "outlet": "" if case.new_outlet else str(self.outlet.pk),
            "new_outlet": case.new_outlet,
            "genre": "news",
            "published": "",
            "source_url": "",
            "text": case.text,
        }
        fields.update(dict(case.fields))
        return [*fields.items(), ("action", "preview")]

    def _run(self, case: Case, outcome: Outcome) -> None:
        before = _counts()
        response = self._post(outcome, self._preview_fields(case), list(case.files), case.htmx)
        page = response.content.decode("utf-8", "replace")
        self._check_page(outcome, page, "preview answer")
        staged = response.status_code == 200 and 'name="stage"' in page
        if not staged:
            self._refused(case, outcome, response, page, before)
            return
        if _counts() != before:
            outcome.add("partial save", "the preview wrote to the database")
        if case.stale:
            self._store_meanwhile(case)
            before = _counts()
        fields = form_fields(page, "save")
        headline_fields = [n for n, v in fields if n.endswith("-headline") and not v.strip()]
        fields = [  # a person types a headline where the file gave none
            (name, f"Untitled {case.number}" if name in headline_fields else value)
            for name, value in fields
        ]
        staged_count = sum(1 for name, _ in fields if name.endswith("-headline"))
        highest = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = self._post(outcome, fields, None, case.htmx)
        target = response.headers.get("HX-Redirect") or (
            response.headers.get("Location") if response.status_code == 302 else None
        )
        if not target:
            page = response.content.decode("utf-8", "replace")
            self._check_page(outcome, page, "save answer")
            self._refused(case, outcome, response, page, before)
            return
        outcome.result = "accepted"
        if case.expectation() == REJECT:
            outcome.add("bad file accepted", f"saved: {[f.name for f in case.files]}")
        articles = list(Article.objects.filter(pk__gt=highest).order_by("pk"))
        if len(articles) != staged_count:
            outcome.add("partial save", f"{len(articles)} of {staged_count} articles saved")
        self._check_page(outcome, self._get(target, outcome).content.decode(), target)
        for article in articles:
            paragraphs = list(article.paragraphs.values_list("text", flat=True))
            if not paragraphs:
                outcome.add("partial save", f"article {article.pk} has no paragraphs")
            # The headline is what the admin confirmed (prefilled from the title or the file
            # name) and is only ever shown escaped; paragraphs and byline come from the file.
            for text in [*paragraphs, article.byline]:
                if TAG.search(text):
                    outcome.add("tag stored", f"article {article.pk}: {text[:120]!r}")
            url = article.get_absolute_url()
            if url != target:
                self._check_page(outcome, self._get(url, outcome).content.decode(), url)

    def _refused(self, case, outcome, response, page, before) -> None:
        outcome.result = "refused"
        if not 400 <= response.status_code < 500:
            outcome.add("unclear refusal", f"refused with HTTP {response.status_code}")
        if _counts() != before:
            outcome.add("partial save", f"counts {before} -> {_counts()} after a refusal")
        message = error_text(page)
        if not message:
            title = title_text(page)
            outcome.add("unclear refusal", f"HTTP {response.status_code}, no message ({title})")
        else:
            names = [server_file_name(f.name) for f in case.files if f.expect == REJECT]
            names = [" ".join(name.split()) for name in names if name]
            missing = [name for name in names if name not in message]
            if missing and case.fields_expect != REJECT:
                outcome.add("unclear refusal", f"does not name {missing}: {message[:200]}")
        if case.expectation() == ACCEPT:
            outcome.add("good file refused", message[:300] or f"HTTP {response.status_code}")

    def _check_page(self, outcome: Outcome, page: str, where: str) -> None:
        for problem in page_problems(page):
            outcome.add("script in page", f"{where}: {problem}")

    def _store_meanwhile(self, case: Case) -> None:
        """Someone else stores the same piece between this preview and its save."""
        fields = [item for item in self._preview_fields(case) if item[0] not in {"action"}]
        fields = [(k, str(self.story.pk) if k == "story" else v) for k, v in fields]
        fields = [(k, "" if k == "new_story" else v) for k, v in fields]
        fields = [(k, str(self.outlet.pk) if k == "outlet" else v) for k, v in fields]
        fields = [(k, "" if k == "new_outlet" else v) for k, v in fields]
        other = Outcome(case)
        response = self._post(other, [*fields, ("action", "preview")], list(case.files), False)
        save = form_fields(response.content.decode(), "save")
        save = [(k, f"Meanwhile {case.number}" if k.endswith("-headline") else v) for k, v in save]
        self._post(other, save, None, False)


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    @property
    def problem_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter(dict.fromkeys(PROBLEM_KINDS, 0))
        for outcome in self.outcomes:
            for kind in {kind for kind, _ in outcome.problems}:
                counts[kind] += 1
        return counts

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.problems]

    def table(self) -> str:
        rows = []
        by_category: dict[str, Counter[str]] = {}
        for outcome in self.outcomes:
            counts = by_category.setdefault(outcome.case.category, Counter())
            counts["cases"] += 1
            counts[outcome.result] += 1
            counts["files"] += len(outcome.case.files)
            counts["problems"] += bool(outcome.problems)
        header = f"{'category':<22}{'cases':>7}{'files':>7}{'accepted':>10}{'refused':>9}"
        header += f"{'5xx':>6}{'problems':>10}"
        rows.append(header)
        rows.append("-" * len(header))
        for category in CATEGORIES:
            if category not in by_category:
                continue
            c = by_category[category]
            rows.append(
                f"{category:<22}{c['cases']:>7}{c['files']:>7}{c['accepted']:>10}"
                f"{c['refused']:>9}{c['server error']:>6}{c['problems']:>10}"
            )
        total = Counter()
        for counts in by_category.values():
            total.update(counts)
        rows.append("-" * len(header))
        rows.append(
            f"{'all':<22}{total['cases']:>7}{total['files']:>7}{total['accepted']:>10}"
            f"{total['refused']:>9}{total['server error']:>6}{total['problems']:>10}"
        )
        rows.append("")
        for kind, count in self.problem_counts.items():
            rows.append(f"{kind + ' (must be 0)':<34}{count:>6}")
        if self.outcomes:
            slowest = max(self.outcomes, key=lambda outcome: outcome.seconds)
            busiest = max(self.outcomes, key=lambda outcome: outcome.cpu_seconds)
            rows.append(f"slowest request: {slowest.seconds:.2f} s ({_describe(slowest.case)})")
            rows.append(
                f"most CPU in one request: {busiest.cpu_seconds:.2f} s ({_describe(busiest.case)})"
            )
        return "\n".join(rows)


def _describe(case: Case) -> str:
    names = ", ".join(repr(upload.name[:40]) for upload in case.files) or "pasted text"
    return f"#{case.number}, {case.category}: {names}"
