import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_frame_denial(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_templates_have_no_inline_scripts_or_styles(editor_client):
    for url in [reverse("story-list"), reverse("review-queue"), reverse("models")]:
        page = editor_client.get(url).content.decode()
        assert "<script>" not in page and "style=" not in page and "<style" not in page, url
