from django.urls import path

from stance import views

urlpatterns = [
    path("paragraphs/<int:pk>/explain/", views.paragraph_explain, name="paragraph-explain"),
]
