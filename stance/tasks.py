"""Background tasks: thin wrappers over services (django-tasks API).

Run inline with the immediate backend (tests, `make run`) or by `manage.py db_worker`
processes with TASKS_BACKEND=database.
"""

from django_tasks import task

from newsroom.models import Article
from stance import services


@task()
def classify_articles(article_ids: list[int]) -> int:
    return services.articles_classify(articles=Article.objects.filter(pk__in=article_ids))
