"""Batches through the upload page: several outlets, block choices, server-side staging."""

import re
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from newsroom.models import Article, Outlet, StagedUpload
from tests.factories import make_outlet, make_user

URL = reverse("upload")


def page(outlet: str, n: int) -> bytes:
    return f"""<!doctype html><html><head><title>Story {n} | {outlet}</title>
<meta property="og:site_name" content="{outlet}"></head><body>
<div class="logo">{outlet}</div><nav><a href="/">Home</a></nav>
<article><h1>Story {n}</h1>
<p>Council story number {n} opens with the vote held on Tuesday in the chamber.</p>
<p>Residents said story {n} mattered to them because the tolls would rise again.</p>
<p>Follow {outlet} on X</p></article></body></html>""".encode()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def post(client, story, action: str, fields: dict):
    """The upload form posted for `story`, as news: `action` is "preview" or "save", `fields`
    the rest (files or text, an outlet, what the staged form sends back)."""
    return client.post(URL, {"story": story.pk, "genre": "news", **fields, "action": action})


def fields_of(html: str) -> dict[str, str | list[str]]:
    """What a browser would send back from the staged form: its text, date, URL and hidden
    inputs, the selected genres, and the ticked "Drop" boxes."""
    fields: dict[str, str | list[str]] = {}
    for name, value in re.findall(
        r'<input type="(?:text|date|url|hidden)" name="([^"]+)"(?: value="([^"]*)")?', html
    ):
        fields[name] = value
    for name, value in re.findall(
        r'name="(doc-\d+-genre)".*?<option value="([^"]*)" selected', html, re.S
    ):
        fields[name] = value
    for name, value in re.findall(
        r'<input type="checkbox" name="(doc-\d+-drop)" value="(\d+)" checked>', html
    ):
        fields.setdefault(name, []).append(value)
    return {k: v for k, v in fields.items() if k.startswith("doc-") or k == "stage"}


def test_a_batch_from_several_outlets_is_saved_in_one_round(admin_client_, story):
    make_outlet("Harbour News")
    outlets = ["Harbour News", "Quay Times", "The Wharf Weekly"]
    files = [upload(f"story-{n}.html", page(outlets[n % 3], n)) for n in range(10)]
    preview = post(admin_client_, story, "preview", {"files": files})
    assert preview.status_code == 200
    html = preview.content.decode()
    fields = fields_of(html)
    assert [fields[f"doc-{n}-outlet"] for n in range(10)] == [outlets[n % 3] for n in range(10)]
    assert [fields[f"doc-{n}-headline"] for n in range(10)] == [f"Story {n}" for n in range(10)]
    assert "social media prompt" in html and "outside the page" in html

    response = post(admin_client_, story, "save", fields)
    assert response.status_code == 302
    saved = Article.objects.order_by("pk")
    assert [a.outlet.name for a in saved] == [outlets[n % 3] for n in range(10)]
    assert Outlet.objects.count() == 3
    assert [p.text for p in saved[0].paragraphs.all()] == [
        "Council story number 0 opens with the vote held on Tuesday in the chamber.",
        "Residents said story 0 mattered to them because the tolls would rise again.",
    ]
    assert not StagedUpload.objects.exists()


def test_the_admin_drops_a_block_and_restores_another(admin_client_, story):
    make_outlet("Harbour News")
    files = [upload("s.html", page("Harbour News", 1))]
    preview = post(admin_client_, story, "preview", {"files": files})
    html = preview.content.decode()
    boxes = re.findall(
        r'name="doc-0-drop" value="(\d+)"( checked)?>\s*Drop</label>\s*'
        r'<span class="badge">[^<]*</span>\s*<span class="text">([^<]*)<',
        html,
    )
    by_text = {text: int(position) for position, _checked, text in boxes}
    checked = {text for _p, is_checked, text in boxes if is_checked}
    assert checked == {"Harbour News", "Story 1", "Follow Harbour News on X"}
    dropped = [
        by_text["Harbour News"],
        by_text["Story 1"],
        by_text["Residents said story 1 mattered to them because the tolls would rise again."],
    ]  # restores the prompt, drops a paragraph
    fields = fields_of(html)
    response = post(admin_client_, story, "save", {**fields, "doc-0-drop": dropped})
    assert response.status_code == 302
    assert [p.text for p in Article.objects.get().paragraphs.all()] == [
        "Council story number 1 opens with the vote held on Tuesday in the chamber.",
        "Follow Harbour News on X",
    ]


def test_a_refused_save_shows_the_admins_choices_again(admin_client_, story):
    text = "One paragraph.\n\nFollow us on X"
    preview = post(admin_client_, story, "preview", {"text": text})
    fields = fields_of(preview.content.decode())
    fields["doc-0-outlet"] = ""  # refused: no outlet
    response = post(admin_client_, story, "save", {"text": text, **fields, "doc-0-drop": ["0"]})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="0" checked' in html and 'value="1" checked' not in html


def test_long_documents_load_their_blocks_when_opened_and_only_for_their_owner(
    admin_client_, story
):
    text = "\n\n".join(f"Paragraph {n} of a long piece." for n in range(400))
    preview = post(admin_client_, story, "preview", {"outlet": make_outlet().pk, "text": text})
    html = preview.content.decode()
    assert 'class="text">Paragraph 0 of' not in html  # not in the page until opened
    blocks_url = re.search(r'hx-get="([^"]+/blocks/)"', html).group(1)
    blocks = admin_client_.get(blocks_url, headers={"HX-Request": "true"})
    assert blocks.status_code == 200
    assert "Paragraph 399 of a long piece." in blocks.content.decode()
    assert 'name="doc-0-choices_shown"' in blocks.content.decode()
    other = Client()
    other.force_login(make_user("other", "Admins"))
    assert other.get(blocks_url).status_code == 404


def test_twenty_large_files_are_previewed_and_saved(admin_client_, story):
    sentence = "The harbour board met on Tuesday and voted to close the northern wharf {n}. "
    files = [
        upload(
            f"big-{i}.txt",
            ("\n\n".join(sentence.format(n=f"{i}-{n}") * 16 for n in range(1600))).encode()[
                :1_900_000
            ],
        )
        for i in range(20)
    ]
    started = time.monotonic()
    preview = post(admin_client_, story, "preview", {"outlet": make_outlet().pk, "files": files})
    previewed = time.monotonic() - started
    assert preview.status_code == 200
    assert len(preview.content) < 200_000  # the documents wait on the server, not in the page
    fields = fields_of(preview.content.decode())
    response = post(admin_client_, story, "save", fields)
    assert response.status_code == 302
    assert Article.objects.count() == 20
    print(f"preview {previewed:.1f} s, page {len(preview.content):,} bytes")


def test_a_forged_block_position_is_refused_and_nothing_saved(admin_client_, story):
    text = "One paragraph.\n\nAnother one."
    data = {"outlet": make_outlet().pk, "text": text}
    fields = fields_of(post(admin_client_, story, "preview", data).content.decode())
    response = post(admin_client_, story, "save", {**data, **fields, "doc-0-drop": ["7"]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Article.objects.count() == 0


def test_a_long_documents_choices_come_back_as_made_after_a_refused_save(admin_client_, story):
    text = "\n\n".join(f"Paragraph {n} of a long piece." for n in range(400))
    data = {"outlet": make_outlet().pk, "text": text}
    fields = fields_of(post(admin_client_, story, "preview", data).content.decode())
    fields.update({"doc-0-headline": "", "doc-0-choices_shown": "1", "doc-0-drop": ["399"]})
    response = post(admin_client_, story, "save", {**data, **fields})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="399" checked' in html and 'value="398" checked' not in html
