from django.core.management.base import BaseCommand

from newsroom.models import Paragraph
from newsroom.services import SEED_DIR, story_seed
from stance.services.analysis import articles_analyse
from stance.services.classification import articles_classify
from stance.services.versions import classifier_ensure


class Command(BaseCommand):
    help = (
        "Load the demo story (Goff–Carter, 2010), its actors and its two pieces, make sure a "
        "classifier version is active (training one on first run) and classify the pieces. "
        "Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--story", default="goff-carter", help="Seed folder under newsroom/seed/."
        )

    def handle(self, *args, story: str, **options):
        result = story_seed(directory=SEED_DIR / story)
        for article in result.created:
            # counted as the story page counts them: headings are not paragraphs
            headings = article.paragraphs.filter(kind=Paragraph.Kind.HEADING).count()
            paragraphs = article.paragraphs.count() - headings
            counts = f"{paragraphs} paragraphs" + (f", {headings} headings" if headings else "")
            self.stdout.write(f"added   {article.headline} ({counts})")
        for article in result.existing:
            self.stdout.write(f"kept    {article.headline} (already stored)")
        version, trained = classifier_ensure()
        if trained:
            self.stdout.write(
                f"trained {version} on the starter corpus "
                f"(cross-validated macro-F1 {version.macro_f1:.3f}) and activated it"
            )
        articles = list(result.story.articles.all())
        articles_analyse(articles=articles)
        count = articles_classify(articles=articles)
        self.stdout.write(f"labels  {count} paragraphs classified by {version}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Story “{result.story}” is ready: {result.story.get_absolute_url()}"
            )
        )
