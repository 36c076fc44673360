from django.urls import path

from stance import views

urlpatterns = [
    path("stories/<story:slug>/compare/", views.story_compare, name="story-compare"),
    path("stories/<story:slug>/treatment/", views.story_treatment, name="story-treatment"),
    path("paragraphs/<int:pk>/explain/", views.paragraph_explain, name="paragraph-explain"),
    path("paragraphs/<int:pk>/label/", views.paragraph_label, name="paragraph-label"),
    path("paragraphs/<int:pk>/history/", views.paragraph_history, name="paragraph-history"),
    path("paragraphs/<int:pk>/speaker/", views.quote_speaker, name="quote-speaker"),
    path("paragraphs/<int:pk>/sentence/", views.sentence_label, name="sentence-label"),
    path("labels/<int:pk>/undo/", views.label_undo, name="label-undo"),
    path("review/", views.review_queue, name="review-queue"),
    path("review/skip/", views.review_skip, name="review-skip"),
    path("review/label/", views.review_label, name="review-label"),
    path("review/undo/", views.review_undo, name="review-undo"),
    path("review/reset/", views.review_reset, name="review-reset"),
    path("agreement/", views.agreement, name="agreement"),
    path("models/", views.models_page, name="models"),
    path("models/retrain/", views.model_retrain, name="model-retrain"),
    path("models/import/", views.training_set_import, name="training-set-import"),
    path("models/<int:pk>/activate/", views.model_activate, name="model-activate"),
    path("models/<int:pk>/discard/", views.model_discard, name="model-discard"),
    path("jobs/<int:pk>/", views.job_status, name="job-status"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job-retry"),
    path("labels/export.<str:fmt>", views.labels_export, name="labels-export"),
]
