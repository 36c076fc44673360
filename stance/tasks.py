"""Background tasks: thin wrappers over services (django-tasks API).

Run inline with the immediate backend (tests, `make run`) or by `manage.py db_worker`
processes with TASKS_BACKEND=database.
"""

from django_tasks import task

from newsroom.models import Article
from stance import services


@task()
def analyse_articles(article_ids: list[int]) -> int:
    """Classify new articles' paragraphs and store their framing analysis."""
    articles = list(Article.objects.filter(pk__in=article_ids))
    services.articles_analyse(articles=articles)
    return services.articles_classify(articles=articles)
