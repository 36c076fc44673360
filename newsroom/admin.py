from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from newsroom.models import Actor, Article, Outlet, Paragraph, Story


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "created"]
    search_fields = ["name"]


class ActorInline(admin.TabularInline):
    model = Actor
    extra = 1
    fields = ["name", "status", "kind", "pronoun", "role", "aliases"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "created"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    inlines = [ActorInline]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "story", "status", "kind", "pronoun", "role", "mentions", "quotes"]
    list_filter = ["story", "status", "kind"]
    search_fields = ["name", "aliases"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Articles come in through the upload page, which ingests and previews them."""

    change_list_template = "admin/newsroom/article/change_list.html"
    list_display = ["headline", "outlet", "story", "genre", "published", "created"]
    list_filter = ["story", "outlet", "genre"]
    search_fields = ["headline", "byline"]
    readonly_fields = [
        "content_hash",
        "word_count",
        "source_filename",
        "source_format",
        "uploaded_by",
        "created",
        "paragraph_list",
    ]

    # Paragraph text is read-only: the labels, predictions, analyses and highlight offsets
    # stored for a paragraph judge its text as uploaded. Shown, never posted back, so an
    # article of any length saves (no per-paragraph form fields) and loads quickly.
    PARAGRAPHS_SHOWN = 200

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        return HttpResponseRedirect(reverse("upload"))

    def get_deleted_objects(self, objs, request):
        return labels_protect(super().get_deleted_objects(objs, request))

    @admin.display(description="Paragraphs")
    def paragraph_list(self, article: Article) -> str:
        if article.pk is None:
            return "-"
        shown = article.paragraphs.order_by("position").values_list("position", "kind", "text")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (position, kind, Truncator(text).chars(300))
                for position, kind, text in shown[: self.PARAGRAPHS_SHOWN]
            ),
        )
        total = article.paragraphs.count()
        listing = (
            reverse("admin:newsroom_paragraph_changelist") + f"?article__id__exact={article.pk}"
        )
        return format_html(
            '<p>{} paragraphs, read-only{}. <a href="{}">All of them</a> · '
            '<a href="{}">the article page</a></p>'
            "<table><thead><tr><th>#</th><th>kind</th><th>text</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            total,
            f" (the first {self.PARAGRAPHS_SHOWN} shown)" if total > self.PARAGRAPHS_SHOWN else "",
            listing,
            article.get_absolute_url(),
            rows,
        )


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    """Read-only: a paragraph's text is what its labels and analyses judged. A paragraph
    with labels cannot be deleted (Label.paragraph is PROTECT); the admin says why."""

    list_display = ["article", "position", "kind", "text"]
    list_filter = ["kind", "article__story"]
    search_fields = ["text"]
    list_select_related = ["article"]
    readonly_fields = ["article", "position", "kind", "text"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # paragraphs come from the upload page

    def get_deleted_objects(self, objs, request):
        return labels_protect(super().get_deleted_objects(objs, request))


def labels_protect(deleted_objects: tuple) -> tuple:
    """Django's delete page asks for permission to delete labels (which no one has) before
    it says they protect the paragraph; say the second: nothing would be deleted anyway."""
    to_delete, model_count, perms_needed, protected = deleted_objects
    return to_delete, model_count, set() if protected else perms_needed, protected
