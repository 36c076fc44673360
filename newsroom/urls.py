from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from newsroom import views


class StorySlugConverter:
    """A story's slug in any script (Story.slug allows Unicode); `slug:` is ASCII only."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StorySlugConverter, "story")

urlpatterns = [
    path("", views.story_list, name="story-list"),
    path("stories/<story:slug>/", views.story_detail, name="story-detail"),
    path("stories/<story:slug>/actors/<int:pk>/", views.actor_curate, name="actor-curate"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("articles/<int:pk>/analysis/", views.article_analysis, name="article-analysis"),
    path("upload/", views.upload, name="upload"),
    path(
        "upload/<uuid:stage>/<int:position>/blocks/",
        views.upload_blocks,
        name="upload-blocks",
    ),
    path("health/", views.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("stance.urls")),
]
