"""Background tasks: thin wrappers over services (django-tasks API).

Run inline with the immediate backend (tests, `make run`) or by `manage.py db_worker`
processes with TASKS_BACKEND=database.
"""

from django_tasks import task

from newsroom.models import Article
from stance import services
from stance.models import Job


@task()
def analyse_articles(article_ids: list[int]) -> int:
    """Classify new articles' paragraphs and store their framing analysis."""
    articles = list(Article.objects.filter(pk__in=article_ids))
    services.articles_analyse(articles=articles)
    return services.articles_classify(articles=articles)


@task()
def train_candidate(job_id: int) -> int | None:
    job = services.candidate_train(job=Job.objects.get(pk=job_id))
    return job.version_id


@task()
def refresh_predictions(job_id: int) -> int | None:
    job = services.predictions_refresh(job=Job.objects.select_related("version").get(pk=job_id))
    return job.version_id


def start_training(*, user) -> Job:
    """Queue a candidate retrain (runs inline with the immediate backend)."""
    job = Job.objects.create(kind=Job.Kind.TRAIN, created_by=user, message="Waiting for a worker")
    train_candidate.enqueue(job.pk)
    job.refresh_from_db()
    return job


def start_refresh(*, version, user) -> Job:
    job = Job.objects.create(
        kind=Job.Kind.REFRESH, version=version, created_by=user, message="Waiting for a worker"
    )
    refresh_predictions.enqueue(job.pk)
    job.refresh_from_db()
    return job
