from django.urls import path

from stance import views

urlpatterns = [
    path("stories/<slug:slug>/compare/", views.story_compare, name="story-compare"),
    path("paragraphs/<int:pk>/explain/", views.paragraph_explain, name="paragraph-explain"),
    path("paragraphs/<int:pk>/label/", views.paragraph_label, name="paragraph-label"),
    path("labels/<int:pk>/undo/", views.label_undo, name="label-undo"),
    path("review/", views.review_queue, name="review-queue"),
    path("agreement/", views.agreement, name="agreement"),
]
