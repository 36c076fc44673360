from django.urls import path

from stance import views

urlpatterns = [
    path("stories/<slug:slug>/compare/", views.story_compare, name="story-compare"),
    path("paragraphs/<int:pk>/explain/", views.paragraph_explain, name="paragraph-explain"),
]
