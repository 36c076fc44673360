from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

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


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ["position", "kind", "text"]
    ordering = ["position"]


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
    ]
    inlines = [ParagraphInline]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        return HttpResponseRedirect(reverse("upload"))


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["article", "position", "kind", "text"]
    list_filter = ["kind", "article__story"]
    search_fields = ["text"]
    list_select_related = ["article"]
