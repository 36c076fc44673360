from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from newsroom import views

urlpatterns = [
    path("", views.story_list, name="story-list"),
    path("stories/<slug:slug>/", views.story_detail, name="story-detail"),
    path("stories/<slug:slug>/actors/<int:pk>/", views.actor_curate, name="actor-curate"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
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
